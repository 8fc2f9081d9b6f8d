/**
 * The popup's Expiring soon view: every pending invite of the portal that expires within the
 * expiry window (renewDays), across courses, soonest first; each with Renew, Reassign and Revoke,
 * and with ticks for Renew selected and Revoke selected. Every action starts a job in its Undo
 * window (expiring-actions.ts). Also its way in from the courses, "Expiring soon (N)".
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseAddress } from '../shared/addresses';
import { formatCountdown } from '../shared/expiry';
import { t, tn } from '../shared/i18n';
import type { CachedInvite } from '../shared/types';
import { useApp } from './context';
import { expiryWindowOf, pickedRows } from './expiring-actions';
import { sentAtOf } from './format';
import { WatchNote } from './WatchNote';

/** The courses' count of invites expiring within the window (null while not counted). */
function expiringCount(courses: { expiring?: number }[]): number | null {
  let n = 0;
  for (const c of courses) {
    if (c.expiring === undefined) return null;
    n += c.expiring;
  }
  return n;
}

/** The way in from the courses: shown only with something expiring. */
export function ExpiringEntry() {
  const n = useApp((s) => expiringCount(s.overview?.courses ?? []));
  const days = useApp(expiryWindowOf);
  const open = useApp((s) => s.openExpiring);
  if (!n) return null;
  return (
    <button
      type="button"
      class="rc-btn expiring-entry"
      data-testid="expiring-entry"
      title={tn('expiringEntryTitle', days)}
      onClick={open}
    >
      {t('expiringEntry', n)}
    </button>
  );
}

/** The Reassign field of one row: an address (with suggestions from the learners Reclaim knows). */
function ReassignForm({ row, onClose }: { row: CachedInvite; onClose: () => void }) {
  const reassign = useApp((s) => s.reassignInvite);
  const suggest = useApp((s) => s.suggestLearners);
  const busy = useApp((s) => s.jobBusy || s.starting !== null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [options, setOptions] = useState<{ name: string; email: string }[]>([]);
  const seq = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const id = `reassign-${row.id}`;
  const onInput = (value: string) => {
    setText(value);
    setProblem(null);
    const mine = ++seq.current;
    void suggest(value).then((learners) => {
      if (mine === seq.current) setOptions(learners);
    });
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const parsed = parseAddress(text);
    if ('reason' in parsed) {
      setProblem(text.trim() ? t('expiringNotAddress', parsed.reason) : t('expiringTypeAddress'));
      input.current?.focus();
      return;
    }
    void reassign(row.id, parsed.email);
  };
  return (
    <form class="reassign" onSubmit={onSubmit} noValidate>
      <label for={id}>{t('expiringNewAddress', row.learnerName)}</label>
      <div class="row">
        <input
          id={id}
          ref={input}
          class="rc-input"
          type="text"
          list={`${id}-list`}
          autoComplete="off"
          value={text}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
          }}
        />
        <datalist id={`${id}-list`}>
          {options.map((l) => (
            <option key={l.email} value={`${l.name} <${l.email}>`} />
          ))}
        </datalist>
        <button type="submit" class="rc-btn rc-btn-primary" disabled={busy}>
          {t('expiringReassign')}
        </button>
        <button type="button" class="rc-btn" onClick={onClose}>
          {t('workCancel')}
        </button>
      </div>
      {problem && (
        <p id={`${id}-problem`} class="rc-note rc-note-danger" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function ExpiringRow({ row, now }: { row: CachedInvite; now: number }) {
  const ticked = useApp((s) => s.picked[row.id] === true);
  const toggle = useApp((s) => s.togglePicked);
  const renew = useApp((s) => s.renewInvites);
  const revoke = useApp((s) => s.revokeInvites);
  const busy = useApp((s) => s.jobBusy || s.starting !== null);
  const [reassigning, setReassigning] = useState(false);
  const reassignButton = useRef<HTMLButtonElement>(null);
  const id = `expiring-${row.id}`;
  const closeReassign = () => {
    setReassigning(false);
    // Back to the control that opened the field.
    queueMicrotask(() => reassignButton.current?.focus());
  };
  return (
    <li class="expiring-row" data-invite-id={row.id}>
      <input
        type="checkbox"
        id={id}
        checked={ticked}
        aria-describedby={`${id}-facts`}
        onChange={(e) => toggle(row.id, e.currentTarget.checked)}
      />
      <div>
        <label for={id} class="learner">
          {row.learnerName}
        </label>
        <p id={`${id}-facts`} class="course-facts">
          <span class="email">{row.learnerEmail}</span>
          <span class="course">{row.courseTitle}</span>
          <span class="soonest rc-urgent" data-testid="countdown">
            {formatCountdown(sentAtOf(row.expiresAt), now)}
          </span>
        </p>
        {reassigning ? (
          <ReassignForm row={row} onClose={closeReassign} />
        ) : (
          <p class="course-actions">
            <button
              type="button"
              class="rc-btn rc-btn-quiet"
              disabled={busy}
              aria-label={t('expiringRenewWho', row.learnerName, row.courseTitle)}
              onClick={() => void renew([row.id])}
            >
              {t('expiringRenew')}
            </button>
            <button
              type="button"
              class="rc-btn rc-btn-quiet"
              ref={reassignButton}
              aria-label={t('expiringReassignWho', row.learnerName, row.courseTitle)}
              onClick={() => setReassigning(true)}
            >
              {t('expiringReassignOpen')}
            </button>
            <button
              type="button"
              class="rc-btn rc-btn-quiet"
              disabled={busy}
              aria-label={t('expiringRevokeWho', row.learnerName, row.courseTitle)}
              onClick={() => void revoke([row.id])}
            >
              {t('expiringRevoke')}
            </button>
          </p>
        )}
      </div>
    </li>
  );
}

export function ExpiringSoon() {
  const rows = useApp((s) => s.expiring);
  const error = useApp((s) => s.expiringError);
  const days = useApp(expiryWindowOf);
  const picked = useApp((s) =>
    pickedRows(s)
      .map((i) => i.id)
      .join(' '),
  );
  const setAll = useApp((s) => s.setAllPicked);
  const close = useApp((s) => s.closeExpiring);
  const renew = useApp((s) => s.renewInvites);
  const revoke = useApp((s) => s.revokeInvites);
  const busy = useApp((s) => s.jobBusy || s.starting !== null);
  const jobError = useApp((s) => s.jobError);
  const notice = useApp((s) => s.notice);
  const portalNow = useApp((s) => s.portalNow);
  useApp((s) => s.tick);
  const now = portalNow();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const allBox = useRef<HTMLInputElement>(null);

  const ids = picked ? picked.split(' ') : [];
  const total = rows?.length ?? 0;
  const all = total > 0 && ids.length === total;
  useEffect(() => {
    if (allBox.current) allBox.current.indeterminate = ids.length > 0 && !all;
  });
  const courses = new Set((rows ?? []).filter((i) => ids.includes(i.id)).map((i) => i.courseId)).size;

  return (
    <section class="stack" aria-labelledby="expiring-title" data-testid="expiring-view">
      <div class="courses-head">
        <h2 id="expiring-title" tabIndex={-1} ref={heading}>
          {tn('expiringWithin', days)}
        </h2>
        <button type="button" class="rc-btn rc-btn-quiet" onClick={close}>
          {t('expiringBack')}
        </button>
      </div>
      <WatchNote />
      {notice && (
        <p class="rc-note rc-note-ok" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="rc-note rc-note-danger" role="alert">
          {error}
        </p>
      )}
      {rows === null ? (
        !error && <p class="rc-muted">{t('expiringReading')}</p>
      ) : total === 0 ? (
        <p class="rc-muted" data-testid="expiring-empty">
          {tn('expiringNone', days)}
        </p>
      ) : (
        <>
          <p class="select-all">
            <input
              type="checkbox"
              id="expiring-all"
              ref={allBox}
              checked={all}
              onChange={(e) => setAll(e.currentTarget.checked)}
            />{' '}
            <label for="expiring-all">{t('expiringSelectAll', total)}</label>
          </p>
          <ul class="courses" aria-label={tn('expiringList', days)}>
            {rows.map((row) => (
              <ExpiringRow key={row.id} row={row} now={now} />
            ))}
          </ul>
          {ids.length > 0 && (
            <div class="row">
              <button
                type="button"
                class="rc-btn rc-btn-primary"
                disabled={busy}
                onClick={() => void renew(ids)}
              >
                {t('expiringRenewSelected', ids.length)}
              </button>
              <button
                type="button"
                class="rc-btn rc-btn-danger"
                disabled={busy}
                onClick={() => void revoke(ids)}
              >
                {t('expiringRevokeSelected', ids.length)}
              </button>
              <span class="rc-muted">{tn('expiringCourses', courses)}</span>
            </div>
          )}
        </>
      )}
      {jobError && (
        <p class="rc-note rc-note-danger" role="alert">
          {jobError}
        </p>
      )}
    </section>
  );
}
