/**
 * The expiry watch's words: its notification (how many invites expire within the window, in
 * which courses, the soonest) and the badge's title for what needs attention.
 */
import { formatCountdown, isExpired } from '../expiry';
import { listOf, t, tn } from '../i18n';

/** Courses a notification names before "and N more". */
const COURSES_NAMED = 3;

export interface NoticeWords {
  title: string;
  message: string;
}

/** "3 invites expire within 3 days" / "In Safety Basics (2) and First Aid (1). The soonest expires in 5 hours." */
export function noticeWords(
  notice: {
    invites: readonly unknown[];
    courses: readonly { title: string; count: number }[];
    soonest: { sentAt: string };
  },
  withinDays: number,
  now: number,
): NoticeWords {
  const title = tn('noticeExpiring', notice.invites.length, tn('noticeDays', withinDays));
  const named = notice.courses.slice(0, COURSES_NAMED).map((c) => t('noticeCourse', c.title, c.count));
  const more = notice.courses.length - named.length;
  const where = listOf(more > 0 ? [...named, tn('noticeMoreCourses', more)] : named);
  const { sentAt } = notice.soonest;
  const message = isExpired(sentAt, now)
    ? t('noticeInExpired', where)
    : t('noticeIn', where, formatCountdown(sentAt, now));
  return { title, message };
}

/** The badge's title for invites expiring within the window. */
export function expiringTitle(n: number, withinDays: number): string {
  return tn('badgeExpiring', n, tn('noticeDays', withinDays));
}

/** What the badge's title adds for a portal the watch found signed out. */
export function signedOutWatchWords(host: string): string {
  return t('badgeSignedOutWatch', host);
}
