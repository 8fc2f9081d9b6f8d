/**
 * Preact applies the `dangerouslySetInnerHTML` prop by assigning an element's `innerHTML`.
 * Reclaim never passes that prop (Biome's noDangerouslySetInnerHtml rule fails the lint if any
 * code does), so the branch never runs; this takes it out of the built pages, leaving a store's
 * reviewer and `web-ext lint` no innerHTML assignment to ask about. The assignment becomes a throw:
 * a use that slipped in would fail loudly, never render a string as HTML.
 */
import type { Plugin } from 'vite';

/** Preact's own build of its renderer, the file the pages' bundles take. */
const PREACT = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.(mjs|module\.js)$/;
/** Its `dangerouslySetInnerHTML` branch, minified: `(dom.innerHTML = html.__html)`. */
const ASSIGNMENT = /\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/g;

export function noInnerHtml(): Plugin {
  return {
    name: 'reclaim:no-inner-html',
    transform(code, id) {
      if (!PREACT.test(id.split('?')[0] ?? '')) return null;
      const out = code.replace(
        ASSIGNMENT,
        '(()=>{throw new Error("Reclaim renders no HTML strings (dangerouslySetInnerHTML)")})()',
      );
      if (out === code)
        this.error(
          `${id}: Preact's innerHTML assignment was not found; check build/no-inner-html.ts against this Preact`,
        );
      return { code: out, map: null };
    },
  };
}
