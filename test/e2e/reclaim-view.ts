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

/** One of Reclaim's buttons or fields (an input, a textarea) as the manager sees it. */
export interface SeenControl {
  /** `button`, `input` or `textarea`. */
  tag: string;
  label: string;
  text: string;
  ariaLabel: string | null;
  /** A field's value (null for a button). */
  value: string | null;
  disabled: boolean;
  /** Where it is on screen (viewport px), its centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The host whose root it is in: 'row', 'bar', 'invite-row' or 'invite-bar'. */
  kind: string;
  /** Reclaim has seen it on screen long enough to act on a click (gate.ts). */
  seen: boolean;
}

/** What `readAll` found: one element's text, and its value if it is a field or an option. */
export interface SeenText {
  text: string;
  value: string | null;
}

/** One table row with what Reclaim put in it. */
export interface SeenRow {
  /** The row's own text as shown (without Reclaim's, without what Reclaim hides), e.g. "PendingJane Doe…" */
  text: string;
  inviteId: string | null;
  controls: number;
  note: string;
  /** The note's classes, e.g. "note urgent". */
  noteClass: string;
  /** The visible button's accessible name, or null. */
  button: string | null;
  /** What the row's reassign and renew controls say (their note), or ''. */
  inviteNote: string;
  /** Reclaim's visible buttons in the row. */
  buttons: number;
  /** Reclaim's word in the row's status cell (over the portal's stale one), or null. */
  status: string | null;
  /** The portal's own buttons in the row a person can see and reach. */
  portalButtons: number;
}

export interface SeenPage {
  rows: SeenRow[];
  bars: number;
  notices: string[];
  /**
   * The bar: its destructive button's text (null while hidden), its Undo's accessible name (null
   * while hidden), its message, the seats line, its live region and its background colour.
   */
  bar: {
    main: string | null;
    undo: string | null;
    msg: string | null;
    seats: string | null;
    live: string | null;
    surface: string | null;
  };
  /** Live regions in Reclaim's hosts. */
  liveRegions: number;
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
    const inner = root?.querySelector('reclaim-invite-row');
    const inviteNote = (inner ? open(inner) : null)?.querySelector('.acts > .info');
    const visible = [...(root?.querySelectorAll('button') ?? [])].filter((b) => !b.hidden);
    const word = tr.querySelector('reclaim-status');
    let text = '';
    // What the row shows: the portal's own parts that are displayed (not what Reclaim hides).
    for (const cell of tr.children)
      for (const n of cell.childNodes)
        if (n.nodeType === Node.TEXT_NODE) text += n.textContent;
        else if (!n.nodeName.startsWith('RECLAIM-') && getComputedStyle(n as Element).display !== 'none')
          // biome-ignore lint/performance/useDomNodeTextContent: what the row shows, not what it holds
          text += (n as HTMLElement).innerText ?? '';
    // What a person can see and Tab to of the portal's own: laid out, not inert.
    const portalButtons = [...tr.querySelectorAll('button, [role="button"]')].filter(
      (b) => (b as HTMLElement).offsetParent !== null && !b.closest('[inert]'),
    ).length;
    rows.push({
      text: text.replace(/\s+/g, ' ').trim(),
      inviteId: tr.getAttribute('data-invite-id'),
      controls: hosts.length,
      note: shown(note) ? (note.textContent ?? '') : '',
      noteClass: note?.getAttribute('class') ?? '',
      inviteNote: shown(inviteNote) ? (inviteNote.textContent ?? '') : '',
      button: visible[0]?.getAttribute('aria-label') ?? null,
      buttons: visible.length,
      status: word ? (open(word)?.textContent ?? '') : null,
      portalButtons,
    });
  }
  const bar = document.querySelector('reclaim-bar');
  const barRoot = bar ? open(bar) : null;
  const main = barRoot?.querySelector('button.primary');
  const undo = barRoot?.querySelector('button.undo');
  const msg = barRoot?.querySelector('.msg:not(.seats)');
  const seats = barRoot?.querySelector('.seats');
  let liveRegions = 0;
  for (const host of document.querySelectorAll('reclaim-row, reclaim-bar, reclaim-status, reclaim-notice'))
    liveRegions +=
      open(host)?.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]').length ?? 0;
  return {
    rows,
    bars: document.querySelectorAll('reclaim-bar').length,
    notices: [...document.querySelectorAll('reclaim-notice')].map((n) => open(n)?.textContent ?? ''),
    bar: {
      main: shown(main) ? (main.textContent ?? '') : null,
      undo: shown(undo) ? undo.getAttribute('aria-label') : null,
      msg: shown(msg) ? (msg.textContent ?? '') : null,
      seats: shown(seats) ? (seats.textContent ?? '') : null,
      live: barRoot?.querySelector('.sr')?.textContent ?? null,
      surface: (() => {
        const box = barRoot?.querySelector('.bar');
        return box ? getComputedStyle(box).backgroundColor : null;
      })(),
    },
    liveRegions,
  };
}

/**
 * Runs in Reclaim's world: every shown element of ours matching `selector` ('button', or
 * 'input, textarea'), in every root of ours, nested ones included.
 */
export function readControls(selector: string): SeenControl[] {
  // Chromium's extension API, else Firefox's own property (spelled out: nothing from outside may be used).
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const roots: { root: ShadowRoot; kind: string }[] = [];
  const visit = (scope: ParentNode) => {
    for (const host of scope.querySelectorAll('[data-reclaim]')) {
      const root = open(host);
      if (!root) continue;
      roots.push({ root, kind: host.getAttribute('data-reclaim') ?? '' });
      visit(root);
    }
  };
  visit(document);
  const out: SeenControl[] = [];
  for (const { root, kind } of roots)
    for (const el of root.querySelectorAll<HTMLElement>(selector || 'button')) {
      if (el.hidden || (el.checkVisibility && !el.checkVisibility())) continue;
      const r = el.getBoundingClientRect();
      const field = el as HTMLInputElement;
      out.push({
        tag: el.tagName.toLowerCase(),
        label: el.getAttribute('aria-label') ?? el.textContent ?? '',
        text: el.textContent ?? '',
        ariaLabel: el.getAttribute('aria-label'),
        value: el.tagName === 'BUTTON' ? null : field.value,
        disabled: el.getAttribute('aria-disabled') === 'true',
        x: r.left + r.width / 2,
        y: r.top + r.height / 2,
        width: r.width,
        height: r.height,
        kind,
        seen: el.hasAttribute('data-seen'),
      });
    }
  return out;
}

/**
 * Runs in Reclaim's world: the text (and a field's value) of every element matching the selector
 * in roots of ours of one kind. `query` is JSON: { selector, kind } (kind: 'invite-bar', …).
 */
export function readAll(query: string): SeenText[] {
  const { selector, kind } = JSON.parse(query) as { selector: string; kind: string };
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const out: SeenText[] = [];
  const visit = (scope: ParentNode) => {
    for (const host of scope.querySelectorAll('[data-reclaim]')) {
      const root = open(host);
      if (!root) continue;
      if (host.getAttribute('data-reclaim') === kind)
        for (const el of root.querySelectorAll(selector))
          out.push({
            text: el.textContent ?? '',
            value: ['INPUT', 'TEXTAREA', 'OPTION'].includes(el.tagName)
              ? (el as HTMLInputElement).value
              : null,
          });
      visit(root);
    }
  };
  visit(document);
  return out;
}

/** Runs in Reclaim's world: the accessible name of our control that has the focus, if any. */
export function readFocus(): string | null {
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  let el = document.activeElement;
  // Down through our hosts (a nested one holds the reassign and renew controls) to what has it.
  while (el?.tagName.startsWith('RECLAIM-')) el = open(el)?.activeElement ?? null;
  return el && el !== document.activeElement ? (el.getAttribute('aria-label') ?? el.textContent) : null;
}

/** Runs in Reclaim's world: scrolls the first matching button or field of ours to the middle of the view. */
export function scrollTo(source: string): boolean {
  const re = new RegExp(source);
  const open = (host: Element): ShadowRoot | null =>
    (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
    (host as unknown as Closed).openOrClosedShadowRoot ??
    null;
  const find = (scope: ParentNode): HTMLElement | null => {
    for (const host of scope.querySelectorAll('[data-reclaim]')) {
      const root = open(host);
      if (!root) continue;
      for (const el of root.querySelectorAll<HTMLElement>('button, input, textarea'))
        if (
          !el.hidden &&
          (!el.checkVisibility || el.checkVisibility()) &&
          re.test(el.getAttribute('aria-label') ?? el.textContent ?? '')
        )
          return el;
      const inner = find(root);
      if (inner) return inner;
    }
    return null;
  };
  const el = find(document);
  el?.scrollIntoView({ block: 'center' });
  return el !== null;
}

/** Runs in Reclaim's world: moves the focus to the first visible button of ours whose name matches (as a screen reader's cursor might). */
export function focusButton(source: string): boolean {
  const re = new RegExp(source);
  for (const host of document.querySelectorAll('reclaim-row, reclaim-bar')) {
    const root: ShadowRoot | null =
      (globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(host) ??
      (host as unknown as Closed).openOrClosedShadowRoot ??
      null;
    for (const b of root?.querySelectorAll('button') ?? [])
      if (!b.hidden && re.test(b.getAttribute('aria-label') ?? b.textContent ?? '')) {
        (b as HTMLElement).focus();
        return true;
      }
  }
  return false;
}

/** Runs in Reclaim's world: from now on keeps every text the bar's live region is given, in order. */
export function listenLive(): boolean {
  const g = globalThis as unknown as { __reclaimHeard?: string[]; __reclaimEar?: MutationObserver };
  const bar = document.querySelector('reclaim-bar');
  const root: ShadowRoot | null = bar
    ? ((globalThis as unknown as Opener).chrome?.dom?.openOrClosedShadowRoot?.(bar) ??
      (bar as unknown as Closed).openOrClosedShadowRoot ??
      null)
    : null;
  const live = root?.querySelector('[aria-live]');
  if (!live) return false;
  g.__reclaimEar?.disconnect();
  const heard: string[] = [];
  g.__reclaimHeard = heard;
  g.__reclaimEar = new MutationObserver(() => {
    const text = live.textContent ?? '';
    if (text) heard.push(text);
  });
  g.__reclaimEar.observe(live, { childList: true, characterData: true, subtree: true });
  return true;
}

/** Runs in Reclaim's world: what the live region was given since `listenLive`. */
export function heardLive(): string[] {
  return (globalThis as unknown as { __reclaimHeard?: string[] }).__reclaimHeard ?? [];
}
