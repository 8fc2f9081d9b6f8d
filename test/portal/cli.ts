/**
 * Runs the reference portal until SIGINT/SIGTERM.
 *   npm run portal -- [--port 4310] [--seed 1] [--preset demo|bench|scale] [--no-sim] [--latency 40]
 */
import { parseArgs } from 'node:util';
import { startPortal } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4310' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    preset: { type: 'string', default: 'demo' },
    'no-sim': { type: 'boolean', default: false },
    latency: { type: 'string', default: '40' },
  },
});

const num = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a number, got ${raw}`);
    process.exit(2);
  }
  return n;
};
const preset = values.preset;
if (preset !== 'demo' && preset !== 'bench' && preset !== 'scale') {
  console.error(`--preset must be demo, bench or scale, got ${preset}`);
  process.exit(2);
}

const portal = await startPortal({
  port: num('port', values.port),
  host: values.host,
  sim: !values['no-sim'],
  data: { preset, seed: num('seed', values.seed) },
  faults: { latencyMs: num('latency', values.latency) },
  quiet: true,
});

console.log(`Reference portal: ${portal.url}/manager/learners`);
console.log('Sign in: manager@example.test / demo');
if (!values['no-sim']) console.log(`Simulation controls: ${portal.url}/__sim/state`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  portal.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
