/**
 * The page's link to the background's events port. The service worker goes to sleep when idle
 * and the port closes with it: the link comes back (with growing pauses) only while the page has
 * a job under way, to see it end; otherwise the next action, or the tab becoming visible, opens
 * it again.
 */
import type { PortalPage } from '../../shared/portal-page';
import type { EventPort } from './deps';

const RECONNECT_MS = [1000, 2000, 5000, 15000, 30000];

interface EventLinkHooks {
  onMessage(message: unknown): void;
  /** Whether a job of this page is under way (so the link should come back by itself). */
  wantsLink(): boolean;
  /** The link came back by itself: events may have been missed meanwhile. */
  reconnected(): void;
}

export class EventLink {
  private port: EventPort | null = null;
  private reconnects = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly connect: () => EventPort,
    private readonly hooks: EventLinkHooks,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      clearTimeout(this.timer);
      this.port?.disconnect();
      this.port = null;
    });
  }

  /** Opens the port unless it is open. */
  open(): void {
    if (this.port || this.signal.aborted) return;
    clearTimeout(this.timer);
    let port: EventPort;
    try {
      port = this.connect();
    } catch {
      return; // the extension was reloaded under this page: nothing to talk to
    }
    this.port = port;
    port.onMessage.addListener((message) => {
      this.reconnects = 0;
      this.hooks.onMessage(message);
    });
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = null;
      if (this.signal.aborted || !this.hooks.wantsLink()) return;
      const wait = RECONNECT_MS[Math.min(this.reconnects++, RECONNECT_MS.length - 1)];
      this.timer = setTimeout(() => {
        this.open();
        this.hooks.reconnected();
      }, wait);
    });
  }
}

/** Whether an `invites-changed` event names this page's learner or course, on this page's portal. */
export function concernsPage(message: object, page: PortalPage): boolean {
  if ('origin' in message && message.origin !== location.origin) return false;
  const list = page.kind === 'course' ? 'courseIds' : 'learnerIds';
  const id = page.kind === 'course' ? page.courseId : page.learnerId;
  const ids = list in message ? (message as Record<string, unknown>)[list] : null;
  return Array.isArray(ids) && ids.includes(id);
}
