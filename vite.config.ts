import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

/**
 * CRXJS loads content scripts through a small loader that imports the real module, so those
 * modules must be web-accessible; for scripts registered at run time it opens them to every
 * http and https page. Reclaim only runs on the loopback reference portal and on https portals
 * the manager adds, so narrow the matches to those.
 */
const WEB_ACCESSIBLE_MATCHES = [...manifest.host_permissions, ...manifest.optional_host_permissions];

function narrowWebAccessibleResources(): Plugin {
  return {
    name: 'reclaim:narrow-web-accessible-resources',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      const file = join(options.dir ?? 'dist', 'manifest.json');
      const built = JSON.parse(readFileSync(file, 'utf8')) as {
        web_accessible_resources?: { matches?: string[] }[];
      };
      for (const entry of built.web_accessible_resources ?? []) entry.matches = WEB_ACCESSIBLE_MATCHES;
      writeFileSync(file, `${JSON.stringify(built, null, 2)}\n`);
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
 * Build-time switches for the update test (test/e2e/update.test.ts) only, which builds Reclaim a
 * second time as its next version: RECLAIM_VERSION sets the manifest's version, and
 * RECLAIM_UPDATE_PROBE=1 declares one more database version (src/shared/db.ts).
 */
const version = process.env.RECLAIM_VERSION ?? manifest.version;
const updateProbe = process.env.RECLAIM_UPDATE_PROBE === '1';

export default defineConfig({
  define: { __RECLAIM_UPDATE_PROBE__: JSON.stringify(updateProbe) },
  plugins: [
    preact(),
    crx({ manifest: { ...manifest, version } }),
    narrowWebAccessibleResources(),
    renderBlockingPopupEntry(),
    popupOwnEntryChunk(),
  ],
  build: {
    target: 'chrome120',
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
});
