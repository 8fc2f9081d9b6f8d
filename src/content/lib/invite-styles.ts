/**
 * The shadow hosts of the reassign, renew and make-room controls: their own element names and
 * sheet (the page's theme tokens, as every Reclaim control has), so the existing controls' styles
 * are left as they are.
 */
import { themeCss } from '../../shared/ui/theme';
import { closedHost, type Scheme, sharedSheet, tokensByPage } from './styles';

const css = `${tokensByPage(themeCss)}
:host{display:inline-flex;position:relative;vertical-align:middle;font:inherit;line-height:1.3;color:var(--rc-fg)}
:host([data-reclaim=invite-bar]){display:block;margin:.5em 0 0}
[hidden]{display:none!important}
.acts{display:inline-flex;align-items:center;gap:.4em;flex-wrap:wrap}
@media (min-width:60em){.acts{flex-wrap:nowrap;white-space:nowrap}}
.info{color:var(--rc-muted);font-size:.9em;white-space:normal}
.info.ok{color:var(--rc-ok)}
.info.bad{color:var(--rc-danger)}
button{font:inherit;font-weight:600;line-height:1.3;padding:.2em .6em;border-radius:var(--rc-radius);border:1px solid var(--rc-accent);background:var(--rc-bg);color:var(--rc-accent);cursor:pointer}
button:focus-visible,input:focus-visible,textarea:focus-visible{outline:2px solid var(--rc-focus);outline-offset:1px}
button[aria-disabled=true]{opacity:.6;cursor:default}
button.main{background:var(--rc-accent);color:var(--rc-bg)}
:host([data-reclaim=invite-row]) .acts button{font-size:.85em;padding:.15em .45em}
.pop{position:absolute;z-index:2147483000;top:100%;right:0;margin-top:.3em;min-width:20em;display:flex;flex-direction:column;gap:.4em;padding:.6em;border:1px solid var(--rc-border);border-radius:var(--rc-radius);background:var(--rc-bg);box-shadow:0 4px 16px rgba(0,0,0,.18);white-space:normal}
input,textarea{font:inherit;color:var(--rc-fg);background:var(--rc-bg);border:1px solid var(--rc-muted);border-radius:var(--rc-radius);padding:.25em .4em}
textarea{width:100%;box-sizing:border-box;min-height:6em;resize:vertical}
.panel{display:flex;flex-direction:column;gap:.5em;padding:.5em .75em;border:1px solid var(--rc-border);border-radius:var(--rc-radius);background:var(--rc-surface);font-size:.95em}
.row{display:flex;gap:.5em;flex-wrap:wrap;align-items:center}
ul{margin:0;padding-left:1.2em}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

const styleRoot = sharedSheet(css);

export function makeInviteHost(kind: 'invite-row' | 'invite-bar', scheme: Scheme) {
  // Closed, as every host of ours (styles.ts says why).
  const { host, root } = closedHost(kind, scheme);
  styleRoot(root);
  return { host, root };
}
