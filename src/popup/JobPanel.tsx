/**
 * A job on screen: its Undo window (from the click on, before the background has answered), its
 * live progress, then its report. Undo is a button of its own, and Escape anywhere in the popup
 * undoes while the window is open (and only then).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { heldText } from '../shared/held';
import { num, t, tn } from '../shared/i18n';
import type { JobView } from '../shared/types';
import { failureWords } from '../shared/ui/failure-words';
import { jobDoing } from '../shared/ui/job-words';
import { anyCounted, type Count, Counts } from './Counts';
import { useApp } from './context';
import { jobDone } from './format';
import { InviteLines, inviteCounts } from './InviteReport';

/** Whole seconds left until `endsAt` (extension clock), updated four times a second. */
function useSecondsLeft(endsAt: number): number {
  const clock = useApp((s) => s.now);
  const left = () => Math.max(0, Math.ceil((endsAt - clock()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    const timer = setInterval(() => setSeconds(left()), 250);
    return () => clearInterval(timer);
  }, [endsAt]);
  return seconds;
}

/** Escape undoes while mounted, wherever the focus is; the popup is kept open for it. */
function useEscapeUndoes(undo: () => Promise<void>, on: boolean) {
  useEffect(() => {
    if (!on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Handled here, so the browser does not close the popup on it; the Undo goes out at once
      // in any case, should a browser close it all the same.
      e.preventDefault();
      void undo();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [undo, on]);
}

/**
 * The Undo window: what will happen and when, said once, and Undo. `undoable`: false when the
 * Undo setting is 0 (nothing to undo); `undone`: Undo was pressed before the background answered.
 */
function UndoWindow(props: { doing: string; endsAt: number; undoable: boolean; undone: boolean }) {
  const undo = useApp((s) => s.undo);
  const busy = useApp((s) => s.jobBusy);
  const seconds = useSecondsLeft(props.endsAt);
  const undoRef = useRef<HTMLButtonElement>(null);
  const open = props.undoable && !props.undone;
  useEscapeUndoes(undo, open);
  useEffect(() => undoRef.current?.focus(), [open]);
  const when = props.undone
    ? t('workUndoing')
    : !props.undoable
      ? t('workStarting')
      : seconds > 0
        ? t('workStartingIn', seconds)
        : t('workStartingNow');
  return (
    <section class="rc-note rc-note-warn stack" aria-labelledby="undo-title">
      <h2 id="undo-title">{props.doing}</h2>
      <p data-testid="undo-countdown">{when}</p>
      {open && (
        <p class="row undo-row">
          <button
            type="button"
            ref={undoRef}
            class="rc-btn"
            disabled={busy}
            aria-keyshortcuts="Escape"
            onClick={() => void undo()}
          >
            {t('workUndo')}
          </button>
          <span class="rc-muted">{t('workUndoKey')}</span>
        </p>
      )}
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
  const outcomes: Count[] = [
    job.reason
      ? [counts.invited, 'outcomeCountInvited', 'progress-done']
      : [counts.revoked, 'outcomeCountRevoked', 'progress-done'],
    [counts.keptAccepted, 'outcomeCountKept', 'progress-kept'],
    [counts.alreadyGone, 'outcomeCountGone', 'progress-gone'],
    [counts.failed, 'outcomeCountFailed', 'progress-failed'],
  ];
  const progress = t('workProgress', done, counts.total);
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
        aria-valuetext={progress}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p data-testid="progress-text">
        {progress}
        {anyCounted(outcomes) && ' · '}
        <Counts parts={outcomes} />
      </p>
      {job.state === 'signed-out' && (
        <div class="rc-note rc-note-warn stack" role="alert">
          <p>{t('workSignedOut')}</p>
          <p>
            <button type="button" class="rc-btn rc-btn-primary" onClick={signIn}>
              {t('workSignIn')}
            </button>
          </p>
        </div>
      )}
      {job.state === 'paused' && (
        <p class="rc-note" role="status">
          {job.message ? t('workPausedWhy', job.message) : t('workPaused')}
        </p>
      )}
      <div class="row">
        {job.state === 'running' && (
          <button type="button" class="rc-btn" disabled={busy} onClick={() => void pause()}>
            {t('workPause')}
          </button>
        )}
        {job.state === 'paused' && (
          <button type="button" class="rc-btn rc-btn-primary" disabled={busy} onClick={() => void resume()}>
            {t('workResume')}
          </button>
        )}
        <button type="button" class="rc-btn" disabled={busy} onClick={() => void stop()}>
          {t('workStop')}
        </button>
      </div>
    </section>
  );
}

/** A finished job's one line: "Done: 8 revoked", with no zeros. */
function ReportLine({ view, parts }: { view: JobView; parts: readonly Count[] }) {
  const stopped = view.job.state === 'cancelled';
  return (
    <p data-testid="report-line">
      {anyCounted(parts) ? (
        <>
          {t(stopped ? 'workReportStopped' : 'workReportDone')} <Counts parts={parts} />
        </>
      ) : (
        t(stopped ? 'workReportStoppedNothing' : 'workReportDoneNothing')
      )}
    </p>
  );
}

function RevokeReport({ view }: { view: JobView }) {
  const { counts, seatsReturnedByCourse, failures } = view;
  const parts: Count[] = [
    [counts.revoked, 'outcomeCountRevoked', 'report-revoked'],
    [counts.keptAccepted, 'outcomeCountKept', 'report-kept'],
    [counts.alreadyGone, 'outcomeCountGone', 'report-gone'],
    [counts.failed, 'outcomeCountFailed', 'report-failed'],
    [counts.skipped, 'outcomeCountSkipped', 'report-skipped'],
  ];
  return (
    <>
      <ReportLine view={view} parts={parts} />
      {seatsReturnedByCourse.length > 0 && (
        <table class="rc-table">
          <caption class="rc-visually-hidden">{t('workSeatsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('workSeatsCourse')}</th>
              <th scope="col">{t('workSeatsReturned')}</th>
            </tr>
          </thead>
          <tbody>
            {seatsReturnedByCourse.map((c) => (
              <tr key={c.courseId} data-course-id={c.courseId}>
                <td>{c.courseTitle}</td>
                <td>{num(c.seats)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failures.length > 0 && (
        <div class="rc-note rc-note-danger stack">
          <h3>{tn('workNotRevoked', failures.length)}</h3>
          <ul class="failures">
            {failures.map((f) => (
              <li key={f.inviteId}>
                {t('workFailureLine', f.learnerName, f.courseTitle, failureWords(f.error))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function Report({ view }: { view: JobView }) {
  const { counts, job } = view;
  const retryFailed = useApp((s) => s.retryFailed);
  const dismiss = useApp((s) => s.dismissJob);
  const busy = useApp((s) => s.jobBusy);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section class="stack report" aria-labelledby="report-title">
      <h2 id="report-title" tabIndex={-1} ref={headingRef}>
        {jobDone(view)}
      </h2>
      {job.reason ? (
        <>
          <ReportLine view={view} parts={inviteCounts(view)} />
          <InviteLines lines={view.lines ?? []} />
          {job.itemsPrunedAt !== undefined && (
            <p class="rc-muted" data-testid="report-pruned">
              {t('workPruned')}
            </p>
          )}
        </>
      ) : (
        <RevokeReport view={view} />
      )}
      <div class="row">
        {counts.failed > 0 && (
          <button
            type="button"
            class="rc-btn rc-btn-primary"
            disabled={busy}
            onClick={() => void retryFailed()}
          >
            {t('workRetryFailed')}
          </button>
        )}
        <button type="button" class="rc-btn" onClick={dismiss}>
          {t('workDone')}
        </button>
      </div>
    </section>
  );
}

/**
 * The job on screen, or the one just started whose answer has not come (`view` null): one
 * component for both, so its Undo window stays the same element when that answer comes.
 */
export function JobPanel({ view }: { view: JobView | null }) {
  const jobError = useApp((s) => s.jobError);
  const starting = useApp((s) => s.starting);
  const busy = useApp((s) => s.jobBusy);
  const state = view?.job.state ?? 'waiting';
  const held = view ? heldText(view.job.heldByOthers) : null;
  // The window as counted from the click, when it was started here: it ends before the background's.
  const mine = starting && (starting.jobId === null || starting.jobId === view?.job.id) ? starting : null;
  return (
    <div class="stack" data-job-id={view?.job.id} data-job-state={view ? state : 'starting'}>
      {held && view && (
        <p class="rc-note" data-testid="job-held">
          {view.counts.total === 0 ? t('workHeldNothing', held) : t('workHeldLeft', held)}
        </p>
      )}
      {state === 'waiting' ? (
        <UndoWindow
          doing={view ? jobDoing(view) : (mine?.doing ?? '')}
          endsAt={mine ? mine.endsAt : (view?.job.startAt ?? 0)}
          undoable={!(view === null && busy)}
          undone={mine?.undone === true}
        />
      ) : view && (state === 'done' || state === 'cancelled') ? (
        <Report view={view} />
      ) : (
        view && <Progress view={view} />
      )}
      {jobError && (
        <p class="rc-note rc-note-danger" role="alert">
          {jobError}
        </p>
      )}
    </div>
  );
}
