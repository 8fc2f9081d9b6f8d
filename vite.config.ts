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

export default defineConfig({
  plugins: [preact(), crx({ manifest }), narrowWebAccessibleResources(), renderBlockingPopupEntry()],
  build: {
    target: 'chrome120',
    sourcemap: false,
    emptyOutDir: true,
    rollupOptions: {
      input: { options: 'src/options/index.html' },
    },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
