/**
 * DOM helpers of the portal's page script: element building (never innerHTML), the page's
 * notice, table filling (timed), the three-dots menus and the confirmation dialog.
 */

export const root = document.getElementById('app') as HTMLElement;
/** Ends every listener the script added when the page goes away. */
export const life = new AbortController();
/** How long each table render took (ms), newest last; read by benchmarks through window.__portal. */
export const renderMs: number[] = [];

type Attrs = Record<string, string | boolean | undefined>;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

export function $(sel: string, within: ParentNode = root): HTMLElement | null {
  return within.querySelector<HTMLElement>(sel);
}

export function notice(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const n = $('[data-notice]');
  if (!n) return;
  n.textContent = text;
  n.className = `notice notice-${kind}`;
  n.hidden = false;
}

export function clearNotice(): void {
  const n = $('[data-notice]');
  if (n) n.hidden = true;
}

/** Replaces a table body's rows, recording how long the render took. */
export function fillTable(
  table: HTMLTableElement | null,
  rows: HTMLTableRowElement[],
  empty: string,
  emptyClass = 'empty',
): void {
  if (!table) return;
  const t0 = performance.now();
  const tbody = table.tBodies[0] ?? table.appendChild(document.createElement('tbody'));
  const cols = table.tHead?.rows[0]?.cells.length ?? 1;
  if (rows.length === 0) rows = [h('tr', { class: emptyClass }, h('td', { colspan: String(cols) }, empty))];
  tbody.replaceChildren(...rows);
  renderMs.push(performance.now() - t0);
  if (renderMs.length > 500) renderMs.splice(0, renderMs.length - 500);
}

/** The portal's own confirmation: resolves true for "Cancel invite". */
export function confirmCancel(): Promise<boolean> {
  return new Promise((resolve) => {
    const ctl = new AbortController();
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': 'yes' }, 'Cancel invite');
    const no = h('button', { type: 'button', 'data-confirm': 'no' }, 'Keep');
    const box = h(
      'div',
      { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title' },
      h('p', { id: 'confirm-title' }, 'Cancel this invite? The licence returns to your pool.'),
      h('div', { class: 'dialog-actions' }, no, yes),
    );
    const overlay = h('div', { class: 'overlay', 'data-portal-dialog': true }, box);
    const done = (answer: boolean) => {
      ctl.abort();
      overlay.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true), { signal: ctl.signal });
    no.addEventListener('click', () => done(false), { signal: ctl.signal });
    overlay.addEventListener('click', (e) => e.target === overlay && done(false), { signal: ctl.signal });
    document.addEventListener('keydown', (e) => e.key === 'Escape' && done(false), { signal: ctl.signal });
    document.body.append(overlay);
    no.focus();
  });
}

function closeMenus(except?: Element): void {
  for (const m of document.querySelectorAll<HTMLElement>('.menu:not([hidden])')) {
    if (m === except) continue;
    m.hidden = true;
    m.parentElement?.querySelector('[aria-haspopup]')?.setAttribute('aria-expanded', 'false');
  }
}

/** A three-dots button with a dropdown of items. */
export function kebab(
  label: string,
  items: { text: string; disabled?: boolean; run: () => void }[],
): HTMLElement {
  const menu = h('ul', { class: 'menu', role: 'menu', hidden: true });
  for (const it of items) {
    const b = h('button', { type: 'button', role: 'menuitem', disabled: it.disabled }, it.text);
    b.addEventListener('click', () => {
      closeMenus();
      it.run();
    });
    menu.append(h('li', { role: 'none' }, b));
  }
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'kebab',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-label': label,
    },
    '⋯',
  );
  btn.addEventListener('click', (e) => {
    e.stopPropagation();
    const open = menu.hidden;
    closeMenus();
    menu.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    if (open) menu.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  });
  return h('div', { class: 'menu-wrap' }, btn, menu);
}

document.addEventListener('click', () => closeMenus(), { signal: life.signal });
document.addEventListener('keydown', (e) => e.key === 'Escape' && closeMenus(), { signal: life.signal });
