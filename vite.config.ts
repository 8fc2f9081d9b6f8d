import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { classicContentScripts } from './build/content-scripts.ts';
import { finishManifest, type Manifest, sourceManifest, syntaxTarget } from './build/manifest.ts';
import { OUT_DIRS, type Target, targetOf } from './build/target.ts';

/** Completes the manifest CRXJS wrote (see build/manifest.ts). */
function finishedManifest(target: Target): Plugin {
  return {
    name: 'reclaim:finish-manifest',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      const file = join(options.dir ?? OUT_DIRS[target.browser], 'manifest.json');
      const built = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      writeFileSync(file, `${JSON.stringify(finishManifest(built, target), null, 2)}\n`);
    },
  };
}

/**
 * The popup's entry script blocks rendering (`blocking="render"`), so the browser does not paint
 * an empty page first: its first frame already holds the course rows the script renders from
 * its snapshot. Vite drops the attribute from the source tag, so it is added to the built one.
 */
function renderBlockingPopupEntry(): Plugin {
  return {
    name: 'reclaim:render-blocking-popup-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.path.endsWith('/src/popup/index.html')) return html;
        const entry = /<script type="module"(?![^>]*\bblocking=)/;
        if (!entry.test(html))
          throw new Error('popup: no entry <script type="module"> to mark render-blocking');
        return html.replace(entry, '<script type="module" blocking="render"');
      },
    },
  };
}

/**
 * The popup's first paint loads one script file. What the popup's entry reaches through static
 * imports (Preact, zustand, the theme, routes, expiry) is resolved under a popup-only id, so the
 * bundler puts a copy of it in the popup's entry chunk instead of in the chunks it shares with the
 * options page, content scripts and service worker, which the popup would otherwise fetch first.
 * Dynamic imports (live.ts: Dexie, the polyfill, the schemas) load after the first paint and
 * share the normal chunks. The copies are pure code, or per page (Preact, zustand).
 */
const POPUP_OWN = '?reclaim-popup';
function popupOwnEntryChunk(): Plugin {
  const popupEntry = /[\\/]src[\\/]popup[\\/]main\.tsx$/;
  const popupFile = /[\\/]src[\\/]popup[\\/][^?]*$/;
  /** The popup's own modules reached statically from its entry. */
  const firstPaint = new Set<string>();
  const isFirstPaint = (id: string) => id.endsWith(POPUP_OWN) || firstPaint.has(id) || popupEntry.test(id);
  return {
    name: 'reclaim:popup-own-entry-chunk',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || source.startsWith('\0') || !isFirstPaint(importer)) return null;
      if ((options as { kind?: string }).kind === 'dynamic-import') return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external || resolved.id.startsWith('\0') || resolved.id.includes('?')) {
        return resolved;
      }
      if (popupFile.test(resolved.id)) {
        firstPaint.add(resolved.id);
        return resolved;
      }
      return { ...resolved, id: `${resolved.id}${POPUP_OWN}` };
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.facadeModuleId || !popupEntry.test(chunk.facadeModuleId))
          continue;
        if (chunk.imports.length > 0) {
          this.warn(`the popup's entry chunk imports ${chunk.imports.join(', ')} before its first paint`);
        }
      }
    },
  };
}

/**
 * Two switches for the update test only (test/e2e/update.test.ts), which builds Reclaim a second
 * time as its next version: RECLAIM_VERSION sets the manifest's version, RECLAIM_UPDATE_PROBE=1
 * declares one more database version (src/shared/db.ts).
 */
const nextVersion = process.env.RECLAIM_VERSION;
const updateProbe = process.env.RECLAIM_UPDATE_PROBE === '1';

export default defineConfig(({ mode }) => {
  const target = targetOf(mode);
  const manifest = sourceManifest(target);
  if (nextVersion) manifest.version = nextVersion;
  return {
    plugins: [
      preact(),
      crx({ manifest, browser: target.browser }),
      classicContentScripts(),
      finishedManifest(target),
      renderBlockingPopupEntry(),
      popupOwnEntryChunk(),
    ],
    // The one build-time switch between the flavours (src/shared/build.ts), and the update test's.
    define: {
      'globalThis.__RECLAIM_DEV_BUILD__': JSON.stringify(target.flavour === 'development'),
      'globalThis.__RECLAIM_UPDATE_PROBE__': JSON.stringify(updateProbe),
    },
    build: {
      outDir: OUT_DIRS[target.browser],
      target: syntaxTarget(target.browser),
      // Every target browser preloads modules natively; the polyfill would be one more shared
      // chunk on the popup's first paint.
      modulePreload: { polyfill: false },
      sourcemap: false,
      emptyOutDir: true,
      rollupOptions: {
        input: { options: 'src/options/index.html' },
      },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
