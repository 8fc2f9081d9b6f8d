/**
 * The page's own script and stylesheet. Each assets/NAME.ts is served as /assets/NAME.js, an ES
 * module transpiled with TypeScript's transpileModule. Loading TypeScript takes seconds on a busy
 * machine, so each output is also cached on disk by content hash.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const DIR = new URL('./assets/', import.meta.url);
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/reclaim-portal/', import.meta.url));

export interface Asset {
  body: string;
  type: string;
}

const cache = new Map<string, Promise<Asset | null>>();
let modules: Promise<Set<string>> | null = null;

/** The script modules there are: assets/*.ts by name. */
function moduleNames(): Promise<Set<string>> {
  modules ??= readdir(DIR).then(
    (files) => new Set(files.filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))),
  );
  return modules;
}

async function transpiled(name: string): Promise<string> {
  const src = await readFile(new URL(`${name}.ts`, DIR), 'utf8');
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const cached = `${CACHE_DIR}${name}-${hash}.js`;
  const hit = await readFile(cached, 'utf8').catch(() => null);
  if (hit !== null) return hit;
  const ts = (await import('typescript')).default;
  const js = ts.transpileModule(src, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, removeComments: true },
  }).outputText;
  await mkdir(CACHE_DIR, { recursive: true })
    .then(() => writeFile(cached, js))
    .catch(() => undefined);
  return js;
}

async function load(file: string): Promise<Asset | null> {
  if (file === 'portal.css') {
    return { body: await readFile(new URL('portal.css', DIR), 'utf8'), type: 'text/css; charset=utf-8' };
  }
  const m = /^([a-z][a-z-]*)\.js$/.exec(file);
  if (!m || !(await moduleNames()).has(m[1] as string)) return null;
  return { body: await transpiled(m[1] as string), type: 'text/javascript; charset=utf-8' };
}

/** The asset at /assets/FILE; null when there is none. */
export function asset(file: string): Promise<Asset | null> {
  let a = cache.get(file);
  if (!a) {
    a = load(file);
    cache.set(file, a);
    // Only what exists stays cached: a name anyone can make up must not grow the cache.
    a.then(
      (found) => found ?? cache.delete(file),
      () => cache.delete(file),
    );
  }
  return a;
}
