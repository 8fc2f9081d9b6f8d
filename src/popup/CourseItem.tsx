/**
 * One course of the popup's list: its tick box, what a revoke of it takes (or "not included",
 * "not read yet": never a 0 that is not known), its soonest expiry, how fresh its figures are,
 * and its jobs that invite.
 */
import { formatCountdown, isUrgent } from '../shared/expiry';
import { freshnessOf, rereadAfterMs } from '../shared/freshness';
import { t, tn } from '../shared/i18n';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { CourseOverview } from '../shared/types';
import { useApp } from './context';
import { ago, sentAtOf } from './format';
import { isCounting, isUnread } from './selectors';

/** A course's jobs that invite: renew its expiring invites, or invite addresses with room made. */
function CourseActions({ course }: { course: CourseOverview }) {
  const busy = useApp((s) => s.jobBusy || s.starting !== null);
  const renew = useApp((s) => s.renewExpiring);
  const openInvite = useApp((s) => s.openInvite);
  const days = useApp((s) => s.settings?.renewDays ?? null);
  // Shown only with something to renew: never a greyed "Renew expiring (0)", nor an unknown count.
  const n = isUnread(course) ? undefined : course.expiring;
  return (
    <p class="course-actions">
      {n !== undefined && n > 0 && (
        <button
          type="button"
          class="rc-btn rc-btn-quiet"
          disabled={busy}
          title={days === null ? undefined : t('popupRenewTitle', days)}
          aria-label={t('popupRenewIn', n, course.title)}
          onClick={() => void renew(course.courseId)}
        >
          {t('popupRenew', n)}
        </button>
      )}
      <button
        type="button"
        class="rc-btn rc-btn-quiet"
        aria-label={t('popupInviteIn', course.title)}
        onClick={() => openInvite(course.courseId)}
      >
        {t('popupInvite')}
      </button>
    </p>
  );
}

/** "updated 5 min ago", or stale (shared/freshness.ts), or never read: on the extension's clock. */
function CourseFreshness({ course }: { course: CourseOverview }) {
  const minutes = useApp((s) => s.settings?.rereadAfterMinutes ?? DEFAULT_SETTINGS.rereadAfterMinutes);
  const refreshing = useApp((s) => s.refreshing);
  const now = useApp((s) => s.now)();
  const f = freshnessOf(course, now, rereadAfterMs(minutes));
  if (f.kind === 'unread')
    return (
      <span class="updated stale" data-testid="course-freshness">
        {refreshing ? t('popupBeingRead') : t('popupNotReadYet')}
      </span>
    );
  return (
    <span class={f.kind === 'stale' ? 'updated stale' : 'updated'} data-testid="course-freshness">
      {t(f.kind === 'stale' ? 'popupUpdatedStale' : 'popupUpdated', ago(f.readAt, now))}
    </span>
  );
}

/** "revoking returns 3 seats", with the age filter's days when it is on; `seats` null while counting. */
function returnsWords(seats: number | null, minAgeDays: number): string {
  if (seats === null)
    return minAgeDays > 0 ? t('popupReturnsCountingOlder', minAgeDays) : t('popupReturnsCounting');
  return minAgeDays > 0 ? tn('popupReturnsSeatsOlder', seats, minAgeDays) : tn('popupReturnsSeats', seats);
}

/** What a revoke of the course takes, or why it takes nothing. `data-seats`: the figure the totals add. */
function CourseScope({ course }: { course: CourseOverview }) {
  const ticked = useApp((s) => !s.unticked[course.courseId]);
  const minAgeDays = useApp((s) => s.minAgeDays);
  const counting = useApp(isCounting);
  if (isUnread(course)) return <span data-testid="seats">{t('popupPendingNotRead')}</span>;
  const pending = <span data-testid="pending">{tn('popupPendingInvitesCount', course.pending)}</span>;
  if (!ticked)
    return (
      <>
        {pending}
        {' · '}
        <span data-testid="seats">{t('popupNotIncluded')}</span>
      </>
    );
  return (
    <>
      {pending}
      {' · '}
      <span data-testid="seats" data-seats={counting ? undefined : course.inScope}>
        {returnsWords(counting ? null : course.inScope, minAgeDays)}
      </span>
    </>
  );
}

export function CourseItem({ course, now }: { course: CourseOverview; now: number }) {
  const ticked = useApp((s) => !s.unticked[course.courseId]);
  const toggle = useApp((s) => s.toggleCourse);
  const id = `course-${course.courseId}`;
  const unread = isUnread(course);
  const soon = course.soonestExpiry;
  const urgent = soon !== null && isUrgent(sentAtOf(soon), now);
  return (
    <li class="course" data-course-id={course.courseId}>
      <input
        type="checkbox"
        id={id}
        // A course not read yet is neither counted nor revoked: it cannot be ticked until it is.
        checked={ticked && !unread}
        disabled={unread}
        aria-describedby={`${id}-facts`}
        onChange={(e) => toggle(course.courseId, e.currentTarget.checked)}
      />
      <div>
        <label for={id} class="course-title">
          {course.title}
        </label>
        <p id={`${id}-facts`} class="course-facts">
          <CourseScope course={course} />
          {soon !== null && !unread && (
            <span class={urgent ? 'soonest rc-urgent' : 'soonest'} data-testid="soonest">
              {t('popupFirstExpiry', formatCountdown(sentAtOf(soon), now))}
            </span>
          )}
          <CourseFreshness course={course} />
        </p>
        <CourseActions course={course} />
      </div>
    </li>
  );
}
