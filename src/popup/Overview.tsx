/** The popup's main view: totals, courses with tick boxes, the age filter and the one button. */
import { useState } from 'preact/hooks';
import { formatCountdown, isUrgent } from '../shared/expiry';
import { freshnessOf, rereadAfterMs } from '../shared/freshness';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { CourseOverview } from '../shared/types';
import { useApp } from './context';
import { ago, plural, sentAtOf } from './format';
import { useRowsAfterPaint } from './paint';
import { inScopeCount, isCounting, STALE_MS, totalPending } from './selectors';

export function SignedOut() {
  const signIn = useApp((s) => s.signIn);
  return (
    <section class="rc-note rc-note-warn stack" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">You’re signed out of the portal</h2>
      <p>Sign in to the portal, then open Reclaim again to see your pending invites.</p>
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

function Freshness() {
  const fetchedAt = useApp((s) => s.overview?.fetchedAt ?? null);
  const refreshing = useApp((s) => s.refreshing);
  const refreshError = useApp((s) => s.refreshError);
  const refresh = useApp((s) => s.refresh);
  const clock = useApp((s) => s.now);
  useApp((s) => s.tick);
  const now = clock();
  let text: string;
  if (fetchedAt === null) text = refreshing ? 'Reading your courses from the portal…' : 'Nothing cached yet.';
  else {
    const stale = now - fetchedAt > STALE_MS;
    text = `Updated ${ago(fetchedAt, now)}${refreshing ? (stale ? ' — refreshing…' : ', checking for changes…') : ''}`;
  }
  return (
    <div class="freshness">
      <p class="rc-muted" role="status" data-testid="freshness">
        {text}
      </p>
      <button
        type="button"
        class="rc-btn rc-btn-quiet"
        disabled={refreshing}
        title="Read every course from the portal again, changed or not"
        onClick={() => void refresh(true)}
      >
        Refresh all
      </button>
      {refreshError && (
        <p class="rc-note rc-note-danger" role="alert">
          Couldn’t refresh: {refreshError}{' '}
          <button type="button" class="rc-btn rc-btn-quiet" onClick={() => void refresh()}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}

/** A course's jobs that invite: renew its expiring invites, or invite addresses with room made. */
function CourseActions({ course }: { course: CourseOverview }) {
  const busy = useApp((s) => s.jobBusy);
  const renew = useApp((s) => s.renewExpiring);
  const openInvite = useApp((s) => s.openInvite);
  const days = useApp((s) => s.settings?.renewDays ?? null);
  const n = course.expiring;
  return (
    <p class="course-actions">
      <button
        type="button"
        class="rc-btn rc-btn-quiet"
        disabled={busy || !n}
        title={
          days === null ? undefined : `Invite again every pending invite that expires within ${days} days`
        }
        aria-label={`Renew expiring (${n ?? '…'}) in ${course.title}`}
        onClick={() => void renew(course.courseId)}
      >
        Renew expiring ({n ?? '…'})
      </button>
      <button
        type="button"
        class="rc-btn rc-btn-quiet"
        aria-label={`Invite and make room in ${course.title}`}
        onClick={() => openInvite(course.courseId)}
      >
        Invite and make room
      </button>
    </p>
  );
}

/** "updated 5 min ago", or stale (shared/freshness.ts), or never read: on the extension's clock. */
function CourseFreshness({ course }: { course: CourseOverview }) {
  const minutes = useApp((s) => s.settings?.rereadAfterMinutes ?? DEFAULT_SETTINGS.rereadAfterMinutes);
  const now = useApp((s) => s.now)();
  const f = freshnessOf(course, now, rereadAfterMs(minutes));
  if (f.kind === 'unread')
    return (
      <span class="updated stale" data-testid="course-freshness">
        not read yet
      </span>
    );
  return (
    <span class={f.kind === 'stale' ? 'updated stale' : 'updated'} data-testid="course-freshness">
      {f.kind === 'stale' ? 'stale: ' : ''}updated {ago(f.readAt, now)}
    </span>
  );
}

function CourseItem({ course, now }: { course: CourseOverview; now: number }) {
  const ticked = useApp((s) => !s.unticked[course.courseId]);
  const filtered = useApp((s) => s.minAgeDays > 0);
  const counting = useApp(isCounting);
  const toggle = useApp((s) => s.toggleCourse);
  const id = `course-${course.courseId}`;
  const soon = course.soonestExpiry;
  const urgent = soon !== null && isUrgent(sentAtOf(soon), now);
  return (
    <li class="course" data-course-id={course.courseId}>
      <input
        type="checkbox"
        id={id}
        checked={ticked}
        aria-describedby={`${id}-facts`}
        onChange={(e) => toggle(course.courseId, e.currentTarget.checked)}
      />
      <div>
        <label for={id} class="course-title">
          {course.title}
        </label>
        <p id={`${id}-facts`} class="course-facts">
          <span data-testid="pending">{plural(course.pending, 'pending invite', 'pending invites')}</span>
          {' · '}
          <span data-testid="seats">
            revoking returns {counting ? '…' : plural(course.inScope, 'seat', 'seats')}
            {filtered ? ' (filtered)' : ''}
          </span>
          {soon !== null && (
            <span class={urgent ? 'soonest rc-urgent' : 'soonest'} data-testid="soonest">
              First one {formatCountdown(sentAtOf(soon), now)}
            </span>
          )}
          <CourseFreshness course={course} />
        </p>
        <CourseActions course={course} />
      </div>
    </li>
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

export function Courses() {
  const overview = useApp((s) => s.overview);
  const total = useApp(totalPending);
  const count = useApp(inScopeCount);
  const counting = useApp(isCounting);
  const revoke = useApp((s) => s.revoke);
  const busy = useApp((s) => s.jobBusy);
  const jobError = useApp((s) => s.jobError);
  const notice = useApp((s) => s.notice);
  const allTicked = useApp((s) => (s.overview?.courses ?? []).every((c) => !s.unticked[c.courseId]));
  const setAllTicked = useApp((s) => s.setAllTicked);
  const portalNow = useApp((s) => s.portalNow);
  useApp((s) => s.tick);
  const now = portalNow();
  const shown = useRowsAfterPaint(overview?.courses.length ?? 0);

  if (!overview) return <p class="rc-muted">Loading…</p>;
  const courses = overview.courses;
  return (
    <div class="stack">
      <Freshness />
      {notice && (
        <p class="rc-note rc-note-ok" role="status">
          {notice}
        </p>
      )}
      <dl class="totals" aria-label="Totals">
        <div>
          <dt>Pending invites</dt>
          <dd data-testid="total-pending">{total}</dd>
        </div>
        <div>
          <dt>Seats to reclaim</dt>
          <dd data-testid="total-reclaimable">{counting ? '…' : count}</dd>
        </div>
      </dl>
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
        overview.origin !== null && <p class="rc-muted">No courses on this portal.</p>
      )}
      {jobError && (
        <p class="rc-note rc-note-danger" role="alert">
          {jobError}
        </p>
      )}
      <button
        type="button"
        class="rc-btn rc-btn-primary revoke"
        disabled={busy || counting || count === 0}
        onClick={() => void revoke()}
      >
        {counting ? 'Counting…' : count === 0 ? 'Nothing to revoke' : `Revoke ${count} pending`}
      </button>
    </div>
  );
}
