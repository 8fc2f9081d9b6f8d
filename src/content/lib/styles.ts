/**
 * Styles of the injected UI, shared by every shadow root: the theme tokens plus a few rules that
 * keep our controls the size of the portal's own (font inherited from the page).
 *
 * The tokens follow the page the controls sit in, not the OS: a light portal on a computer set
 * to dark keeps light controls. Both token sets come from the shared theme.
 */
import { language } from '../../shared/i18n';
import { themeCss } from '../../shared/ui/theme';

export type Scheme = 'light' | 'dark';

/**
 * The theme's tokens on our hosts, each `!important`: the page's own rules for a shadow host win
 * over the host's normal ones, so without it a page could set `--rc-danger: transparent` on our
 * controls; an important declaration inside the shadow root wins over any of the page's.
 */
export function tokensByPage(theme: string): string {
  const light = /:host, :root \{([^}]*)\}/.exec(theme)?.[1];
  const dark = /prefers-color-scheme: dark\)\s*\{\s*:host, :root \{([^}]*)\}/.exec(theme)?.[1];
  if (!light || !dark) return theme; // the theme changed shape: use it as it is
  const important = (block: string) =>
    block
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d && !d.startsWith('color-scheme'))
      .map((d) => `${d} !important`)
      .join(';');
  return `:host{${important(light)};color-scheme:light!important}:host([data-scheme=dark]){${important(dark)};color-scheme:dark!important}`;
}

/** Light or dark, from the first opaque background at or above `el`. */
export function schemeOf(el: Element | null): Scheme {
  for (let node = el; node; node = node.parentElement) {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(
      getComputedStyle(node).backgroundColor,
    );
    if (!m || m[4] === '0') continue;
    const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
  }
  return 'light';
}

const css = `${tokensByPage(themeCss)}
:host{all:initial!important;display:inline-block!important;vertical-align:middle!important;margin-inline-start:.5em!important;font-family:inherit!important;font-style:inherit!important;font-size:clamp(10px,1em,24px)!important;line-height:1.3!important;color:var(--rc-fg)!important;visibility:visible!important;pointer-events:auto!important}
:host([data-reclaim=bar]),:host([data-reclaim=notice]){display:block!important;margin:.5em 0!important}
[hidden]{display:none!important}
:host([data-reclaim=row]){display:inline-flex!important;flex-wrap:wrap!important;align-items:center!important;gap:.25em .5em!important;max-width:100%!important;margin-inline:0 .5em!important}
:host([data-reclaim=row][data-portal=hidden]){margin:0!important}
@media (min-width:60em){:host([data-reclaim=row]){flex-wrap:nowrap!important;white-space:nowrap!important}}
:host([data-empty]){display:none!important}
:host([data-reclaim=status]){margin-inline:0 .5em!important}
.status{display:inline-block;font-size:.85em;font-weight:600;padding:.1em .6em;border-radius:999px;background:var(--rc-surface);color:var(--rc-muted);border:1px solid var(--rc-border)}
.note{color:var(--rc-muted);font-size:.9em}
.note.urgent{color:var(--rc-warn);background:var(--rc-warn-bg);border-radius:var(--rc-radius);padding:0 .35em;font-weight:600}
.note.ok{color:var(--rc-ok)}
.note.bad{color:var(--rc-danger);white-space:normal;overflow-wrap:anywhere}
button{font:inherit;font-weight:600;line-height:1.3;padding:.25em .7em;border-radius:var(--rc-radius);border:1px solid var(--rc-danger);background:var(--rc-bg);color:var(--rc-danger);cursor:pointer}
button:hover:not([aria-disabled=true]){background:var(--rc-danger-bg)}
button:focus-visible{outline:2px solid var(--rc-focus);outline-offset:1px}
button[aria-disabled=true]{opacity:.6;cursor:default}
button.undo,button.plain{border-color:var(--rc-accent);color:var(--rc-accent)}
button.primary{background:var(--rc-danger);color:var(--rc-bg)}
button.primary:hover:not([aria-disabled=true]){background:color-mix(in srgb,var(--rc-danger) 90%,#fff)}
.bar,.notice{display:flex;flex-wrap:wrap;align-items:center;gap:.75em;padding:.5em .75em;border:1px solid var(--rc-border);border-radius:var(--rc-radius);background:var(--rc-surface);font-size:.95em}
.brand{font-weight:600;color:var(--rc-accent)}
.msg{color:var(--rc-fg)}
progress{width:10em;accent-color:var(--rc-accent)}
.notice{border-color:var(--rc-warn);background:var(--rc-warn-bg);color:var(--rc-warn)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

/**
 * A style sheet shared by every root that uses it: one constructed sheet adopted by each, or a
 * <style> where adopting is not possible.
 */
export function sharedSheet(cssText: string): (root: ShadowRoot) => void {
  let sheet: CSSStyleSheet | null | undefined;
  return (root) => {
    if (sheet === undefined) {
      try {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(cssText);
      } catch {
        sheet = null;
      }
    }
    if (sheet) {
      try {
        root.adoptedStyleSheets = [sheet];
        return;
      } catch {
        // Firefox content scripts cannot always adopt a sheet from their own compartment.
      }
    }
    const style = document.createElement('style');
    style.textContent = cssText;
    root.append(style);
  };
}

const styleRoot = sharedSheet(css);

/**
 * A shadow host of ours: a custom-named element, so the portal's element selectors miss it. The
 * root is closed, so a page script cannot reach, restyle or focus what is inside; the host's own
 * styles are locked from inside (`all: initial !important` and the lines after it), so styling
 * the host does nothing either.
 */
export function makeHost(
  kind: 'row' | 'bar' | 'notice' | 'status',
  scheme: Scheme,
): { host: HTMLElement; root: ShadowRoot } {
  const made = closedHost(kind, scheme);
  styleRoot(made.root);
  return made;
}

/** A host of ours named `reclaim-<kind>` with its closed root, unstyled (makeHost styles it). */
export function closedHost(kind: string, scheme: Scheme): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(`reclaim-${kind}`);
  host.setAttribute('data-reclaim', kind);
  host.setAttribute('data-scheme', scheme);
  // Our words are in Reclaim's language, not necessarily the portal's: say so to a screen reader.
  host.lang = language();
  const root = host.attachShadow({ mode: 'closed' });
  roots.set(host, root);
  return { host, root };
}

const roots = new WeakMap<Element, ShadowRoot>();

/** The closed root of one of our hosts (for this content script only: the page has no way to it). */
export function rootOf(host: Element): ShadowRoot | null {
  return roots.get(host) ?? null;
}
