/**
 * Base styles for Reclaim's own extension pages (popup, options), built on the tokens of
 * theme.ts so they look like the in-page controls. Light and dark follow prefers-color-scheme.
 */
import { themeCss } from './theme';

const pageBaseCss = `
*, *::before, *::after { box-sizing: border-box; }
body {
  margin: 0;
  font: 14px/1.4 var(--rc-font);
  color: var(--rc-fg);
  background: var(--rc-bg);
}
h1, h2, h3 { margin: 0; line-height: 1.25; }
h1 { font-size: 16px; }
h2 { font-size: 14px; }
p { margin: 0; }
a { color: var(--rc-focus); }
:focus-visible { outline: 2px solid var(--rc-focus); outline-offset: 2px; }
.rc-visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
.rc-btn {
  font: inherit; font-weight: 600; cursor: pointer;
  padding: 6px 12px; border-radius: var(--rc-radius);
  border: 1px solid var(--rc-border); background: var(--rc-surface); color: var(--rc-fg);
}
.rc-btn:hover:not(:disabled) { border-color: var(--rc-muted); }
.rc-btn:disabled { cursor: not-allowed; opacity: .6; }
.rc-btn-primary { background: var(--rc-accent); border-color: var(--rc-accent); color: var(--rc-accent-fg); }
.rc-btn-danger { background: var(--rc-danger-bg); border-color: var(--rc-danger); color: var(--rc-danger); }
.rc-btn-quiet { background: transparent; border-color: transparent; color: var(--rc-focus); padding: 2px 4px; }
.rc-input {
  font: inherit; color: var(--rc-fg); background: var(--rc-bg);
  border: 1px solid var(--rc-muted); border-radius: var(--rc-radius); padding: 5px 8px;
}
.rc-muted { color: var(--rc-muted); }
.rc-urgent { color: var(--rc-danger); font-weight: 600; }
.rc-note {
  padding: 10px 12px; border-radius: var(--rc-radius);
  background: var(--rc-surface); border: 1px solid var(--rc-border);
}
.rc-note-warn { background: var(--rc-warn-bg); border-color: var(--rc-warn); color: var(--rc-fg); }
.rc-note-danger { background: var(--rc-danger-bg); border-color: var(--rc-danger); color: var(--rc-fg); }
.rc-note-ok { background: var(--rc-ok-bg); border-color: var(--rc-ok); color: var(--rc-fg); }
.rc-bar { height: 10px; border-radius: 5px; background: var(--rc-surface); border: 1px solid var(--rc-border); overflow: hidden; }
.rc-bar > span { display: block; height: 100%; background: var(--rc-accent); }
table.rc-table { border-collapse: collapse; width: 100%; }
.rc-table th, .rc-table td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--rc-border); vertical-align: top; }
.rc-table th { font-size: 12px; color: var(--rc-muted); font-weight: 600; }
`;

/** Theme tokens plus the base page styles, for one <style> element. */
const pageCss = themeCss + pageBaseCss;

/** Adds Reclaim's page styles (and `extra`) to the document once. */
export function installPageCss(doc: Document, extra = ''): void {
  if (doc.getElementById('reclaim-page-css')) return;
  const style = doc.createElement('style');
  style.id = 'reclaim-page-css';
  style.textContent = pageCss + extra;
  doc.head.append(style);
}
