/**
 * Reclaim's in-page controls as the manager sees them, read from inside Reclaim's own
 * content-script world: its shadow roots are closed, so only that world can open them
 * (`chrome.dom.openOrClosedShadowRoot` in Chromium, `element.openOrClosedShadowRoot` in Firefox).
 * Each function here is sent there as its source text and run as it is: it must use nothing
 * from outside its own body.
 */
/** Types only (erased from the functions' source). */
interface Opener {
  chrome?: { dom?: { openOrClosedShadowRoot?(e: Element): ShadowRoot | null } };
}
interface Closed {
  openOrClosedShadowRoot?: ShadowRoot | null;
}

/** One of Reclaim's buttons as the manager sees it. */
export interface SeenButton {
  label: string;
  text: string;
  ariaLabel: string | null;
  disabled: boolean;
  /** Where it is on screen (viewport px), its centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The host it sits in: 'row' or 'bar'. */
  kind: string;
  /** Reclaim has seen it on screen long enough to act on a click (gate.ts). */
  seen: boolean;
}

/** One table row with what Reclaim put in it. */
export interface SeenRow {
  /** The row's own text (without Reclaim's), e.g. "PendingJane Doe…" */
  text: string;
  inviteId: string | null;
  controls: number;
  note: string;
  /** The note's classes, e.g. "note urgent". */
  noteClass: string;
  /** The visible button's accessible name, or null. */
  button: string | null;
}

export interface SeenPage {
  rows: SeenRow[];
  bars: number;
  notices: string[];
  /** The bar's main button text, its message, its live region and its background colour. */
  bar: { main: string | null; msg: string | null; live: string | null; surface: string | null };
}

/** Runs in Reclaim's world: the page as Reclaim drew it. */
export function readPage(): SeenPage {
  // Chromium's extension API, else Firefox's own property (spelled out: nothing from outside may be used).
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const shown = (el: Element | null | undefined): el is HTMLElement => !!el && !(el as HTMLElement).hidden;
  const rows: SeenRow[] = [];
  // The invite table: the one Reclaim's bar stands before (the notice may be between), else every table's rows.
  let table = document.querySelector('reclaim-bar')?.nextElementSibling ?? null;
  while (table?.tagName.startsWith('RECLAIM-')) table = table.nextElementSibling;
  const trs =
    table?.tagName === 'TABLE' ? table.querySelectorAll('tbody tr') : document.querySelectorAll('tbody tr');
  for (const tr of trs) {
    const hosts = [...tr.querySelectorAll('reclaim-row')];
    const root = hosts[0] ? open(hosts[0]) : null;
    const note = root?.querySelector('.note');
    const button = root?.querySelector('button');
    let text = '';
    for (const cell of tr.children)
      for (const n of cell.childNodes) if (n.nodeName !== 'RECLAIM-ROW') text += n.textContent;
    rows.push({
      text: text.replace(/\s+/g, ' ').trim(),
      inviteId: tr.getAttribute('data-invite-id'),
      controls: hosts.length,
      note: shown(note) ? (note.textContent ?? '') : '',
      noteClass: note?.getAttribute('class') ?? '',
      button: shown(button) ? button.getAttribute('aria-label') : null,
    });
  }
  const bar = document.querySelector('reclaim-bar');
  const barRoot = bar ? open(bar) : null;
  return {
    rows,
    bars: document.querySelectorAll('reclaim-bar').length,
    notices: [...document.querySelectorAll('reclaim-notice')].map((n) => open(n)?.textContent ?? ''),
    bar: {
      main: barRoot?.querySelector('button')?.textContent ?? null,
      msg: barRoot?.querySelector('.msg')?.textContent ?? null,
      live: barRoot?.querySelector('.sr')?.textContent ?? null,
      surface: (() => {
        const box = barRoot?.querySelector('.bar');
        return box ? getComputedStyle(box).backgroundColor : null;
      })(),
    },
  };
}

/** Runs in Reclaim's world: every visible button of ours. */
export function readButtons(): SeenButton[] {
  // Chromium's extension API, else Firefox's own property (spelled out: nothing from outside may be used).
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const out: SeenButton[] = [];
  for (const host of document.querySelectorAll('reclaim-row, reclaim-bar')) {
    for (const b of open(host)?.querySelectorAll('button') ?? []) {
      if (b.hidden) continue;
      const r = b.getBoundingClientRect();
      out.push({
        label: b.getAttribute('aria-label') ?? b.textContent ?? '',
        text: b.textContent ?? '',
        ariaLabel: b.getAttribute('aria-label'),
        disabled: b.getAttribute('aria-disabled') === 'true',
        x: r.left + r.width / 2,
        y: r.top + r.height / 2,
        width: r.width,
        height: r.height,
        kind: host.getAttribute('data-reclaim') ?? '',
        seen: b.hasAttribute('data-seen'),
      });
    }
  }
  return out;
}

/** Runs in Reclaim's world: the accessible name of our button that has the focus, if any. */
export function readFocus(): string | null {
  const host = document.activeElement;
  if (!host?.tagName.startsWith('RECLAIM-')) return null;
  const root: ShadowRoot | null =
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const b = root?.activeElement;
  return b ? (b.getAttribute('aria-label') ?? b.textContent) : null;
}

/** Runs in Reclaim's world: scrolls the first matching button to the middle of the view. */
export function scrollTo(source: string): boolean {
  const re = new RegExp(source);
  for (const host of document.querySelectorAll('reclaim-row, reclaim-bar')) {
    const root: ShadowRoot | null =
      (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
      (host as unknown as Closed).openOrClosedShadowRoot ??
      null;
    for (const b of root?.querySelectorAll('button') ?? [])
      if (!b.hidden && re.test(b.getAttribute('aria-label') ?? b.textContent ?? '')) {
        b.scrollIntoView({ block: 'center' });
        return true;
      }
  }
  return false;
}
