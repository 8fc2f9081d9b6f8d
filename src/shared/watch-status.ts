/**
 * What the expiry watch (background/expiry-watch.ts) last did on a portal, kept in the `meta`
 * table so the popup can say it: read the portal, found it signed out (and so did nothing), or
 * failed to read it.
 */
export interface WatchStatus {
  origin: string;
  /** When the watch last ran on this portal (ms, the browser's clock). */
  at: number;
  outcome: 'read' | 'signed-out' | 'failed';
  /** What went wrong, in words, when `outcome` is 'failed'. */
  message?: string;
}

/** Every watch status's key starts with it. */
export const WATCH_STATUS = 'watch:';

export const watchStatusKey = (origin: string) => `${WATCH_STATUS}${origin}`;
