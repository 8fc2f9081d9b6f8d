/**
 * The popup's main view: what Revoke takes (totals that are the sum of the course lines shown),
 * courses with tick boxes, the age filter and the one button, which says what, where and how many.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { CourseItem } from './CourseItem';
import { useApp } from './context';
import { ExpiringEntry } from './ExpiringSoon';
import { Freshness } from './Freshness';
import { plural } from './format';
import { useRowsAfterPaint } from './paint';
import { isCounting, type Selection, selectionOf } from './selectors';
import { WatchNote } from './WatchNote';

export function SignedOut() {
  const signIn = useApp((s) => s.signIn);
  return (
    <section class="rc-note rc-note-warn stack" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">You’re signed out of the portal</h2>
      <p>Sign in to the portal, then open Reclaim again to see your pending invites.</p>
      <WatchNote />
      <p>
        <button type="button" class="rc-btn rc-btn-primary" onClick={signIn}>
          Sign in to the portal
        </button>
      </p>
    </section>
  );
}

export function NoOrigin() {
  const openOptions = useApp((s) => s.openOptions);
  return (
    <section class="rc-note stack" aria-labelledby="no-origin-title">
      <h2 id="no-origin-title">No portal added yet</h2>
      <p>
        Reclaim works only on the portal addresses you allow. Add your training portal’s address (for example
        https://learn.example.com) in Reclaim’s options.
      </p>
      <p>
        <button type="button" class="rc-btn rc-btn-primary" onClick={openOptions}>
          Open options to add a portal
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
      <h2 id="no-portal-title">Open your portal once</h2>
      <p>
        Reclaim has not seen your training portal yet. Open it in a tab and sign in, then try again, or check
        its address in Reclaim’s options.
      </p>
      {reason && <p class="rc-muted">Last try: {reason}</p>}
      <p class="row">
        <button
          type="button"
          class="rc-btn rc-btn-primary"
          disabled={refreshing}
          onClick={() => void refresh()}
        >
          Try again
        </button>
        <button type="button" class="rc-btn" onClick={openOptions}>
          Open options
        </button>
      </p>
    </section>
  );
}

function AgeFilter() {
  const minAgeDays = useApp((s) => s.minAgeDays);
  const setMinAgeDays = useApp((s) => s.setMinAgeDays);
  const [days, setDays] = useState(minAgeDays > 0 ? minAgeDays : 7);
  const on = minAgeDays > 0;
  return (
    <fieldset class="filter">
      <legend class="rc-visually-hidden">Age filter</legend>
      <input
        type="checkbox"
        id="age-filter"
        checked={on}
        onChange={(e) => void setMinAgeDays(e.currentTarget.checked ? Math.max(1, days) : 0)}
      />
      <label for="age-filter">Only invites sent more than</label>{' '}
      <input
        type="number"
        class="rc-input days"
        min={1}
        max={30}
        value={on ? minAgeDays : days}
        aria-label="Number of days"
        onChange={(e) => {
          const n = Math.max(1, Math.min(30, Math.floor(Number(e.currentTarget.value) || 1)));
          setDays(n);
          if (on) void setMinAgeDays(n);
        }}
      />{' '}
      <span>days ago</span>
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
          <span class="rc-visually-hidden">not known yet</span>
        </>
      ) : (
        value
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
        Counting…
      </button>
    );
  if (selection.invites === 0) {
    if (selection.unread > 0) return null; // the note above says why nothing is counted
    return (
      <p class="rc-muted" data-testid="nothing-to-revoke">
        {selection.courseIds.length === 0
          ? 'Tick a course to revoke its pending invites.'
          : `Nothing to revoke in the ticked ${selection.courseIds.length === 1 ? 'course' : 'courses'}.`}
      </p>
    );
  }
  const older = minAgeDays > 0 ? ` sent more than ${minAgeDays} days ago` : '';
  return (
    <button type="button" class="rc-btn rc-btn-primary revoke" disabled={busy} onClick={() => void revoke()}>
      Revoke {plural(selection.invites, 'pending invite', 'pending invites')}
      {older} in {plural(selection.courseIds.length, 'course', 'courses')}
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
      <dl class="totals" aria-label="What Revoke takes">
        <div>
          <dt>
            {minAgeDays > 0 ? `Pending invites sent more than ${minAgeDays} days ago` : 'Pending invites'}
          </dt>
          <Figure testId="total-pending" value={figure(selection.invites)} />
        </div>
        <div>
          <dt>Courses</dt>
          <Figure testId="total-courses" value={figure(selection.courseIds.length)} />
        </div>
      </dl>
      {selection.unread > 0 && (
        <p class="rc-muted" data-testid="unread-note">
          {refreshing
            ? `${plural(selection.unread, 'course is', 'courses are')} still being read: not counted yet.`
            : `${plural(selection.unread, 'course', 'courses')} not read yet: not counted, not revoked.`}
        </p>
      )}
      <AgeFilter />
      {courses.length > 0 ? (
        <section aria-labelledby="courses-title">
          <div class="courses-head">
            <h2 id="courses-title">Courses</h2>
            <button type="button" class="rc-btn rc-btn-quiet" onClick={() => setAllTicked(!allTicked)}>
              {allTicked ? 'Untick all' : 'Tick all'}
            </button>
          </div>
          <ul class="courses">
            {courses.slice(0, shown).map((c) => (
              <CourseItem key={c.courseId} course={c} now={now} />
            ))}
          </ul>
        </section>
      ) : (
        listed &&
        overview?.origin !== null &&
        !refreshing && <p class="rc-muted">No courses on this portal.</p>
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
