/**
 * A course's Usage tab: "Renew expiring (N)" and "Invite and make room" (a paste, its plan before
 * anything is sent, then the job with Undo, live progress and a report per address). Long lists
 * show their first entries and how many more, so a plan of thousands renders at once.
 *
 * What sends or starts anything (Renew expiring, Show the plan, Invite N and revoke M, Retry
 * failed) passes the click gate (gate.ts), as Revoke all does. Opening and closing the paste and
 * Undo send nothing to the portal, so a real click is all they need.
 */
import { num, t, tn } from '../../shared/i18n';
import type { InvitePlan } from '../../shared/invite-work';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import type { Control } from './gate';
import { h, setAttr, setText, show } from './h';
import { type PageJob, pageInvites } from './invite-jobs';
import { makeInviteHost } from './invite-styles';
import type { Scheme } from './styles';

/** How many entries of a list the bar shows. */
const SHOWN = 5;

function some(title: string, items: readonly string[]): HTMLElement | null {
  if (items.length === 0) return null;
  const lis = items.slice(0, SHOWN).map((x) => h('li', {}, x));
  if (items.length > SHOWN) lis.push(h('li', {}, tn('inviteMore', items.length - SHOWN)));
  return h('div', {}, h('span', {}, title), h('ul', {}, ...lis));
}

function planNodes(plan: InvitePlan): HTMLElement[] {
  const unseated = plan.unseated.length;
  const head = plan.problem
    ? h('p', { class: 'info bad', role: 'alert' }, plan.problem)
    : h(
        'p',
        { class: 'info' },
        tn(
          unseated ? 'invitePlanLeft' : 'invitePlan',
          plan.toInvite.length + unseated,
          plan.free,
          plan.revokes.length,
          unseated,
        ),
      );
  const parts = [
    head,
    some(
      t('inviteRevokedFor'),
      plan.revokes.map((r) => `${r.learnerName} (${r.learnerEmail}) → ${r.for}`),
    ),
    some(t('inviteNoSeat'), plan.unseated),
    some(
      t('inviteHolding'),
      plan.holding.map((x) => t(x.status === 'accepted' ? 'inviteAccepted' : 'invitePending', x.email)),
    ),
    some(
      t('inviteMalformed'),
      plan.malformed.map((m) => `${m.text}: ${m.reason}`),
    ),
    some(
      t('inviteRepeated'),
      plan.repeated.map((r) => `${r.email} ×${num(r.times)}`),
    ),
  ];
  return parts.filter((x): x is HTMLElement => x !== null);
}

/** A bulk job's state in words, with whether Undo or Retry failed applies. */
function jobText(job: PageJob): { text: string; undo: number; retry: boolean } {
  const v = job.view;
  if (job.phase === 'starting') return { text: t('inviteStarting'), undo: 0, retry: false };
  if (job.phase === 'error')
    return { text: t('inviteNoStart', job.message ?? t('inviteUnknown')), undo: 0, retry: false };
  if (!v) return { text: '', undo: 0, retry: false };
  const c = v.counts;
  const renew = v.job.reason === 'renew';
  if (job.phase === 'waiting') {
    const left = Math.max(0, Math.ceil((v.job.startAt - Date.now()) / 1000));
    return {
      text: tn(renew ? 'inviteRenewWait' : 'inviteInviteWait', c.total, left),
      undo: left,
      retry: false,
    };
  }
  if (job.phase === 'running') {
    const done = c.total - c.queued - c.inFlight;
    const text = tn(renew ? 'inviteRenewRun' : 'inviteInviteRun', c.total, done, c.invited);
    return { text: job.message ? `${text} (${job.message})` : text, undo: 0, retry: false };
  }
  if (job.phase === 'undone') return { text: t('inviteUndone'), undo: 0, retry: false };
  const left = (v.lines ?? []).filter((l) => l.seatLeftFree);
  const not = c.notInvited + c.keptAccepted + c.alreadyGone;
  const parts = [tn('inviteDoneN', c.invited)];
  if (c.alreadyInvited) parts.push(tn('inviteAlready', c.alreadyInvited));
  if (not) parts.push(tn('inviteNotN', not));
  if (c.failed) parts.push(tn('inviteFailedN', c.failed));
  if (left.length)
    parts.push(
      tn(
        'inviteLeftFree',
        left.length,
        left
          .slice(0, 3)
          .map((l) => `${l.email} (${l.seatLeftFree})`)
          .join('; '),
      ),
    );
  return { text: `${parts.join(', ')}.`, undo: 0, retry: c.failed > 0 };
}

/** `owner`: the table bar's host, which this one sits inside; `place`: the element that bar was put in. */
export function createInviteBar(
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  owner: HTMLElement,
  place: () => Element | null,
): HTMLElement {
  const p = pageInvites(ctl, deps);
  const { host, root } = makeInviteHost('invite-bar', scheme);
  const renew = h('button', { type: 'button' });
  const open = h('button', { type: 'button' }, t('inviteMakeRoom'));
  const undo = h('button', { type: 'button' });
  const retry = h('button', { type: 'button' }, t('inviteRetryFailed'));
  // Not a live region: the bar's is the page's one (announcements.ts).
  const msg = h('span', { class: 'info' });
  const area = h('textarea', {
    'aria-label': t('invitePasteLabel'),
    placeholder: t('invitePasteHint'),
  });
  const planBox = h('div', { class: 'plan' });
  const planBtn = h('button', { type: 'button', class: 'main' }, t('inviteShowPlan'));
  const startBtn = h('button', { type: 'button', class: 'main' });
  const close = h('button', { type: 'button' }, t('inviteCancel'));
  const error = h('p', { class: 'info bad', role: 'alert' });
  const panel = h(
    'div',
    { class: 'panel', hidden: '' },
    area,
    error,
    planBox,
    h('div', { class: 'row' }, planBtn, startBtn, close),
    h('p', { class: 'info' }, t('inviteSafe')),
  );
  root.append(h('div', { class: 'row' }, renew, open, undo, retry, msg), panel);
  let shownPlan: InvitePlan | null = null;
  /** The gate turned the last press down (said in the message until the next press). */
  let refused = false;

  const gated = (button: HTMLElement): Control => {
    const c = { host: owner, root, button, place };
    deps.gate.watch(c);
    return c;
  };
  const renewControl = gated(renew);
  const planControl = gated(planBtn);
  const startControl = gated(startBtn);
  const retryControl = gated(retry);

  /** A real press (a double click's second click is not one more). */
  const user = (e: Event) => {
    if (!deps.isTrusted(e) || (e as MouseEvent).detail > 1) return false;
    refused = false;
    return true;
  };
  /** Whether a press on `c` may send: on a control the manager could see, where Reclaim put it. */
  const mayAct = (e: Event, c: Control): boolean => {
    if (c.button.getAttribute('aria-disabled') === 'true') return false;
    if (deps.gate.sees(e, c)) return true;
    refused = true;
    update();
    return false;
  };
  renew.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, renewControl)) void p.renewExpiring();
  });
  // Opening and closing the paste sends nothing: a real click is enough.
  open.addEventListener('click', (e) => {
    if (!user(e)) return;
    p.setPaste(p.makeRoom ? null : '');
    if (p.makeRoom) area.focus();
  });
  close.addEventListener('click', (e) => {
    if (user(e)) p.setPaste(null);
  });
  area.addEventListener('input', () => p.setPaste(area.value));
  planBtn.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, planControl)) void p.plan();
  });
  startBtn.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, startControl)) void p.startPlan();
  });
  // Undo sends nothing to the portal (it only keeps a job from starting): a real click is enough.
  undo.addEventListener('click', (e) => {
    if (user(e)) void p.undo(p.bulk);
  });
  retry.addEventListener('click', (e) => {
    if (user(e) && mayAct(e, retryControl)) void p.retryFailed(p.bulk);
  });

  function update(): void {
    const ids = p.expiring();
    const job = p.bulk;
    const busy = job?.phase === 'starting' || job?.phase === 'waiting' || job?.phase === 'running';
    const n = ids?.length ?? 0;
    const course = ctl.scopeOf([]).name ?? t('inviteThisCourse');
    setText(
      renew,
      ids === null ? t('inviteCounting') : tn('inviteRenewAll', n, course, tn('inviteDays', p.renewDays)),
    );
    // No greyed button for nothing to renew.
    show(renew, ids === null || n > 0 || busy);
    setAttr(renew, 'aria-disabled', busy || !ids?.length ? 'true' : null);
    const said = job ? jobText(job) : { text: '', undo: 0, retry: false };
    setText(msg, refused ? t('inviteRefused') : said.text);
    show(undo, said.undo > 0);
    setText(undo, t('inviteUndo'));
    const total = job?.view?.counts.total ?? 0;
    const renewing = job?.view?.job.reason === 'renew';
    setAttr(undo, 'aria-label', tn(renewing ? 'inviteUndoRenews' : 'inviteUndoInvites', total, course));
    show(retry, said.retry);
    const m = p.makeRoom;
    show(panel, m !== null);
    setAttr(open, 'aria-expanded', m ? 'true' : 'false');
    if (!m) return;
    if (area.value !== m.text) area.value = m.text;
    setText(error, m.error ?? '');
    show(error, !!m.error);
    const plan = m.plan && m.plannedText === m.text ? m.plan : null;
    if (plan !== shownPlan) {
      shownPlan = plan;
      planBox.replaceChildren(...(plan ? planNodes(plan) : []));
    }
    const sendable = !!plan && !plan.problem && plan.toInvite.length > 0;
    show(planBtn, !sendable);
    setText(planBtn, t(m.busy ? 'invitePlanning' : 'inviteShowPlan'));
    setAttr(planBtn, 'aria-disabled', m.busy || m.text.trim() === '' ? 'true' : null);
    show(startBtn, sendable);
    if (plan) {
      const k = plan.toInvite.length;
      const r = plan.revokes.length;
      setText(startBtn, r ? tn('inviteGoRevoke', r, k, course) : tn('inviteGo', k, course));
    }
    setAttr(startBtn, 'aria-disabled', busy ? 'true' : null);
  }

  p.watch('bar', update);
  update();
  return host;
}
