// @vitest-environment node
/**
 * The folders' boundaries (docs: /work/shared/architecture.md, README "How it is built"), checked
 * on every import under src/:
 *   shared/        imports nothing from portal/ or any context
 *   portal/page/   what content scripts know; portal/api/ what the background knows: they never
 *                  import each other
 *   contexts       background, content, popup, options never import one another's files; the
 *                  portal's API adapter is the background's alone
 *   shared/i18n.ts takes the English catalogue's keys (public/_locales) as a type
 * Imports are read with TypeScript's own pre-processor (static, dynamic, re-exports, side-effect
 * imports), so a comment or a string that looks like an import is not one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Tests run from the project's root (vitest.config.ts). */
const SRC = resolve(process.cwd(), 'src');

type Area = 'shared' | 'portal/page' | 'portal/api' | 'background' | 'content' | 'popup' | 'options';

/** What each area may import, besides packages. */
const ALLOWED: Record<Area, readonly Area[]> = {
  shared: ['shared'],
  'portal/page': ['portal/page', 'shared'],
  'portal/api': ['portal/api', 'shared'],
  background: ['background', 'portal/api', 'portal/page', 'shared'],
  content: ['content', 'portal/page', 'shared'],
  popup: ['popup', 'portal/page', 'shared'],
  options: ['options', 'shared'],
};

function areaOf(file: string): Area | null {
  const rel = relative(SRC, file).split('\\').join('/');
  if (rel.startsWith('..')) return null;
  const [top, sub] = rel.split('/');
  if (top === 'portal') return sub === 'page' || sub === 'api' ? `portal/${sub}` : null;
  return (Object.keys(ALLOWED) as Area[]).find((a) => a === top) ?? null;
}

/**
 * Why importing `specifier` from `file` crosses a boundary, or null when it may. The background
 * registers the content scripts by their built URL (`?script`): an asset, not their code.
 */
function crossing(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null; // a package
  const [path = '', query] = specifier.split('?');
  const target = resolve(dirname(file), path);
  const from = areaOf(file);
  const to = areaOf(target);
  const where = `${relative(SRC, file)} imports ${specifier}`;
  if (!from) return `${where}: ${relative(SRC, file)} is in no known folder of src/`;
  if (relative(SRC, file) === 'shared/i18n.ts' && /public\/_locales\/en\/messages\.json$/.test(path))
    return null; // the catalogue's keys, as a type only
  if (!to) return `${where}: outside the folders of src/`;
  if (from === 'background' && to === 'content' && query === 'script') return null;
  return ALLOWED[from].includes(to) ? null : `${where}: ${from} may not import ${to}`;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

describe('folder boundaries', () => {
  it('holds for every import under src/', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const crossings = files.flatMap((file) =>
      importsOf(file)
        .map((spec) => crossing(file, spec))
        .filter((c): c is string => c !== null),
    );
    expect(crossings).toEqual([]);
  });

  it('reports each kind of crossing', () => {
    const at = (path: string) => join(SRC, path);
    expect(crossing(at('shared/types.ts'), '../portal/api/schemas')).toMatch(
      /shared may not import portal\/api/,
    );
    expect(crossing(at('shared/db.ts'), '../background/cache')).toMatch(/shared may not import background/);
    expect(crossing(at('portal/page/dom.ts'), '../api/paths')).toMatch(
      /portal\/page may not import portal\/api/,
    );
    expect(crossing(at('portal/api/client.ts'), '../page/routes')).toMatch(
      /portal\/api may not import portal\/page/,
    );
    expect(crossing(at('options/main.tsx'), '../popup/cache')).toMatch(/options may not import popup/);
    expect(crossing(at('content/lib/controller.ts'), '../../background/router')).toMatch(
      /content may not import background/,
    );
    expect(crossing(at('popup/store.ts'), '../portal/api/client')).toMatch(
      /popup may not import portal\/api/,
    );
    expect(crossing(at('background/index.ts'), '../content/lib/feature')).toMatch(
      /background may not import content/,
    );
    expect(crossing(at('popup/store.ts'), '../../test/unit/popup/fakes')).toMatch(/outside the folders/);
  });

  it('lets each area use what it may', () => {
    const at = (path: string) => join(SRC, path);
    expect(crossing(at('background/origins.ts'), '../content/invite-history.ts?script')).toBeNull();
    expect(crossing(at('background/router.ts'), '../portal/page/routes')).toBeNull();
    expect(crossing(at('content/lib/specs.ts'), '../../portal/page/dom')).toBeNull();
    expect(crossing(at('popup/store.ts'), '../shared/job-states')).toBeNull();
    expect(crossing(at('shared/overview.ts'), 'dexie')).toBeNull();
  });
});
