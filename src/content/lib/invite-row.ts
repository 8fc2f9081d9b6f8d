/**
 * Reassign and Renew on one pending row (both tables): Reassign asks for an address (with
 * suggestions from the learners Reclaim knows, by name or e-mail), checks it, then starts the job
 * with Undo; the row then shows both outcomes (the revoke, and the invite). Which invite the row
 * is comes from the row's control (the invite the table view matched the row to, by the portal's
 * hook or through the page's invites), never from the row's markup.
 *
 * Whatever sends (Renew, the form's Reassign or Enter in its address field, Retry) acts only from
 * the row it was made for and passes the click gate (gate.ts), as Revoke does. Opening and closing
 * the form and Undo send nothing to the portal, so a real click is all they need.
 */
import { parseAddress } from '../../shared/addresses';
import { isPendingAt } from '../../shared/expiry';
import { t } from '../../shared/i18n';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import type { Control } from './gate';
import { h, setAttr, setText, show } from './h';
import { type PageInvites, type PageJob, pageInvites } from './invite-jobs';
import { makeInviteHost } from './invite-styles';
import type { RowPlace } from './row-view';
import type { Scheme } from './styles';

let rowCount = 0;

/** What a finished row job says: the invite's fate and the revoke's. */
function outcomeText(
  p: PageInvites,
  id: string,
  job: PageJob,
): { text: string; tone: string; retry: boolean } {
  const line = p.line(id);
  const renew = job.view?.job.reason === 'renew';
  if (!line)
    return { text: t(job.view?.counts.failed ? 'inviteFailed' : 'inviteDone'), tone: '', retry: false };
  // The revoke's fate and the invite's are two statements, side by side.
  const revoked = t(line.revoked?.outcome === 'revoked' ? 'inviteRevoked' : 'inviteWasFree');
  switch (line.outcome) {
    case 'invited':
      return {
        text: renew ? t('inviteRenewed') : t('inviteSent', revoked, line.email),
        tone: 'ok',
        retry: false,
      };
    case 'failed':
      return { text: t('inviteFailedWhy', line.detail ?? t('inviteUnknown')), tone: 'bad', retry: true };
    case 'kept-accepted':
      return { text: t('inviteKept'), tone: '', retry: false };
    default: {
      const why = line.seatLeftFree ?? line.detail ?? line.outcome;
      return {
        text: line.seatLeftFree ? t('inviteNotSent', revoked, why) : why,
        tone: 'bad',
        retry: false,
      };
    }
  }
}

export interface InviteRowView {
  readonly host: HTMLElement;
}

/**
 * `owner`: the row control's host, which this one sits inside (the element the page's tree holds);
 * `place`: where the table view put that control, and whether it may still act there.
 */
export function createInviteRow(
  id: string,
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  owner: HTMLElement,
  place: RowPlace,
): InviteRowView {
  const p = pageInvites(ctl, deps);
  const { host, root } = makeInviteHost('invite-row', scheme);
  const listId = `reclaim-suggest-${++rowCount}`;
  // Not a live region: the bar's is the page's one (announcements.ts).
  const note = h('span', { class: 'info' });
  const reassign = h('button', { type: 'button' }, t('inviteReassign'));
  const renew = h('button', { type: 'button' }, t('inviteRenew'));
  const undo = h('button', { type: 'button' }, t('inviteUndo'));
  const retry = h('button', { type: 'button' }, t('inviteRetry'));
  const input = h('input', {
    type: 'text',
    list: listId,
    autocomplete: 'off',
    'aria-label': t('inviteNewAddress'),
  });
  const list = h('datalist', { id: listId });
  const go = h('button', { type: 'button', class: 'main' }, t('inviteReassign'));
  const close = h('button', { type: 'button' }, t('inviteCancel'));
  const problem = h('span', { class: 'info bad', role: 'alert' });
  const pop = h(
    'div',
    { class: 'pop', hidden: '' },
    input,
    list,
    problem,
    h('div', { class: 'row' }, go, close),
  );
  root.append(h('span', { class: 'acts' }, note, reassign, renew, undo, retry), pop);
  let editing = false;
  let suggestSeq = 0;
  /** What the accessible names were last made for (every change on the page renders each row). */
  let named = '';
  /** The gate turned the last press down (said in the note until the next press). */
  let refused = false;

  const gated = (button: HTMLElement): Control => {
    const c = { host: owner, root, button, place: place.cell };
    deps.gate.watch(c);
    return c;
  };
  const renewControl = gated(renew);
  const goControl = gated(go);
  const inputControl = gated(input);
  const retryControl = gated(retry);

  const name = () => {
    const inv = ctl.invite(id);
    return inv ? `${inv.learnerName}, ${inv.courseTitle}` : t('inviteThis');
  };
  /** A real press (a double click's second click is not one more). */
  const user = (e: Event) => {
    if (!deps.isTrusted(e) || (e as MouseEvent).detail > 1) return false;
    refused = false;
    return true;
  };
  /** Whether a press on `c` may send: from this row, on a control the manager could see. */
  const mayAct = (e: Event, c: Control): boolean => {
    if (!place.holds()) return false; // the control was taken out of its row: it is gone now
    if (deps.gate.sees(e, c)) return true;
    refused = true;
    update();
    return false;
  };

  const submit = () => {
    const parsed = parseAddress(input.value);
    if ('reason' in parsed) {
      setText(problem, input.value.trim() ? t('inviteNotAddress', parsed.reason) : t('inviteTypeAddress'));
      return;
    }
    editing = false;
    void p.reassign(id, parsed.email);
    update();
  };

  // Opening the form sends nothing: a real click is enough. Its field gets the focus as the
  // answer to that click, which the gate counts as the manager's own focus for its Enter.
  reassign.addEventListener('click', (e) => {
    if (!user(e)) return;
    editing = true;
    input.value = '';
    setText(problem, '');
    update();
    deps.gate.focusOn(e, inputControl);
  });
  renew.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, renewControl)) void p.renew(id);
  });
  // Undo sends nothing to the portal (it only keeps a job from starting): a real click is enough.
  undo.addEventListener('click', (e) => {
    if (user(e)) void p.undo(p.row(id));
  });
  retry.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, retryControl)) void p.retryFailed(p.row(id));
  });
  go.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, goControl)) submit();
  });
  close.addEventListener('click', (e) => {
    if (!user(e)) return;
    editing = false;
    update();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      editing = false;
      update();
    } else if (e.key === 'Enter' && user(e) && mayAct(e, inputControl)) submit();
  });
  // Suggestions: learners Reclaim knows whose name or address holds what was typed.
  input.addEventListener('input', () => {
    setText(problem, '');
    const q = input.value.trim();
    const seq = ++suggestSeq;
    if (q.length < 2) return;
    void deps.send({ type: 'learners.suggest', q: q.slice(0, 100) }).then((r) => {
      if (!r.ok || seq !== suggestSeq) return;
      list.replaceChildren(
        ...r.value.learners.map((l) =>
          h('option', { value: `${l.name} <${l.email}>` }, `${l.name} <${l.email}>`),
        ),
      );
    });
  });

  function update(): void {
    const inv = ctl.invite(id);
    const job = p.row(id);
    const now = ctl.portalNow() ?? Date.now();
    const pending = !!inv && isPendingAt(inv.status, inv.expiresAt, now) && ctl.phase(id).kind === 'idle';
    let text = '';
    let tone = '';
    let canStart = pending;
    let canRetry = false;
    let undoLeft = 0;
    const renewing = job?.view?.job.reason === 'renew';
    if (job?.phase === 'starting' || job?.phase === 'running') {
      text = job.message
        ? t('invitePaused', job.message)
        : t(renewing ? 'inviteRenewing' : 'inviteReassigning');
      canStart = false;
    } else if (job?.phase === 'waiting' && job.view) {
      undoLeft = Math.max(0, Math.ceil((job.view.job.startAt - Date.now()) / 1000));
      text =
        undoLeft > 0
          ? t(renewing ? 'inviteRenewIn' : 'inviteReassignIn', undoLeft)
          : t(renewing ? 'inviteRenewing' : 'inviteReassigning');
      canStart = false;
    } else if (job?.phase === 'done') {
      const o = outcomeText(p, id, job);
      text = o.text;
      tone = o.tone;
      canRetry = o.retry;
      canStart = false;
    } else if (job?.phase === 'undone') text = t('inviteUndone');
    else if (job?.phase === 'error') {
      text = t('inviteNoStart', job.message ?? t('inviteUnknown'));
      tone = 'bad';
    }
    if (refused) {
      text = t('inviteRefused');
      tone = 'bad';
    }
    setText(note, text);
    setAttr(note, 'class', tone ? `info ${tone}` : 'info');
    show(note, text !== '');
    show(reassign, canStart && !editing);
    show(renew, canStart && !editing);
    show(undo, undoLeft > 0);
    show(retry, canRetry);
    show(pop, editing && canStart);
    const who = name();
    if (named === who + renewing) return;
    named = who + renewing;
    setAttr(reassign, 'aria-label', t('inviteReassignWho', who));
    setAttr(renew, 'aria-label', t('inviteRenewWho', who));
    setAttr(undo, 'aria-label', t(renewing ? 'inviteUndoRenew' : 'inviteUndoReassign', who));
    setAttr(go, 'aria-label', t('inviteReassignTo', who));
  }

  p.watch(`row:${id}`, update);
  update();
  return { host };
}
