/**
 * The expiry watch's words: its notification (how many invites expire within the window, in
 * which courses, the soonest) and the badge's title for what needs attention.
 */
import { formatCountdown } from '../expiry';
import { plural } from './job-words';

/** Courses a notification names before "and N more". */
const COURSES_NAMED = 3;

export interface NoticeWords {
  title: string;
  message: string;
}

/** "3 invites expire within 3 days" / "In Safety Basics (2) and First Aid (1). The soonest expires in 5 h." */
export function noticeWords(
  notice: {
    invites: readonly unknown[];
    courses: readonly { title: string; count: number }[];
    soonest: { sentAt: string };
  },
  withinDays: number,
  now: number,
): NoticeWords {
  const n = notice.invites.length;
  const title = `${plural(n, 'invite expires', 'invites expire')} within ${plural(withinDays, 'day', 'days')}`;
  const named = notice.courses.slice(0, COURSES_NAMED).map((c) => `${c.title} (${c.count})`);
  const more = notice.courses.length - named.length;
  const where =
    more > 0
      ? `${named.join(', ')} and ${plural(more, 'more course', 'more courses')}`
      : named.length > 1
        ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`
        : (named[0] ?? '');
  const soonest = formatCountdown(notice.soonest.sentAt, now);
  const message = `In ${where}. The soonest ${soonest === 'expired' ? 'has expired' : soonest}.`;
  return { title, message };
}

/** The badge's title for invites expiring within the window. */
export function expiringTitle(n: number, withinDays: number): string {
  return `${plural(n, 'pending invite expires', 'pending invites expire')} within ${plural(withinDays, 'day', 'days')}`;
}

/** What the badge's title adds for a portal the watch found signed out. */
export function signedOutWatchWords(host: string): string {
  return `Signed out of ${host}: not checking for expiring invites until you sign in again`;
}
