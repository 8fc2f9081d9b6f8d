/**
 * The expiry watch: every `watchHours` (an alarm), each portal Reclaim has read and may still
 * reach is read again the way a popup opening reads it (the course list, then only the courses
 * that changed or are due: cache.ts), and the manager is told by one notification per portal of
 * pending invites that now expire within the expiry window and were never told of before.
 *
 * It only reads: nothing is cancelled or sent unless the manager clicks the notification's
 * Renew all, which starts a renew job with the usual Undo window. A portal that answers
 * "signed out" is left alone (its course list was the only request) and the status says so,
 * for the popup and the badge's title.
 */
import { inviteKey, type ReclaimDb } from '../shared/db';
import { expiringWithin } from '../shared/expiring';
import { originAllowed } from '../shared/origins';
import type { Settings } from '../shared/types';
import { noticeWords } from '../shared/ui/expiry-words';
import { WATCH_STATUS, type WatchStatus, watchStatusKey } from '../shared/watch-status';
import type { InviteCache } from './cache';
import { chooseNotice, type ExpiryNotice } from './expiry-notice';
import type { InviteStartRequest, StartResult } from './jobs/requests';
import type { ClientOf } from './portals';

/** Where a notification's invites are kept until it is clicked or closed (the worker may stop meanwhile). */
const NOTICE = 'notice:';
/** Every expiry notification's id starts with it (then the portal and the time it was made). */
const NOTICE_ID = 'expiring|';
/** Notices never clicked nor closed (the browser quit) are forgotten after this. */
const NOTICE_KEPT_MS = 7 * 86_400_000;

export const EXPIRY_WATCH_ALARM = 'reclaim-expiry-watch';

/** The portal a `meta` row of the watch's belongs to (its status, a notice's invites), else null. */
export function watchedOrigin(row: { key: string; value: unknown }): string | null {
  if (row.key.startsWith(NOTICE)) return (row.value as { notice?: ExpiryNotice })?.notice?.origin ?? null;
  if (row.key.startsWith(WATCH_STATUS)) return (row.value as WatchStatus | undefined)?.origin ?? null;
  return null;
}

/** Whether a notification is one of the expiry watch's (the browser tells every click of any). */
export const isExpiryNotice = (id: string): boolean => id.startsWith(NOTICE_ID);

/** What a notification's buttons do; a click on its body (or where there are no buttons) is Review. */
export type NoticeAction = 'review' | 'renew-all';

interface WatchDeps {
  db: ReclaimDb;
  cache: InviteCache;
  client: ClientOf;
  settings(): Promise<Settings>;
  /** The origin entries Reclaim may read now (allowed, with the browser's permission; an entry may cover every port). */
  reachable(): Promise<string[]>;
  now(): number;
  /** Shows the notification `id`, in these words, about the portal at `host`. */
  notify(id: string, words: { title: string; message: string; host: string }): Promise<void>;
  clear(id: string): Promise<void>;
  startRenew(req: InviteStartRequest): Promise<StartResult>;
  /** The course's Usage tab on its portal. */
  openUsage(origin: string, courseId: string): Promise<void>;
  /** The popup's Expiring soon view. */
  openExpiring(): Promise<void>;
  /** The popup, showing the job just started (its Undo window). */
  openJob(): Promise<void>;
  /** The watch's status changed (the badge redraws). */
  changed(): void;
}

export function createExpiryWatch(deps: WatchDeps) {
  const { db } = deps;

  /** Portals Reclaim has read (their courses are cached) that it may still reach. */
  async function known(): Promise<string[]> {
    const cached = (await db.courses.orderBy('origin').uniqueKeys()) as string[];
    const reachable = await deps.reachable();
    return cached.filter((o) => originAllowed(o, reachable));
  }

  async function setStatus(status: WatchStatus): Promise<void> {
    await db.meta.put({ key: watchStatusKey(status.origin), value: status });
    deps.changed();
  }

  /** Reads one portal and tells of what newly expires; returns the notification's id, if one was made. */
  async function watch(origin: string, settings: Settings): Promise<string | null> {
    const at = deps.now();
    const read = await deps.cache.refreshAll(origin).done;
    if (!read.ok) {
      const outcome = read.error.kind === 'signed-out' ? 'signed-out' : 'failed';
      await setStatus({
        origin,
        at,
        outcome,
        ...(outcome === 'failed' ? { message: read.error.message } : {}),
      });
      return null;
    }
    await setStatus({ origin, at, outcome: 'read' });
    if (!settings.notifyExpiring) return null;
    const portalNow = deps.client(origin).portalNow();
    const expiring = await expiringWithin(db, origin, portalNow, settings.renewDays);
    const told = await db.notified.bulkGet(expiring.map((i) => i.key));
    const notice = chooseNotice(origin, expiring, new Set(told.flatMap((t) => (t ? [t.key] : []))));
    if (!notice) return null;
    const id = `${NOTICE_ID}${origin}|${at}`;
    // Remembered before it shows: a worker stopped in between never tells of the same invites twice.
    await db.transaction('rw', db.notified, db.meta, async () => {
      await db.notified.bulkPut(
        notice.invites.map((i) => ({
          key: inviteKey(origin, i.inviteId),
          origin,
          inviteId: i.inviteId,
          expiresAt: i.expiresAt,
          at,
        })),
      );
      await db.meta.put({ key: NOTICE + id, value: { at, notice } });
    });
    const words = noticeWords(notice, settings.renewDays, portalNow);
    await deps.notify(id, { ...words, host: new URL(origin).host });
    return id;
  }

  /** What the notification `id` told of, if it is still known. */
  async function noticeOf(id: string): Promise<ExpiryNotice | null> {
    const row = await db.meta.get(NOTICE + id);
    return (row?.value as { notice?: ExpiryNotice } | undefined)?.notice ?? null;
  }

  return {
    /** One pass over every known portal (the alarm's work); the ids of the notifications made. */
    async run(): Promise<string[]> {
      const settings = await deps.settings();
      const made: string[] = [];
      for (const origin of await known()) {
        try {
          const id = await watch(origin, settings);
          if (id) made.push(id);
          await forgetExpired(origin);
        } catch (err) {
          await setStatus({ origin, at: deps.now(), outcome: 'failed', message: String(err) });
        }
      }
      await forgetOldNotices();
      return made;
    },

    /** The manager clicked notification `id` (its body: Review) or one of its buttons. */
    async act(id: string, action: NoticeAction): Promise<StartResult | null> {
      const notice = await noticeOf(id);
      await deps.clear(id).catch(() => undefined);
      await db.meta.delete(NOTICE + id);
      if (!notice) return null;
      if (action === 'review') {
        const only = notice.courses.length === 1 ? notice.courses[0] : undefined;
        if (only) await deps.openUsage(notice.origin, only.courseId);
        else await deps.openExpiring();
        return null;
      }
      const settings = await deps.settings();
      const started = await deps.startRenew({
        origin: notice.origin,
        work: {
          kind: 'renew',
          invites: notice.invites.map(({ courseId, inviteId }) => ({ courseId, inviteId })),
        },
        surface: 'notification',
        undoSeconds: settings.undoSeconds,
        concurrency: settings.concurrency,
        context: null,
      });
      // The Undo window's countdown, and the job after it, in the popup.
      await deps.openJob().catch(() => undefined);
      return started;
    },

    /**
     * The manager is signed in to `origin` again (a page's or the popup's read said so): a
     * "signed out" status no longer holds, so the popup and the badge stop saying it. The next
     * run writes the portal's status afresh.
     */
    async signedInAgain(origin: string): Promise<void> {
      const row = await db.meta.get(watchStatusKey(origin));
      if ((row?.value as WatchStatus | undefined)?.outcome !== 'signed-out') return;
      await db.meta.delete(watchStatusKey(origin));
      deps.changed();
    },

    /** The notification was closed unclicked: what it told of is no longer needed. */
    async closed(id: string): Promise<void> {
      await db.meta.delete(NOTICE + id);
    },
  };

  /** Drops the told-of invites of `origin` that have expired by the portal's clock: none can come back. */
  async function forgetExpired(origin: string): Promise<void> {
    const portalNow = deps.client(origin).portalNow();
    await db.notified
      .where('expiresAt')
      .below(portalNow)
      .filter((n) => n.origin === origin)
      .delete();
  }

  /** Notices left behind by a browser that quit before they were clicked or closed. */
  async function forgetOldNotices(): Promise<void> {
    const now = deps.now();
    await db.meta
      .where('key')
      .startsWith(NOTICE)
      .filter((row) => ((row.value as { at?: number } | undefined)?.at ?? 0) < now - NOTICE_KEPT_MS)
      .delete();
  }
}
