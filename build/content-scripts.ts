/**
 * Content scripts as self-contained classic scripts: one file each, every import inlined, no
 * loader, no dynamic import, no chunk shared with anything. A module content script would have
 * to be loaded by the page's renderer from a web-accessible URL, which any site it is exposed to
 * can fetch too, and so tell that Reclaim is installed (and which build).
 *
 * Each file of CONTENT_SCRIPT_FILES is built from the source of the same name under src/
 * (content/usage-tab.js <- src/content/usage-tab.ts), with the main build's mode, `define`,
 * target and minifier, and added to its output.
 */
import { resolve } from 'node:path';
import { build, type Plugin, type ResolvedConfig, type Rolldown } from 'vite';
import { CONTENT_SCRIPT_FILES } from '../src/shared/build.ts';

export function classicContentScripts(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'reclaim:classic-content-scripts',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async generateBundle() {
      for (const file of Object.values(CONTENT_SCRIPT_FILES)) {
        const entry = resolve(config.root, 'src', file.replace(/\.js$/, '.ts'));
        const built = await build({
          configFile: false,
          root: config.root,
          mode: config.mode,
          define: config.define,
          logLevel: 'warn',
          build: {
            write: false,
            emptyOutDir: false,
            copyPublicDir: false,
            target: config.build.target,
            minify: config.build.minify,
            sourcemap: false,
            lib: { entry, formats: ['iife'], name: 'reclaim', fileName: () => file },
          },
        });
        const outputs = (Array.isArray(built) ? built : [built]).flatMap(
          (b) => (b as Rolldown.RolldownOutput).output,
        );
        const chunks = outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
        if (outputs.length !== 1 || chunks.length !== 1 || chunks[0]?.fileName !== file) {
          throw new Error(
            `${file}: expected one self-contained script, got ${outputs.map((o) => o.fileName).join(', ')}`,
          );
        }
        const [chunk] = chunks;
        if (chunk.imports.length > 0 || chunk.dynamicImports.length > 0) {
          throw new Error(`${file}: imports ${[...chunk.imports, ...chunk.dynamicImports].join(', ')}`);
        }
        this.emitFile({ type: 'asset', fileName: file, source: chunk.code });
      }
    },
  };
}
