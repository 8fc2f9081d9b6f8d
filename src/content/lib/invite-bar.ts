/**
 * A course's Usage tab: "Renew expiring (N)" and "Invite and make room" (a paste, its plan before
 * anything is sent, then the job with Undo, live progress and a report per address). Long lists
 * show their first entries and how many more, so a plan of thousands renders at once.
 */
import type { InvitePlan } from '../../shared/invite-work';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { h, setAttr, setText, show } from './h';
import { type PageJob, pageInvites } from './invite-jobs';
import { makeInviteHost } from './invite-styles';
import type { Scheme } from './styles';

/** How many entries of a list the bar shows. */
const SHOWN = 5;

function some(title: string, items: readonly string[]): HTMLElement | null {
  if (items.length === 0) return null;
  const lis = items.slice(0, SHOWN).map((x) => h('li', {}, x));
  if (items.length > SHOWN) lis.push(h('li', {}, `and ${items.length - SHOWN} more`));
  return h('div', {}, h('span', {}, title), h('ul', {}, ...lis));
}

function planNodes(plan: InvitePlan): HTMLElement[] {
  const head = plan.problem
    ? h('p', { class: 'info bad', role: 'alert' }, plan.problem)
    : h(
        'p',
        { class: 'info' },
        `${plan.toInvite.length + plan.unseated.length} new: ${plan.free} into free seats, ${plan.revokes.length} by revoking the oldest pending invites${plan.unseated.length ? `, ${plan.unseated.length} left without a seat` : ''}.`,
      );
  const parts = [
    head,
    some(
      'Revoked to make room:',
      plan.revokes.map((r) => `${r.learnerName} (${r.learnerEmail}) → ${r.for}`),
    ),
    some('Without a seat (not sent):', plan.unseated),
    some(
      'Already invited (not sent):',
      plan.holding.map((x) => `${x.email} (${x.status})`),
    ),
    some(
      'Not addresses (never sent):',
      plan.malformed.map((m) => `${m.text}: ${m.reason}`),
    ),
    some(
      'Given more than once (invited once):',
      plan.repeated.map((r) => `${r.email} ×${r.times}`),
    ),
  ];
  return parts.filter((x): x is HTMLElement => x !== null);
}

/** A bulk job's state in words, with whether Undo or Retry failed applies. */
function jobText(job: PageJob): { text: string; undo: number; retry: boolean } {
  const v = job.view;
  if (job.phase === 'starting') return { text: 'Starting…', undo: 0, retry: false };
  if (job.phase === 'error')
    return { text: `Could not start: ${job.message ?? 'unknown error'}`, undo: 0, retry: false };
  if (!v) return { text: '', undo: 0, retry: false };
  const c = v.counts;
  const what = v.job.reason === 'renew' ? 'Renewing' : 'Inviting';
  if (job.phase === 'waiting') {
    const left = Math.max(0, Math.ceil((v.job.startAt - Date.now()) / 1000));
    return { text: `${what} ${c.total} in ${left} s`, undo: left, retry: false };
  }
  if (job.phase === 'running') {
    const done = c.total - c.queued - c.inFlight;
    return {
      text: `${what}… ${done} of ${c.total} done, ${c.invited} invited${job.message ? ` (${job.message})` : ''}`,
      undo: 0,
      retry: false,
    };
  }
  if (job.phase === 'undone') return { text: 'Undone: nothing was sent.', undo: 0, retry: false };
  const left = (v.lines ?? []).filter((l) => l.seatLeftFree);
  const parts = [`Done: ${c.invited} invited`];
  if (c.alreadyInvited) parts.push(`${c.alreadyInvited} already invited`);
  if (c.notInvited + c.keptAccepted + c.alreadyGone)
    parts.push(`${c.notInvited + c.keptAccepted + c.alreadyGone} not invited`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (left.length)
    parts.push(
      `${left.length} seats left free: ${left
        .slice(0, 3)
        .map((l) => `${l.email} (${l.seatLeftFree})`)
        .join('; ')}`,
    );
  return { text: `${parts.join(', ')}.`, undo: 0, retry: c.failed > 0 };
}

export function createInviteBar(ctl: Controller, deps: ContentDeps, scheme: Scheme): HTMLElement {
  const p = pageInvites(ctl, deps);
  const { host, root } = makeInviteHost('invite-bar', scheme);
  const renew = h('button', { type: 'button' });
  const open = h('button', { type: 'button' }, 'Invite and make room');
  const undo = h('button', { type: 'button' });
  const retry = h('button', { type: 'button' }, 'Retry failed');
  const msg = h('span', { class: 'info', role: 'status', 'aria-live': 'polite' });
  const area = h('textarea', {
    'aria-label': 'E-mail addresses, one per line or separated by commas or semicolons',
    placeholder: 'Jane Doe <jane@example.com>, bo@example.com; …',
  });
  const planBox = h('div', { class: 'plan' });
  const planBtn = h('button', { type: 'button', class: 'main' }, 'Show the plan');
  const startBtn = h('button', { type: 'button', class: 'main' });
  const close = h('button', { type: 'button' }, 'Cancel');
  const error = h('p', { class: 'info bad', role: 'alert' });
  const panel = h(
    'div',
    { class: 'panel', hidden: '' },
    area,
    error,
    planBox,
    h('div', { class: 'row' }, planBtn, startBtn, close),
    h(
      'p',
      { class: 'info' },
      'Nothing is sent before you start, and you can still undo for a few seconds after.',
    ),
  );
  root.append(h('div', { class: 'row' }, renew, open, undo, retry, msg), panel);
  let shownPlan: InvitePlan | null = null;

  const user = (e: Event) => deps.isTrusted(e) && (e as MouseEvent).detail <= 1;
  renew.addEventListener('click', (e) => {
    if (user(e) && renew.getAttribute('aria-disabled') !== 'true') void p.renewExpiring();
  });
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
    if (user(e) && planBtn.getAttribute('aria-disabled') !== 'true') void p.plan();
  });
  startBtn.addEventListener('click', (e) => {
    if (user(e)) void p.startPlan();
  });
  undo.addEventListener('click', (e) => {
    if (user(e)) void p.undo(p.bulk);
  });
  retry.addEventListener('click', (e) => {
    if (user(e)) void p.retryFailed(p.bulk);
  });

  function update(): void {
    const ids = p.expiring();
    const job = p.bulk;
    const busy = job?.phase === 'starting' || job?.phase === 'waiting' || job?.phase === 'running';
    setText(renew, `Renew expiring (${ids === null ? '…' : ids.length})`);
    setAttr(renew, 'title', `Invite again every pending invite that expires within ${p.renewDays} days`);
    setAttr(renew, 'aria-disabled', busy || !ids?.length ? 'true' : null);
    const t = job ? jobText(job) : { text: '', undo: 0, retry: false };
    setText(msg, t.text);
    show(undo, t.undo > 0);
    setText(undo, `Undo (${t.undo})`);
    show(retry, t.retry);
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
    setText(planBtn, m.busy ? 'Planning…' : 'Show the plan');
    setAttr(planBtn, 'aria-disabled', m.busy || m.text.trim() === '' ? 'true' : null);
    show(startBtn, sendable);
    if (plan)
      setText(
        startBtn,
        `Invite ${plan.toInvite.length}${plan.revokes.length ? ` and revoke ${plan.revokes.length}` : ''}`,
      );
    setAttr(startBtn, 'aria-disabled', busy ? 'true' : null);
  }

  p.watch('bar', update);
  update();
  return host;
}
