/**
 * The extension service worker's JS heap, over CDP (`Runtime.getHeapUsage`). Playwright opens CDP
 * sessions on pages only, so a page's session attaches to the worker's target and talks to it
 * through `Target.sendMessageToTarget` (the non-flattened protocol).
 */
import type { CDPSession, Page } from 'playwright-core';

export interface HeapUsage {
  usedBytes: number;
  totalBytes: number;
}

export interface WorkerHeap {
  /** The heap now; with `gc`, after two forced collections (what the worker really holds). */
  usage(opts?: { gc?: boolean }): Promise<HeapUsage>;
  close(): Promise<void>;
}

/** Attaches to the service worker of `extensionId` through `page`'s CDP session. */
export async function workerHeap(page: Page, extensionId: string): Promise<WorkerHeap> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
  );
  if (!target) {
    await cdp.detach().catch(() => undefined);
    throw new Error('no service worker target for the extension');
  }
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: false,
  });
  let nextId = 1;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const message = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const call = async (method: string): Promise<unknown> => {
    const id = nextId++;
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the worker`)), 30_000);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    const m = await answer;
    if (m.error) throw new Error(`${method}: ${m.error.message}`);
    return m.result;
  };
  return {
    async usage(opts = {}) {
      if (opts.gc) {
        await call('HeapProfiler.collectGarbage');
        await call('HeapProfiler.collectGarbage');
      }
      const r = (await call('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      return { usedBytes: r.usedSize, totalBytes: r.totalSize };
    },
    async close() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
