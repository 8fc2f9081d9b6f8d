/**
 * Reclaim's in-page controls as a test sees them. They live in closed shadow roots, which a page
 * script (and Playwright's selectors, which run as one) cannot enter; the test reads them from
 * Reclaim's own content-script world instead (through CDP), where `chrome.dom` opens a closed
 * root, and presses them as a person does: a real pointer click at the button's place, or real
 * keys.
 *
 *   const ui = await reclaimUi(page);
 *   await ui.waitForBar();
 *   await ui.click(/^Revoke invite: Jane Doe/);
 */
import axe from 'axe-core';
import type { CDPSession, Page } from 'playwright-core';
import { SEEN_MS } from '../../src/content/lib/gate';

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
function readPage(): SeenPage {
  const open = (host: Element) =>
    (
      chrome as unknown as { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } }
    ).dom.openOrClosedShadowRoot(host);
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
function readButtons(): SeenButton[] {
  const open = (host: Element) =>
    (
      chrome as unknown as { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } }
    ).dom.openOrClosedShadowRoot(host);
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
      });
    }
  }
  return out;
}

/** Runs in Reclaim's world: the accessible name of our button that has the focus, if any. */
function readFocus(): string | null {
  const host = document.activeElement;
  if (!host?.tagName.startsWith('RECLAIM-')) return null;
  const root = (
    chrome as unknown as { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } }
  ).dom.openOrClosedShadowRoot(host);
  const b = root?.activeElement;
  return b ? (b.getAttribute('aria-label') ?? b.textContent) : null;
}

/** Runs in Reclaim's world: scrolls the first matching button to the middle of the view. */
function scrollTo(source: string): boolean {
  const re = new RegExp(source);
  for (const host of document.querySelectorAll('reclaim-row, reclaim-bar')) {
    const root = (
      chrome as unknown as { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } }
    ).dom.openOrClosedShadowRoot(host);
    for (const b of root?.querySelectorAll('button') ?? [])
      if (!b.hidden && re.test(b.getAttribute('aria-label') ?? b.textContent ?? '')) {
        b.scrollIntoView({ block: 'center' });
        return true;
      }
  }
  return false;
}

export interface ReclaimUi {
  page(): Promise<SeenPage>;
  buttons(): Promise<SeenButton[]>;
  /** The first visible button whose accessible name (or text) matches. */
  button(name: RegExp): Promise<SeenButton | null>;
  focused(): Promise<string | null>;
  /** Waits for a button, brings it into view and lets the manager see it, then clicks it with the mouse. */
  click(name: RegExp): Promise<void>;
  /** Waits until a matching button is on screen, unmoved, for longer than Reclaim asks before it acts. */
  settle(name: RegExp): Promise<SeenButton>;
  /** axe-core's violations on the page, our closed roots included (run in Reclaim's world). */
  axe(): Promise<string[]>;
  detach(): Promise<void>;
}

export async function reclaimUi(page: Page): Promise<ReclaimUi> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const contexts = new Map<number, { name: string; frameId: string }>();
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    const aux = context.auxData as { frameId?: string } | undefined;
    contexts.set(context.id, { name: context.name, frameId: aux?.frameId ?? '' });
  });
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
    contexts.delete(executionContextId);
  });
  cdp.on('Runtime.executionContextsCleared', () => contexts.clear());
  await cdp.send('Runtime.enable');

  async function world(): Promise<number> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const mine = [...contexts.entries()].filter(
        ([, c]) => c.name === 'Reclaim' && c.frameId === frameTree.frame.id,
      );
      const last = mine.at(-1);
      if (last) return last[0];
      if (Date.now() > deadline) throw new Error("Reclaim's content script is not running on this page");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function run<T>(fn: ((arg: string) => T) | string, arg = ''): Promise<T> {
    const expression = typeof fn === 'string' ? fn : `(${fn.toString()})(${JSON.stringify(arg)})`;
    for (let attempt = 0; ; attempt++) {
      const contextId = await world();
      try {
        const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
          expression,
          contextId,
          returnByValue: true,
          awaitPromise: true,
        });
        if (exceptionDetails)
          throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
        return result.value as T;
      } catch (err) {
        // The page navigated between finding the world and using it: find it again.
        if (attempt < 3 && /context|Cannot find/i.test(String(err))) continue;
        throw err;
      }
    }
  }

  const ui: ReclaimUi = {
    page: () => run(readPage),
    buttons: () => run(readButtons),
    async button(name) {
      return (await ui.buttons()).find((b) => name.test(b.label)) ?? null;
    },
    focused: () => run(readFocus),
    async settle(name) {
      const deadline = Date.now() + 20_000;
      while (!(await run(scrollTo, name.source))) {
        if (Date.now() > deadline) {
          const seen = (await ui.buttons()).map((b) => b.label).join(' | ');
          throw new Error(`no button ${name} on the page; there are: ${seen}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // Reclaim acts on a button seen for SEEN_MS (its visibility reports come every 100 ms at most).
      let first = await ui.button(name);
      let since = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await ui.button(name);
        if (!now || !first || now.x !== first.x || now.y !== first.y) {
          first = now;
          since = Date.now();
        } else if (Date.now() - since > SEEN_MS + 400) return now;
        if (Date.now() > deadline) throw new Error(`button ${name} never held still on screen`);
      }
    },
    async click(name) {
      const b = await ui.settle(name);
      await page.mouse.click(b.x, b.y);
    },
    async axe() {
      // axe-core walks open shadow roots only; in Reclaim's world, let it open ours.
      await run(`(() => {
        const open = (e) => chrome.dom.openOrClosedShadowRoot(e);
        Object.defineProperty(Element.prototype, 'shadowRoot', { configurable: true, get() { return open(this); } });
      })()`);
      await run(axe.source);
      return run(`axe.run(document).then((r) => r.violations.map(
        (v) => v.id + ': ' + v.nodes.map((n) => JSON.stringify(n.target)).join(' ')))`);
    },
    detach: () => cdp.detach().catch(() => {}),
  };
  return ui;
}
