/**
 * Reassign and Renew on one pending row (both tables): Reassign asks for an address (with
 * suggestions from the learners Reclaim knows, by name or e-mail), checks it, then starts the job
 * with Undo; the row then shows both outcomes (the revoke, and the invite). Which invite the row
 * is comes from the controller (the row control's invite id), never from the row's markup.
 */
import { parseAddress } from '../../shared/addresses';
import { isPendingAt } from '../../shared/expiry';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { h, setAttr, setText, show } from './h';
import { type PageInvites, type PageJob, pageInvites } from './invite-jobs';
import { makeInviteHost } from './invite-styles';
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
  if (!line) return { text: job.view?.counts.failed ? 'Failed' : 'Done', tone: '', retry: false };
  const revoked = line.revoked?.outcome === 'revoked' ? 'Revoked' : 'Seat was free';
  switch (line.outcome) {
    case 'invited':
      return {
        text: renew ? 'Renewed: invited again' : `${revoked} · invited ${line.email}`,
        tone: 'ok',
        retry: false,
      };
    case 'failed':
      return { text: `Failed: ${line.detail ?? 'unknown error'}`, tone: 'bad', retry: true };
    case 'kept-accepted':
      return { text: 'Accepted meanwhile: kept, nothing sent', tone: '', retry: false };
    default: {
      const why = line.seatLeftFree ?? line.detail ?? line.outcome;
      return {
        text: line.seatLeftFree ? `${revoked} · not invited: ${why}` : why,
        tone: 'bad',
        retry: false,
      };
    }
  }
}

export interface InviteRowView {
  readonly host: HTMLElement;
}

export function createInviteRow(
  id: string,
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
): InviteRowView {
  const p = pageInvites(ctl, deps);
  const { host, root } = makeInviteHost('invite-row', scheme);
  const listId = `reclaim-suggest-${++rowCount}`;
  const note = h('span', { class: 'info', role: 'status' });
  const reassign = h('button', { type: 'button' }, 'Reassign');
  const renew = h('button', { type: 'button' }, 'Renew');
  const undo = h('button', { type: 'button' }, 'Undo');
  const retry = h('button', { type: 'button' }, 'Retry');
  const input = h('input', { type: 'text', list: listId, autocomplete: 'off', 'aria-label': 'New address' });
  const list = h('datalist', { id: listId });
  const go = h('button', { type: 'button', class: 'main' }, 'Reassign');
  const close = h('button', { type: 'button' }, 'Cancel');
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

  const name = () => {
    const inv = ctl.invite(id);
    return inv ? `${inv.learnerName}, ${inv.courseTitle}` : 'this invite';
  };
  const user = (e: Event) => deps.isTrusted(e) && (e as MouseEvent).detail <= 1;

  const submit = () => {
    const parsed = parseAddress(input.value);
    if ('reason' in parsed) {
      setText(problem, input.value.trim() ? `Not an address: ${parsed.reason}.` : 'Type the new address.');
      return;
    }
    editing = false;
    void p.reassign(id, parsed.email);
    update();
  };

  reassign.addEventListener('click', (e) => {
    if (!user(e)) return;
    editing = true;
    input.value = '';
    setText(problem, '');
    update();
    input.focus();
  });
  renew.addEventListener('click', (e) => {
    if (user(e)) void p.renew(id);
  });
  undo.addEventListener('click', (e) => {
    if (user(e)) void p.undo(p.row(id));
  });
  retry.addEventListener('click', (e) => {
    if (user(e)) void p.retryFailed(p.row(id));
  });
  go.addEventListener('click', (e) => {
    if (user(e)) submit();
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
    } else if (e.key === 'Enter' && deps.isTrusted(e)) submit();
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
    if (job?.phase === 'starting' || job?.phase === 'running') {
      text = job.view?.job.reason === 'renew' ? 'Renewing…' : 'Reassigning…';
      if (job.message) text = `Paused: ${job.message}`;
      canStart = false;
    } else if (job?.phase === 'waiting' && job.view) {
      undoLeft = Math.max(0, Math.ceil((job.view.job.startAt - Date.now()) / 1000));
      const to = job.view.job.reason === 'renew' ? 'Renewing' : 'Reassigning';
      text = undoLeft > 0 ? `${to} in ${undoLeft} s` : `${to}…`;
      canStart = false;
    } else if (job?.phase === 'done') {
      const o = outcomeText(p, id, job);
      text = o.text;
      tone = o.tone;
      canRetry = o.retry;
      canStart = false;
    } else if (job?.phase === 'undone') text = 'Undone: nothing was sent.';
    else if (job?.phase === 'error') {
      text = `Could not start: ${job.message ?? 'unknown error'}`;
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
    setText(undo, `Undo (${undoLeft})`);
    setAttr(reassign, 'aria-label', `Reassign this seat to someone else: ${name()}`);
    setAttr(renew, 'aria-label', `Renew: invite again, a new 30 days: ${name()}`);
    setAttr(undo, 'aria-label', `Undo: ${name()}`);
    setAttr(go, 'aria-label', `Reassign ${name()} to this address`);
  }

  p.watch(`row:${id}`, update);
  update();
  return { host };
}
