/**
 * The real toolbar popup, over a given tab, as a click on Reclaim's toolbar button opens it: CDP's
 * Extensions.triggerAction runs the button's action for that tab, which also grants Reclaim
 * activeTab there (so the popup sees the tab's address, as it does for a manager). It needs the
 * Chromium flag ACTION_POPUP_ARGS, and Playwright's own pipe connection.
 *
 * Playwright does not list extension popups among a context's pages, so the popup is driven over
 * the browser's CDP session with raw messages to its target (`evaluate`, with a user gesture
 * where a click needs one).
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export const ACTION_POPUP_ARGS = ['--enable-unsafe-extension-debugging'];

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  embedderData?: { tabActive?: boolean };
}

interface EvaluateAnswer {
  result?: { value?: unknown };
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

export interface ActionPopup {
  /** Sends one CDP command to the popup's target. */
  send(method: string, params?: object): Promise<unknown>;
  /** Evaluates `expression` in the popup, awaiting a promise; `userGesture` as a click's. */
  evaluate<T>(expression: string, opts?: { userGesture?: boolean }): Promise<T>;
  /** Polls `expression` until it is truthy. */
  waitFor(what: string, expression: string, timeoutMs?: number): Promise<void>;
  /** Resolves once the browser has closed the popup (as it does when the popup loses focus). */
  closedByBrowser(timeoutMs?: number): Promise<void>;
  /** Closes the popup, as the browser does when it loses focus. */
  close(): Promise<void>;
}

async function targets(cdp: CDPSession, type: string): Promise<TargetInfo[]> {
  const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{ type }] } as never)) as {
    targetInfos: TargetInfo[];
  };
  return targetInfos.filter((t) => t.type === type);
}

export async function openActionPopup(
  context: BrowserContext,
  extensionId: string,
  tab: Page,
): Promise<ActionPopup> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser connection for CDP');
  await tab.bringToFront();
  const cdp = await browser.newBrowserCDPSession();
  const popupUrl = `chrome-extension://${extensionId}/src/popup/index.html`;
  const before = new Set((await targets(cdp, 'page')).map((t) => t.targetId));
  const tabTarget = (await targets(cdp, 'tab')).find((t) => t.embedderData?.tabActive && t.url === tab.url());
  if (!tabTarget) throw new Error(`no active tab target at ${tab.url()}`);
  await cdp.send(
    'Extensions.triggerAction' as never,
    { id: extensionId, targetId: tabTarget.targetId } as never,
  );

  let popup: TargetInfo | undefined;
  const deadline = Date.now() + 10_000;
  while (!popup) {
    popup = (await targets(cdp, 'page')).find((t) => t.url === popupUrl && !before.has(t.targetId));
    if (popup) break;
    if (Date.now() > deadline) throw new Error('the toolbar popup did not open');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { sessionId } = (await cdp.send('Target.attachToTarget', {
    targetId: popup.targetId,
    flatten: false,
  })) as { sessionId: string };

  let nextId = 0;
  const waiting = new Map<
    number,
    (answer: { result?: EvaluateAnswer; error?: { message: string } }) => void
  >();
  cdp.on(
    'Target.receivedMessageFromTarget' as never,
    ((e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const message = JSON.parse(e.message) as {
        id?: number;
        result?: EvaluateAnswer;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }) as never,
  );

  const send = async (method: string, params: object = {}): Promise<EvaluateAnswer | undefined> => {
    const id = ++nextId;
    const answer = new Promise<{ result?: EvaluateAnswer; error?: { message: string } }>((resolve) =>
      waiting.set(id, resolve),
    );
    await cdp.send(
      'Target.sendMessageToTarget' as never,
      {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      } as never,
    );
    const { result, error } = await answer;
    if (error) throw new Error(`popup: ${method}: ${error.message}`);
    return result;
  };

  const evaluate = async <T>(expression: string, opts: { userGesture?: boolean } = {}): Promise<T> => {
    const result = await send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
      userGesture: !!opts.userGesture,
    });
    if (result?.exceptionDetails) {
      const d = result.exceptionDetails;
      throw new Error(`popup: ${d.exception?.description ?? d.text}`);
    }
    return result?.result?.value as T;
  };

  return {
    send,
    evaluate,
    async waitFor(what, expression, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!(await evaluate<boolean>(`!!(${expression})`))) {
        if (Date.now() > end) throw new Error(`timed out waiting in the popup for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async closedByBrowser(timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while ((await targets(cdp, 'page')).some((t) => t.targetId === popup.targetId)) {
        if (Date.now() > end) throw new Error('the popup is still open');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await cdp.detach().catch(() => undefined);
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId: popup.targetId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
