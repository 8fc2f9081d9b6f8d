/** A bulk revoke on screen: its Undo window, its live progress, then its report. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { heldText } from '../shared/held';
import type { JobView } from '../shared/types';
import { useApp } from './context';
import { jobDoing, jobDone } from './format';
import { InviteCounts, InviteLines } from './InviteReport';

/** Whole seconds left in the Undo window, updated four times a second. */
function useSecondsLeft(startAt: number): number {
  const clock = useApp((s) => s.now);
  const left = () => Math.max(0, Math.ceil((startAt - clock()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(left()), 250);
    return () => clearInterval(timer);
  }, [startAt]);
  return seconds;
}

function UndoWindow({ view }: { view: JobView }) {
  const undo = useApp((s) => s.undo);
  const busy = useApp((s) => s.jobBusy);
  const seconds = useSecondsLeft(view.job.startAt);
  const undoRef = useRef<HTMLButtonElement>(null);
  useEffect(() => undoRef.current?.focus(), []);
  return (
    <section class="rc-note rc-note-warn stack" aria-labelledby="undo-title">
      <h2 id="undo-title">{jobDoing(view)}</h2>
      <p data-testid="undo-countdown">
        {seconds > 0 ? `Starting in ${seconds} s. Nothing has been sent yet.` : 'Starting…'}
      </p>
      <p>
        <button type="button" ref={undoRef} class="rc-btn" disabled={busy} onClick={() => void undo()}>
          Undo{seconds > 0 ? ` (${seconds})` : ''}
        </button>
      </p>
    </section>
  );
}

function Progress({ view }: { view: JobView }) {
  const { counts, job } = view;
  const pause = useApp((s) => s.pause);
  const resume = useApp((s) => s.resume);
  const stop = useApp((s) => s.stop);
  const signIn = useApp((s) => s.signIn);
  const busy = useApp((s) => s.jobBusy);
  const done = counts.total - counts.queued - counts.inFlight;
  const pct = counts.total > 0 ? Math.round((done / counts.total) * 100) : 100;
  return (
    <section class="stack" aria-labelledby="progress-title">
      <h2 id="progress-title">{jobDoing(view)}</h2>
      <div
        class="rc-bar"
        role="progressbar"
        aria-labelledby="progress-title"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${counts.total} done`}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p data-testid="progress-text">
        {done} of {counts.total} done
        {job.reason ? ` · ${counts.invited} invited` : ` · ${counts.revoked} revoked`}
        {counts.keptAccepted > 0 && ` · ${counts.keptAccepted} kept (accepted)`}
        {counts.alreadyGone > 0 && ` · ${counts.alreadyGone} already gone`}
        {counts.failed > 0 && ` · ${counts.failed} failed`}
      </p>
      {job.state === 'signed-out' && (
        <div class="rc-note rc-note-warn stack" role="alert">
          <p>You’re signed out of the portal. Sign in again and Reclaim carries on by itself.</p>
          <p>
            <button type="button" class="rc-btn rc-btn-primary" onClick={signIn}>
              Sign in to the portal
            </button>
          </p>
        </div>
      )}
      {job.state === 'paused' && (
        <p class="rc-note" role="status">
          Paused{job.message ? `: ${job.message}` : '.'}
        </p>
      )}
      <div class="row">
        {job.state === 'running' && (
          <button type="button" class="rc-btn" disabled={busy} onClick={() => void pause()}>
            Pause
          </button>
        )}
        {job.state === 'paused' && (
          <button type="button" class="rc-btn rc-btn-primary" disabled={busy} onClick={() => void resume()}>
            Resume
          </button>
        )}
        <button type="button" class="rc-btn" disabled={busy} onClick={() => void stop()}>
          Stop
        </button>
      </div>
    </section>
  );
}

function RevokeCounts({ view, seats }: { view: JobView; seats: number }) {
  const { counts } = view;
  return (
    <dl class="report-counts">
      <div>
        <dt>Revoked</dt>
        <dd data-testid="report-revoked">{counts.revoked}</dd>
      </div>
      <div>
        <dt>Seats returned</dt>
        <dd data-testid="report-seats">{seats}</dd>
      </div>
      <div>
        <dt>Kept (accepted)</dt>
        <dd data-testid="report-kept">{counts.keptAccepted}</dd>
      </div>
      <div>
        <dt>Already gone</dt>
        <dd data-testid="report-gone">{counts.alreadyGone}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd data-testid="report-failed">{counts.failed}</dd>
      </div>
      {counts.skipped > 0 && (
        <div>
          <dt>Not sent (stopped)</dt>
          <dd data-testid="report-skipped">{counts.skipped}</dd>
        </div>
      )}
    </dl>
  );
}

function Report({ view }: { view: JobView }) {
  const { counts, job, seatsReturnedByCourse, failures } = view;
  const retryFailed = useApp((s) => s.retryFailed);
  const dismiss = useApp((s) => s.dismissJob);
  const busy = useApp((s) => s.jobBusy);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const seats = seatsReturnedByCourse.reduce((n, c) => n + c.seats, 0);
  return (
    <section class="stack report" aria-labelledby="report-title">
      <h2 id="report-title" tabIndex={-1} ref={headingRef}>
        {jobDone(view)}
      </h2>
      {job.reason ? (
        <>
          <InviteCounts view={view} />
          <InviteLines lines={view.lines ?? []} />
          {job.itemsPrunedAt !== undefined && (
            <p class="rc-muted" data-testid="report-pruned">
              Only failures and seats left free are still listed: the other addresses were cleared a day after
              the job finished. The audit log keeps every invite and revoke.
            </p>
          )}
        </>
      ) : (
        <RevokeCounts view={view} seats={seats} />
      )}
      {!job.reason && seatsReturnedByCourse.length > 0 && (
        <table class="rc-table">
          <caption class="rc-visually-hidden">Seats returned per course</caption>
          <thead>
            <tr>
              <th scope="col">Course</th>
              <th scope="col">Seats returned</th>
            </tr>
          </thead>
          <tbody>
            {seatsReturnedByCourse.map((c) => (
              <tr key={c.courseId} data-course-id={c.courseId}>
                <td>{c.courseTitle}</td>
                <td>{c.seats}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!job.reason && failures.length > 0 && (
        <div class="rc-note rc-note-danger stack">
          <h3>Failed</h3>
          <ul class="failures">
            {failures.map((f) => (
              <li key={f.inviteId}>
                {f.learnerName}, {f.courseTitle}: {f.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="row">
        {counts.failed > 0 && (
          <button
            type="button"
            class="rc-btn rc-btn-primary"
            disabled={busy}
            onClick={() => void retryFailed()}
          >
            Retry failed
          </button>
        )}
        <button type="button" class="rc-btn" onClick={dismiss}>
          Done
        </button>
      </div>
    </section>
  );
}

export function JobPanel({ view }: { view: JobView }) {
  const jobError = useApp((s) => s.jobError);
  const state = view.job.state;
  const held = heldText(view.job.heldByOthers);
  return (
    <div class="stack" data-job-id={view.job.id} data-job-state={state}>
      {held && (
        <p class="rc-note" data-testid="job-held">
          {view.counts.total === 0 ? `Nothing to send: ${held}.` : `${held}: left to that job.`}
        </p>
      )}
      {state === 'waiting' ? (
        <UndoWindow view={view} />
      ) : state === 'done' || state === 'cancelled' ? (
        <Report view={view} />
      ) : (
        <Progress view={view} />
      )}
      {jobError && (
        <p class="rc-note rc-note-danger" role="alert">
          {jobError}
        </p>
      )}
    </div>
  );
}
