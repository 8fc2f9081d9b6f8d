/**
 * The toolbar badge says what needs attention, first of:
 *   a job's Undo window ("⟲4", badge-undo.ts), a running job's progress ("37%"), "!" (red)
 *   while a job waits for sign-in, the number of pending invites that expire within the expiry
 *   window (red), the number of pending invites (blue), nothing.
 * Counted from the cache (not yet expired, every portal). The button's title (its tooltip, and
 * what a screen reader says) tells the same in words, and names any portal the expiry watch found
 * signed out.
 */
import type { ReclaimDb } from '../shared/db';
import { countExpiring } from '../shared/expiring';
import { t, tn } from '../shared/i18n';
import { isSelfDrivenJob } from '../shared/job-states';
import type { JobView } from '../shared/types';
import { expiringTitle, signedOutWatchWords } from '../shared/ui/expiry-words';
import { WATCH_STATUS, type WatchStatus } from '../shared/watch-status';
import { undoBadge } from './badge-undo';
import { progressOf } from './jobs/view';

interface BadgeDeps {
  db: ReclaimDb;
  now(): number;
  setText(text: string): Promise<void> | void;
  setColor(color: string): Promise<void> | void;
  setTitle(title: string): Promise<void> | void;
  /** The expiry window, in days (settings.renewDays). */
  expiryDays(): Promise<number>;
}

const URGENT = '#b42318';
const CALM = '#2f5bd3';

/** What the badge counts when no job is on the move. */
export interface Attention {
  pending: number;
  /** Of those, how many expire within `withinDays`. */
  expiring: number;
  withinDays: number;
  /** Hosts the expiry watch last found signed out. */
  signedOut: string[];
}

const count = (n: number) => (n > 999 ? '999+' : String(n));

export function badgeText(view: JobView | null, a: Attention): string {
  if (view && (view.job.state === 'running' || view.job.state === 'waiting')) {
    return `${Math.floor(progressOf(view) * 100)}%`;
  }
  if (view?.job.state === 'signed-out') return '!';
  if (a.expiring > 0) return count(a.expiring);
  return a.pending > 0 ? count(a.pending) : '';
}

export function badgeColor(view: JobView | null, a: Attention): string {
  if (view?.job.state === 'signed-out') return URGENT;
  if (view && (view.job.state === 'running' || view.job.state === 'waiting')) return CALM;
  return a.expiring > 0 ? URGENT : CALM;
}

export function badgeTitle(view: JobView | null, a: Attention): string {
  if (view?.job.state === 'signed-out') return t('badgeSignedOut');
  if (view && (view.job.state === 'running' || view.job.state === 'waiting')) {
    return t('badgeRevoking', Math.floor(progressOf(view) * 100));
  }
  const lines: string[] = [];
  if (a.expiring > 0) lines.push(t('badgeExpiringRed', expiringTitle(a.expiring, a.withinDays)));
  if (a.pending > 0) lines.push(tn('badgePending', a.pending));
  for (const host of a.signedOut) lines.push(signedOutWatchWords(host));
  return lines.length === 0 ? t('extName') : t('badgeTitle', lines.join('. '));
}

/** Hosts whose last expiry watch found the manager signed out. */
async function signedOutHosts(db: ReclaimDb): Promise<string[]> {
  const rows = await db.meta.where('key').startsWith(WATCH_STATUS).toArray();
  return rows
    .map((r) => r.value as WatchStatus)
    .filter((s) => s?.outcome === 'signed-out')
    .map((s) => new URL(s.origin).host);
}

export function createBadge(deps: BadgeDeps) {
  let job: JobView | null = null;
  let shown: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let undoTick: ReturnType<typeof setTimeout> | undefined;

  const render = async () => {
    timer = null;
    clearTimeout(undoTick);
    // A job on the move shows its progress or "!", never the pending count: do not count then.
    const live = job !== null && isSelfDrivenJob(job.job.state);
    const now = deps.now();
    // Counted from index keys (pending, expiresAt after now): no invite is read, however many.
    const withinDays = await deps.expiryDays();
    const attention: Attention = live
      ? { pending: 0, expiring: 0, withinDays, signedOut: [] }
      : {
          pending: await deps.db.invites
            .where('[status+expiresAt]')
            .between(['pending', now], ['pending', Number.POSITIVE_INFINITY], false, true)
            .count(),
          expiring: await countExpiring(deps.db, now, withinDays),
          withinDays,
          signedOut: await signedOutHosts(deps.db),
        };
    const undo = job ? undoBadge(job, now) : null;
    // The Undo window counts down by the second: drawn again as soon as its seconds change.
    if (undo) undoTick = setTimeout(() => void render().catch(() => undefined), undo.nextChangeMs + 10);
    const text = undo?.text ?? badgeText(job, attention);
    const title = undo?.title ?? badgeTitle(job, attention);
    const color = undo ? CALM : badgeColor(job, attention);
    if (`${text}|${title}|${color}` === shown) return;
    shown = `${text}|${title}|${color}`;
    await deps.setColor(color);
    await deps.setText(text);
    await deps.setTitle(title);
  };

  /** Schedules one redraw (at most 4 a second). */
  const update = () => {
    if (timer === null) timer = setTimeout(() => void render().catch(() => undefined), 250);
  };

  return {
    update,
    job(view: JobView) {
      const live = isSelfDrivenJob(view.job.state);
      if (live || job?.job.id === view.job.id) job = live ? view : null;
      update();
    },
  };
}
