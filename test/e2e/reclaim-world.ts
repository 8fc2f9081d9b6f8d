/**
 * Reclaim's in-page controls as a test sees them. They live in closed shadow roots, which a page
 * script (and Playwright's selectors, which run as one) cannot enter; the test reads them from
 * Reclaim's own content-script world instead (through CDP), where `chrome.dom` opens a closed
 * root, and presses them as a person does: a real pointer click at the button's place, or real
 * keys. Nested roots (the reassign and renew controls inside a row's or the bar's) are read too.
 *
 *   const ui = await reclaimUi(page);
 *   await ui.click(/^Revoke invite: Jane Doe/);
 *   await ui.type(/^New address$/, 'pat@example.com');
 */
import type { CDPSession, Page } from 'playwright-core';
import { SEEN_MS } from '../../src/content/lib/gate';
import { AXE_SOURCE, type AxeVerdict, verdictOf } from './axe-verdict';
import {
  focusButton,
  heardLive,
  listenLive,
  readAll,
  readControls,
  readFocus,
  readPage,
  type SeenControl,
  type SeenPage,
  type SeenText,
  scrollTo,
} from './reclaim-view';

export type { SeenControl, SeenPage, SeenRow, SeenText } from './reclaim-view';

const BUTTONS = 'button';
const FIELDS = 'input, textarea';

/** One of our shadow hosts on the page, as its attributes say. */
export interface SeenHost {
  kind: string | null;
  scheme: string | null;
  lang: string | null;
}

/** Our shadow hosts: each has a scheme (the one <style> we add to the page has data-reclaim only). */
const HOSTS = '[data-reclaim][data-scheme]';

export interface ReclaimUi {
  page(): Promise<SeenPage>;
  /** Waits until Reclaim's bar has counted and its rows show their buttons and countdowns. */
  drawn(): Promise<void>;
  /** Our shadow hosts in the page (not those nested in our roots). */
  hosts(): Promise<SeenHost[]>;
  buttons(): Promise<SeenControl[]>;
  /** The first visible button whose accessible name (or text) matches. */
  button(name: RegExp): Promise<SeenControl | null>;
  /** The first visible input or textarea whose accessible name matches. */
  field(name: RegExp): Promise<SeenControl | null>;
  focused(): Promise<string | null>;
  /**
   * Waits for a button, brings it into view and lets the manager see it, then clicks it with the
   * mouse. `at once`: as soon as it is in view and still, for what the click gate does not hold
   * (Undo, opening a form), where a short window may not leave time to wait.
   */
  click(name: RegExp, opts?: { atOnce?: boolean }): Promise<void>;
  /** Waits until a matching button or field is on screen, unmoved, for longer than Reclaim asks before it acts. */
  settle(name: RegExp, opts?: { atOnce?: boolean }): Promise<SeenControl>;
  /**
   * Types into a field of ours as a person does: settles it, clicks into it, selects what it holds
   * and types over it; `paste`: the whole text arrives at once, with one input event, as a paste;
   * `atOnce` as for `click` (a field whose Enter sends nothing, which the gate does not follow).
   */
  type(name: RegExp, text: string, opts?: { paste?: boolean; atOnce?: boolean }): Promise<void>;
  /** The text (and a field's value) of every element matching `selector` in our roots of one kind ('invite-bar', …). */
  read(selector: string, kind: string): Promise<SeenText[]>;
  /**
   * Clicks a button as `click` does, and says how long (ms, the page's own clock) it was from that
   * click's event to the first change under `selector` in a root of `kind`.
   */
  timeToChange(name: RegExp, selector: string, kind: string): Promise<number>;
  /** Moves the focus to a button of ours from Reclaim's world (not the manager's focus: the gate knows). */
  focus(name: RegExp): Promise<boolean>;
  /** Starts keeping what the bar's live region says; `heard` returns it. */
  listen(): Promise<boolean>;
  heard(): Promise<string[]>;
  /** axe-core's violations on the page, our closed roots included (run in Reclaim's world). */
  axe(): Promise<string[]>;
  /** axe-core on our hosts only (not the portal's markup), their closed roots included. */
  axeOurs(): Promise<AxeVerdict>;
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

  /** axe-core run in Reclaim's world over `context` (an expression there: a document, our hosts). */
  async function axeIn(context: string): Promise<AxeVerdict> {
    // axe-core walks open shadow roots only; in Reclaim's world, let it open ours.
    await run(`(() => {
      const open = (e) => chrome.dom.openOrClosedShadowRoot(e);
      Object.defineProperty(Element.prototype, 'shadowRoot', { configurable: true, get() { return open(this); } });
    })()`);
    await run(AXE_SOURCE);
    return run(`axe.run(${context}).then(${verdictOf.toString()})`);
  }

  const find = async (name: RegExp, selector: string) =>
    (await run(readControls, selector)).find((b) => name.test(b.label)) ?? null;

  const ui: ReclaimUi = {
    page: () => run(readPage),
    async drawn() {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const seen = await ui.page();
        if (seen.bar.main !== null && seen.rows.some((row) => row.buttons > 0 && row.note !== '')) return;
        if (Date.now() > deadline)
          throw new Error(`Reclaim's controls were not drawn: ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    hosts: () =>
      page.evaluate(
        (selector) =>
          [...document.querySelectorAll(selector)].map((h) => ({
            kind: h.getAttribute('data-reclaim'),
            scheme: h.getAttribute('data-scheme'),
            lang: h.getAttribute('lang'),
          })),
        HOSTS,
      ),
    buttons: () => run(readControls, BUTTONS),
    button: (name) => find(name, BUTTONS),
    field: (name) => find(name, FIELDS),
    focused: () => run(readFocus),
    async settle(name, opts = {}) {
      const deadline = Date.now() + 20_000;
      while (!(await run(scrollTo, name.source))) {
        if (Date.now() > deadline) {
          const seen = (await ui.buttons()).map((b) => b.label).join(' | ');
          throw new Error(`no button ${name} on the page; there are: ${seen}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // Reclaim acts on a button once it has seen it for SEEN_MS; held still that long here too.
      const any = `${BUTTONS}, ${FIELDS}`;
      let first = await find(name, any);
      let since = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await find(name, any);
        if (!now || !first || now.x !== first.x || now.y !== first.y) {
          first = now;
          since = Date.now();
        } else if (opts.atOnce || (now.seen && Date.now() - since > SEEN_MS)) return now;
        if (Date.now() > deadline) throw new Error(`button ${name} never held still and seen on screen`);
      }
    },
    async click(name, opts = {}) {
      const b = await ui.settle(name, opts);
      await page.mouse.click(b.x, b.y);
    },
    async type(name, text, opts = {}) {
      const f = await ui.settle(name, opts);
      if (f.tag === 'button') throw new Error(`${name} is a button, not a field`);
      if (opts.paste) {
        // Through the clipboard, as a person pastes: CDP's insertText of thousands of lines takes
        // Chromium minutes, line by line, where Ctrl+V is one insertion and one input event.
        const origin = new URL(page.url()).origin;
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
        await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      }
      await page.mouse.click(f.x, f.y);
      await page.keyboard.press('Control+A');
      if (opts.paste) await page.keyboard.press('Control+V');
      else if (text === '') await page.keyboard.press('Delete');
      else await page.keyboard.type(text);
    },
    read: (selector, kind) => run(readAll, JSON.stringify({ selector, kind })),
    async timeToChange(name, selector, kind) {
      const b = await ui.settle(name);
      const armed = await run((query: string) => {
        const { selector, kind } = JSON.parse(query) as { selector: string; kind: string };
        const open = (host: Element) =>
          (
            globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot } } }
          ).chrome.dom.openOrClosedShadowRoot(host);
        const lookIn = (scope: ParentNode): Element | null => {
          for (const host of scope.querySelectorAll('[data-reclaim]')) {
            const root = open(host);
            const hit = host.getAttribute('data-reclaim') === kind ? root?.querySelector(selector) : null;
            const found = hit ?? (root ? lookIn(root) : null);
            if (found) return found;
          }
          return null;
        };
        const target = lookIn(document);
        if (!target) return false;
        const lap = { t0: 0, t1: 0 };
        (globalThis as unknown as { __reclaimLap: typeof lap }).__reclaimLap = lap;
        // The click's own time (the browser stamps it when the press arrives), then the first change after it.
        const stamp = (e: Event) => {
          if (e.isTrusted && !lap.t0) lap.t0 = e.timeStamp;
        };
        addEventListener('click', stamp, { capture: true });
        const watch = new MutationObserver(() => {
          if (!lap.t0) return;
          lap.t1 = performance.now();
          watch.disconnect();
          removeEventListener('click', stamp, { capture: true });
        });
        watch.observe(target, { childList: true, subtree: true, characterData: true });
        return true;
      }, JSON.stringify({ selector, kind }));
      if (!armed) throw new Error(`nothing matches ${selector} in a root of kind ${kind}`);
      await page.mouse.click(b.x, b.y);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const lap = await run('globalThis.__reclaimLap');
        const { t0, t1 } = lap as { t0: number; t1: number };
        if (t1) return t1 - t0;
        if (Date.now() > deadline) throw new Error(`nothing changed under ${selector} after the click`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    focus: (name) => run(focusButton, name.source),
    listen: () => run(listenLive),
    heard: () => run(heardLive),
    async axe() {
      return (await axeIn('document')).violations;
    },
    axeOurs: () => axeIn(`document.querySelectorAll(${JSON.stringify(HOSTS)})`),
    detach: () => cdp.detach().catch(() => {}),
  };
  return ui;
}
