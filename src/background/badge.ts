/**
 * The toolbar badge: a job's Undo window ("⟲4", badge-undo.ts), a running job's progress
 * ("37%"), "!" while a job waits for sign-in, otherwise the number of pending invites in the
 * cache (not yet expired). The button's title (its tooltip, and what a screen reader says) tells
 * the same in words.
 */
import type { ReclaimDb } from '../shared/db';
import { isSelfDrivenJob } from '../shared/job-states';
import type { JobView } from '../shared/types';
import { undoBadge } from './badge-undo';
import { progressOf } from './jobs/view';

interface BadgeDeps {
  db: ReclaimDb;
  now(): number;
  setText(text: string): Promise<void> | void;
  setColor(color: string): Promise<void> | void;
  setTitle(title: string): Promise<void> | void;
}

const NAME = 'Reclaim';

export function badgeText(view: JobView | null, pending: number): string {
  if (view && (view.job.state === 'running' || view.job.state === 'waiting')) {
    return `${Math.floor(progressOf(view) * 100)}%`;
  }
  if (view?.job.state === 'signed-out') return '!';
  if (pending <= 0) return '';
  return pending > 999 ? '999+' : String(pending);
}

export function badgeTitle(view: JobView | null, pending: number): string {
  if (view?.job.state === 'signed-out') {
    return `${NAME}: signed out of the portal. Sign in again and the revoke carries on by itself.`;
  }
  if (view && (view.job.state === 'running' || view.job.state === 'waiting')) {
    return `${NAME}: revoking, ${Math.floor(progressOf(view) * 100)}% done`;
  }
  if (pending <= 0) return NAME;
  return `${NAME}: ${pending} pending ${pending === 1 ? 'invite' : 'invites'}`;
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
    const pending = live
      ? 0
      : await deps.db.invites
          .where('[status+expiresAt]')
          .between(['pending', now], ['pending', Number.POSITIVE_INFINITY], false, true)
          .count();
    const undo = job ? undoBadge(job, now) : null;
    // The Undo window counts down by the second: drawn again as soon as its seconds change.
    if (undo) undoTick = setTimeout(() => void render().catch(() => undefined), undo.nextChangeMs + 10);
    const text = undo?.text ?? badgeText(job, pending);
    const title = undo?.title ?? badgeTitle(job, pending);
    if (`${text}|${title}` === shown) return;
    shown = `${text}|${title}`;
    await deps.setColor(job?.job.state === 'signed-out' ? '#b42318' : '#2f5bd3');
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
