/**
 * The toolbar badge while a job waits in its Undo window: "⟲4", and a title that says what starts
 * when and where to undo it. The popup may have been closed since the click; the window runs on
 * here, and reopening the popup (or Escape in it) undoes the job.
 */

import { t } from '../shared/i18n';
import type { JobView } from '../shared/types';
import { doingWords } from '../shared/ui/job-words';

export interface UndoBadge {
  text: string;
  title: string;
  /** When the seconds shown change next (ms from now). */
  nextChangeMs: number;
}

/** The badge for a job in its Undo window at `now` (extension clock), or null once it is not in one. */
export function undoBadge(view: JobView, now: number): UndoBadge | null {
  if (view.job.state !== 'waiting') return null;
  const left = view.job.startAt - now;
  if (left <= 0) return null;
  const seconds = Math.ceil(left / 1000);
  return {
    text: `⟲${seconds}`,
    title: t('badgeUndo', doingWords(view.job.reason, view.counts.total), seconds),
    nextChangeMs: left - (seconds - 1) * 1000,
  };
}
