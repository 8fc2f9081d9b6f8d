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
import { readButtons, readFocus, readPage, type SeenButton, type SeenPage, scrollTo } from './reclaim-view';

export type { SeenButton, SeenPage, SeenRow } from './reclaim-view';

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
      // Reclaim acts on a button once it has seen it for SEEN_MS; held still that long here too.
      let first = await ui.button(name);
      let since = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await ui.button(name);
        if (!now || !first || now.x !== first.x || now.y !== first.y) {
          first = now;
          since = Date.now();
        } else if (now.seen && Date.now() - since > SEEN_MS) return now;
        if (Date.now() > deadline) throw new Error(`button ${name} never held still and seen on screen`);
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
