/**
 * `npm run bench`: Reclaim's benchmarks, in the system Chromium with the built extension against
 * the reference portal. Progress lines first; the LAST line is one JSON object with one figure
 * per benchmark (see README "Benchmarks").
 *
 *   npm run bench                              all figures
 *   npm run bench -- --only bundle,popup       some of them
 *   npm run bench -- --only scale              the scale figures (fullRefresh50k, quietRefresh,
 *                                              popup50k, revoke10k, idbBytesPerInvite)
 *   RECLAIM_DIST=/tmp/x/dist npm run bench     another build of the extension (default dist/,
 *                                              built there when missing)
 *
 * Exit code 0 when every figure was measured (whether or not it meets its target), 1 when a
 * figure could not be measured; `--strict` also fails on a figure that misses its target.
 */
import { cpus, loadavg } from 'node:os';
import { annotate } from './annotate';
import { bulkRevoke, rateLimited } from './bulk';
import { bundle } from './bundle';
import { ensureDist, errorText, type Figure, log } from './lib';
import { popup } from './popup';
import { reassign } from './reassign';
import { scale } from './scale';

/** One figure, or (a group measured together, e.g. scale) several by name. */
type Bench = (dist: string) => Promise<Figure | Record<string, Figure>> | Figure;

const BENCHES: Record<string, Bench> = { bulkRevoke, rateLimited, reassign, annotate, popup, bundle, scale };

const isFigure = (x: Figure | Record<string, Figure>): x is Figure =>
  typeof (x as Figure).target === 'string' && typeof (x as Figure).meets === 'boolean';

function parseArgs(argv: string[]): { only: string[]; strict: boolean } {
  let only = Object.keys(BENCHES);
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--strict') strict = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = a === '--only' ? (argv[++i] ?? '') : a.slice('--only='.length);
      only = list.split(',').filter(Boolean);
    } else throw new Error(`unknown argument ${a}`);
  }
  const unknown = only.filter((n) => !(n in BENCHES));
  if (unknown.length)
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  return { only, strict };
}

async function main(): Promise<number> {
  const { only, strict } = parseArgs(process.argv.slice(2));
  const dist = ensureDist('bench');
  log('bench', `extension: ${dist}`);
  const result: Record<string, Figure | Record<string, unknown>> = {};
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  let unmeasured = 0;
  let missed = 0;
  for (const name of only) {
    const started = Date.now();
    log('bench', `${name}: start`);
    let measured: Figure | Record<string, Figure>;
    try {
      measured = await (BENCHES[name] as Bench)(dist);
    } catch (err) {
      log('bench', `${name}: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      measured = { target: 'see note', meets: false, note: `not measured: ${errorText(err)}` };
    }
    const figures = isFigure(measured) ? { [name]: measured } : measured;
    for (const [key, figure] of Object.entries(figures)) {
      const numbers = Object.values(figure).filter((v) => typeof v === 'number').length;
      if (numbers === 0) unmeasured++;
      if (!figure.meets) missed++;
      log('bench', `${key}: ${figure.meets ? 'meets' : 'MISSES'} its target`);
      result[key] = figure;
    }
    log('bench', `${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  result.meta = {
    dist,
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    node: process.version,
    cpus: cpus().length,
    // Other work on the machine skews every timing: the 1/5/15-minute load before and after.
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
    at: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (unmeasured > 0) return 1;
  return strict && missed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
