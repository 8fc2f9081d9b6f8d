/**
 * The popup's main view: what Revoke takes (totals that are the sum of the course lines shown),
 * courses with tick boxes, the age filter and the one button, which says what, where and how many.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { num, t, tn } from '../shared/i18n';
import { CourseItem } from './CourseItem';
import { useApp } from './context';
import { ExpiringEntry } from './ExpiringSoon';
import { Freshness } from './Freshness';
import { useRowsAfterPaint } from './paint';
import { isCounting, type Selection, selectionOf } from './selectors';
import { WatchNote } from './WatchNote';

export function SignedOut() {
  const signIn = useApp((s) => s.signIn);
  return (
    <section class="rc-note rc-note-warn stack" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">{t('popupSignedOutTitle')}</h2>
      <p>{t('popupSignedOutHint')}</p>
      <WatchNote />
      <p>
        <button type="button" class="rc-btn rc-btn-primary" onClick={signIn}>
          {t('popupSignIn')}
        </button>
      </p>
    </section>
  );
}

export function NoOrigin() {
  const openOptions = useApp((s) => s.openOptions);
  return (
    <section class="rc-note stack" aria-labelledby="no-origin-title">
      <h2 id="no-origin-title">{t('popupNoOriginTitle')}</h2>
      <p>{t('popupNoOriginHint')}</p>
      <p>
        <button type="button" class="rc-btn rc-btn-primary" onClick={openOptions}>
          {t('popupOpenOptionsToAdd')}
        </button>
      </p>
    </section>
  );
}

/** Portal origins are allowed, but the background has not seen which one (and its port) yet. */
export function NoPortalYet({ reason }: { reason: string | null }) {
  const openOptions = useApp((s) => s.openOptions);
  const refresh = useApp((s) => s.refresh);
  const refreshing = useApp((s) => s.refreshing);
  return (
    <section class="rc-note stack" aria-labelledby="no-portal-title">
      <h2 id="no-portal-title">{t('popupNoPortalTitle')}</h2>
      <p>{t('popupNoPortalHint')}</p>
      {reason && <p class="rc-muted">{t('popupLastTry', reason)}</p>}
      <p class="row">
        <button
          type="button"
          class="rc-btn rc-btn-primary"
          disabled={refreshing}
          onClick={() => void refresh()}
        >
          {t('popupTryAgain')}
        </button>
        <button type="button" class="rc-btn" onClick={openOptions}>
          {t('popupOpenOptions')}
        </button>
      </p>
    </section>
  );
}

/** Where the age filter's number field sits in its sentence: a private-use character (getMessage drops a NUL). */
const FIELD = '\ue000';

function AgeFilter() {
  const minAgeDays = useApp((s) => s.minAgeDays);
  const setMinAgeDays = useApp((s) => s.setMinAgeDays);
  const [days, setDays] = useState(minAgeDays > 0 ? minAgeDays : 7);
  const on = minAgeDays > 0;
  // One sentence for translators, with the number field where $1 is: the words before it label the tick box.
  const [before = '', after = ''] = t('popupAgeFilterLabel', FIELD).split(FIELD);
  return (
    <fieldset class="filter">
      <legend class="rc-visually-hidden">{t('popupAgeFilter')}</legend>
      <input
        type="checkbox"
        id="age-filter"
        checked={on}
        onChange={(e) => void setMinAgeDays(e.currentTarget.checked ? Math.max(1, days) : 0)}
      />
      <label for="age-filter">{before.trimEnd()}</label>{' '}
      <input
        type="number"
        class="rc-input days"
        min={1}
        max={30}
        value={on ? minAgeDays : days}
        aria-label={t('popupAgeFilterDays')}
        onChange={(e) => {
          const n = Math.max(1, Math.min(30, Math.floor(Number(e.currentTarget.value) || 1)));
          setDays(n);
          if (on) void setMinAgeDays(n);
        }}
      />{' '}
      <span>{after.trimStart()}</span>
    </fieldset>
  );
}

/** The figures of what Revoke takes: "—" while nothing of it is known, never a 0 that is not. */
function Figure({ value, testId }: { value: number | null; testId: string }) {
  return (
    <dd data-testid={testId}>
      {value === null ? (
        <>
          <span aria-hidden="true">—</span>
          <span class="rc-visually-hidden">{t('popupNotKnownYet')}</span>
        </>
      ) : (
        num(value)
      )}
    </dd>
  );
}

/** The one destructive button, saying what, where and how many; no greyed button when there is nothing. */
function RevokeButton({ selection, known }: { selection: Selection; known: boolean }) {
  const revoke = useApp((s) => s.revoke);
  const busy = useApp((s) => s.jobBusy);
  const counting = useApp(isCounting);
  const minAgeDays = useApp((s) => s.minAgeDays);
  if (!known) return null;
  if (counting)
    return (
      <button type="button" class="rc-btn rc-btn-primary revoke" disabled>
        {t('popupCounting')}
      </button>
    );
  if (selection.invites === 0) {
    if (selection.unread > 0) return null; // the note above says why nothing is counted
    return (
      <p class="rc-muted" data-testid="nothing-to-revoke">
        {selection.courseIds.length === 0
          ? t('popupTickACourse')
          : t(selection.courseIds.length === 1 ? 'popupNothingInCourse' : 'popupNothingInCourses')}
      </p>
    );
  }
  const invites =
    minAgeDays > 0
      ? tn('popupPendingInvitesOlderCount', selection.invites, minAgeDays)
      : tn('popupPendingInvitesCount', selection.invites);
  return (
    <button type="button" class="rc-btn rc-btn-primary revoke" disabled={busy} onClick={() => void revoke()}>
      {t('popupRevoke', invites, tn('popupCoursesCount', selection.courseIds.length))}
    </button>
  );
}

export function Courses() {
  const overview = useApp((s) => s.overview);
  const unticked = useApp((s) => s.unticked);
  const counting = useApp(isCounting);
  const refreshing = useApp((s) => s.refreshing);
  const jobError = useApp((s) => s.jobError);
  const notice = useApp((s) => s.notice);
  const minAgeDays = useApp((s) => s.minAgeDays);
  const allTicked = useApp((s) => (s.overview?.courses ?? []).every((c) => !s.unticked[c.courseId]));
  const setAllTicked = useApp((s) => s.setAllTicked);
  const portalNow = useApp((s) => s.portalNow);
  useApp((s) => s.tick);
  const now = portalNow();
  const shown = useRowsAfterPaint(overview?.courses.length ?? 0);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // After an Undo the focus goes to what it did, never back onto Revoke (Enter, Enter, Enter).
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const courses = overview?.courses ?? [];
  const selection = selectionOf({ overview, unticked });
  // Nothing read yet, or only courses not read: placeholders, not zeros.
  const listed = overview !== null && (courses.length > 0 || overview.fetchedAt !== null);
  const known = listed && (selection.courseIds.length > 0 || selection.unread === 0);
  const hasCourses = courses.length > 0;
  const figure = (n: number): number | null => (known && !counting ? n : null);
  return (
    <div class="stack">
      <Freshness />
      <WatchNote />
      <ExpiringEntry />
      {notice && (
        <p class="rc-note rc-note-ok" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </p>
      )}
      <dl class="totals" aria-label={t('popupTotals')}>
        <div>
          <dt>{minAgeDays > 0 ? t('popupPendingInvitesOlder', minAgeDays) : t('popupPendingInvites')}</dt>
          <Figure testId="total-pending" value={figure(selection.invites)} />
        </div>
        <div>
          <dt>{t('popupCourses')}</dt>
          <Figure testId="total-courses" value={figure(selection.courseIds.length)} />
        </div>
      </dl>
      {selection.unread > 0 && (
        <p class="rc-muted" data-testid="unread-note">
          {refreshing ? tn('popupUnreadReading', selection.unread) : tn('popupUnreadNote', selection.unread)}
        </p>
      )}
      <AgeFilter />
      {courses.length > 0 ? (
        <section aria-labelledby="courses-title">
          <div class="courses-head">
            <h2 id="courses-title">{t('popupCourses')}</h2>
            <button type="button" class="rc-btn rc-btn-quiet" onClick={() => setAllTicked(!allTicked)}>
              {allTicked ? t('popupUntickAll') : t('popupTickAll')}
            </button>
          </div>
          <ul class="courses">
            {courses.slice(0, shown).map((c) => (
              <CourseItem key={c.courseId} course={c} now={now} />
            ))}
          </ul>
        </section>
      ) : (
        listed && overview?.origin !== null && !refreshing && <p class="rc-muted">{t('popupNoCourses')}</p>
      )}
      {jobError && (
        <p class="rc-note rc-note-danger" role="alert">
          {jobError}
        </p>
      )}
      {hasCourses && <RevokeButton selection={selection} known={known} />}
    </div>
  );
}
