/**
 * The portal's invite tables as its page script renders them (test/portal/assets/app.ts), and a
 * fake background answering the messages the in-page controls send.
 */
import type { ContentDeps, EventPort } from '../../../src/content/lib/deps';
import { rootOf } from '../../../src/content/lib/styles';
import { expiresAt } from '../../../src/shared/expiry';
import type { InvitePlan } from '../../../src/shared/invite-work';
import type { Reply, Request } from '../../../src/shared/messages';
import type { Send } from '../../../src/shared/send';
import type { CachedInvite, JobCounts, JobView } from '../../../src/shared/types';

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;

export interface Inv {
  id: string;
  learner: string;
  course: string;
  courseId?: string;
  learnerId?: string;
  sentAt: string;
  status: 'pending' | 'accepted';
}

export function cached(inv: Inv): CachedInvite {
  return {
    key: `${location.origin}#${inv.id}`,
    origin: location.origin,
    id: inv.id,
    courseId: inv.courseId ?? 'c-1',
    courseTitle: inv.course,
    learnerId: inv.learnerId ?? 'l-1',
    learnerName: inv.learner,
    learnerEmail: `${inv.learner.toLowerCase().replace(/\W+/g, '.')}@example.test`,
    sentAt: inv.sentAt,
    expiresAt: expiresAt(inv.sentAt),
    status: inv.status,
    progress: inv.status === 'accepted' ? 40 : null,
    fetchedAt: Date.now(),
  };
}

function el(tag: string, attrs: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A Usage row: learner, invited, status, progress, the portal's own Cancel. */
export function usageRow(inv: Inv): HTMLElement {
  const cancel = el('button', { type: 'button', class: 'cancel' }, 'Cancel');
  if (inv.status === 'accepted') cancel.setAttribute('disabled', '');
  return el(
    'tr',
    { 'data-invite-id': inv.id },
    el('td', { 'data-col': 'learner' }, el('a', { href: '#' }, inv.learner)),
    el('td', { 'data-col': 'sent' }, el('time', { datetime: inv.sentAt }, '1 Nov 2026')),
    el('td', { 'data-col': 'status' }, el('span', { class: 'badge' }, inv.status)),
    el('td', { 'data-col': 'progress' }, '—'),
    el('td', { 'data-col': 'actions', class: 'actions' }, cancel),
  );
}

/** An Invite History row: course, sent, status, the portal's three-dots menu. */
export function historyRow(inv: Inv): HTMLElement {
  return el(
    'tr',
    { 'data-invite-id': inv.id },
    el('td', { 'data-col': 'course' }, el('a', { href: '#' }, inv.course)),
    el('td', { 'data-col': 'sent' }, el('time', { datetime: inv.sentAt }, '1 Nov 2026')),
    el('td', { 'data-col': 'status' }, el('span', { class: 'badge' }, inv.status)),
    el('td', { 'data-col': 'actions', class: 'actions' }, el('button', { type: 'button' }, '⋮')),
  );
}

/** The page shell: a panel holding the (empty) table, as the server sends it. */
export function shell(table: 'usage' | 'invite-history', hooked = true): HTMLTableElement {
  document.body.replaceChildren();
  const t = el(
    'table',
    hooked ? { 'data-table': table, class: 'grid' } : { class: 'grid' },
  ) as HTMLTableElement;
  t.append(el('thead', {}, el('tr', {}, el('th', {}, 'A'), el('th', {}, 'B'))), el('tbody', {}));
  document.body.append(el('section', { 'data-panel': table }, t));
  return t;
}

/** Replaces the rows wholesale, as the portal's render does. */
export function render(table: HTMLTableElement, rows: HTMLElement[]): void {
  table.tBodies[0]?.replaceChildren(...rows);
}

export function hosts(root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('reclaim-row')];
}

export function rowOf(id: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`tr[data-invite-id="${id}"]`);
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

/** The control inside a row: its button and note as a user sees them. */
export function control(id: string): {
  button: HTMLButtonElement;
  note: string;
  visibleButton: boolean;
  host: HTMLElement;
} {
  const list = hosts(rowOf(id));
  if (list.length !== 1) throw new Error(`row ${id} has ${list.length} controls`);
  const host = list[0] as HTMLElement;
  const root = rootOf(host);
  const button = root?.querySelector('button');
  const note = root?.querySelector<HTMLElement>('.note');
  if (!button || !note) throw new Error('control without button or note');
  return { button, note: note.hidden ? '' : (note.textContent ?? ''), visibleButton: !button.hidden, host };
}

export function bar(): {
  main: HTMLButtonElement;
  msg: string;
  refresh: HTMLButtonElement;
  progress: HTMLProgressElement;
} {
  const host = document.querySelector('reclaim-bar');
  const root = host ? rootOf(host) : null;
  const main = root?.querySelector<HTMLButtonElement>('button.primary, button.undo');
  const refresh = root?.querySelectorAll<HTMLButtonElement>('button')[1];
  const msg = root?.querySelector('.msg')?.textContent ?? '';
  const progress = root?.querySelector('progress');
  if (!main || !refresh || !progress) throw new Error('no bar');
  return { main, msg, refresh, progress };
}

/** A click the fake `isTrusted` accepts, as a person's click would be (happy-dom has no isTrusted). */
const userEvents = new WeakSet<Event>();
export function userClick(target: Element): void {
  const event = new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, detail: 1 });
  userEvents.add(event);
  target.dispatchEvent(event);
}

/** A key press the fake `isTrusted` accepts, as a person's would be. */
export function userKey(target: Element, key: string): void {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
  userEvents.add(event);
  target.dispatchEvent(event);
}

export function jobView(
  id: number,
  state: JobView['job']['state'],
  counts: Partial<JobCounts>,
  startAt: number,
  failures: JobView['failures'] = [],
): JobView {
  return {
    job: {
      id,
      origin: location.origin,
      scope: { kind: 'invites', inviteIds: ['x'] },
      state,
      surface: 'usage',
      createdAt: startAt - 5000,
      startAt,
      finishedAt: state === 'done' ? Date.now() : null,
      concurrency: 6,
      message: null,
    },
    counts: {
      total: 1,
      queued: 0,
      inFlight: 0,
      revoked: 0,
      alreadyGone: 0,
      keptAccepted: 0,
      skipped: 0,
      failed: 0,
      invited: 0,
      alreadyInvited: 0,
      notInvited: 0,
      ...counts,
    },
    seatsReturnedByCourse: [],
    failures,
  };
}

class FakePort implements EventPort {
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  connected = true;
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  disconnect(): void {
    this.connected = false;
  }
  deliver(message: unknown): void {
    if (this.connected) for (const l of this.messageListeners) l(message);
  }
  /** The background went away (service worker stopped). */
  drop(): void {
    this.connected = false;
    for (const l of this.disconnectListeners) l();
  }
}

/** A background that answers like the real one, with the invites given, and records every request. */
export function fakeBackground(
  invites: Inv[],
  opts: {
    portalOffset?: number;
    undoMs?: number;
    renewDays?: number;
    plan?: (text: string) => InvitePlan;
  } = {},
) {
  const calls: Request[] = [];
  const ports: FakePort[] = [];
  const jobs = new Map<number, JobView>();
  let nextJob = 1;
  let data = invites.map(cached);
  const undoMs = opts.undoMs ?? 5000;
  const ok = <T>(value: T) => ({ ok: true as const, value });

  const answer = (req: Request): unknown => {
    switch (req.type) {
      case 'invites.get': {
        const t = req.target;
        const list = data.filter((i) =>
          t.kind === 'course' ? i.courseId === t.courseId : i.learnerId === t.learnerId,
        );
        return ok({
          invites: list,
          fetchedAt: Date.now(),
          portalNow: Date.now() + (opts.portalOffset ?? 0),
          error: null,
        });
      }
      case 'job.start': {
        const s = req.scope;
        const total =
          s.kind === 'invites'
            ? s.inviteIds.length
            : data.filter(
                (i) => i.status === 'pending' && (s.kind === 'course' ? i.courseId === s.courseId : true),
              ).length;
        const view = jobView(nextJob++, 'waiting', { total, queued: total }, Date.now() + undoMs);
        view.job.scope = s;
        jobs.set(view.job.id, view);
        return ok(view);
      }
      case 'job.undo': {
        const view = jobs.get(req.jobId);
        if (view?.job.state !== 'waiting')
          return { ok: false, error: { kind: 'bad-request', message: 'Too late' } };
        const undone = { ...view, job: { ...view.job, state: 'undone' as const } };
        undone.counts = { ...view.counts, queued: 0, skipped: view.counts.total };
        jobs.set(req.jobId, undone);
        return ok(undone);
      }
      case 'settings.get':
        // What the router tells a page: its Undo and renew windows only.
        return ok({ undoSeconds: 5, renewDays: opts.renewDays ?? 3 });
      case 'invite.start': {
        const w = req.work;
        const total = w.kind === 'reassign' ? w.pairs.length : w.kind === 'renew' ? w.inviteIds.length : 2;
        const reason = w.kind === 'reassign' ? 'reassign' : w.kind === 'make-room' ? 'make-room' : 'renew';
        const view = jobView(nextJob++, 'waiting', { total, queued: total }, Date.now() + undoMs);
        view.job.reason = reason;
        jobs.set(view.job.id, view);
        return ok(view);
      }
      case 'invite.plan':
        return opts.plan
          ? ok(opts.plan(req.text))
          : { ok: false, error: { kind: 'refused', message: 'no plan' } };
      case 'learners.suggest':
        return ok({
          learners: data
            .filter((i) => `${i.learnerName} ${i.learnerEmail}`.toLowerCase().includes(req.q.toLowerCase()))
            .map((i) => ({ name: i.learnerName, email: i.learnerEmail })),
        });
      case 'job.get':
        return jobs.has(req.jobId)
          ? ok(jobs.get(req.jobId))
          : { ok: false, error: { kind: 'bad-request', message: 'no job' } };
      default:
        return { ok: false, error: { kind: 'refused', message: `not for content scripts: ${req.type}` } };
    }
  };

  const send = (async (req: Request) => {
    calls.push(req);
    return answer(req) as Reply<typeof req.type>;
  }) as Send;

  const reloads: number[] = [];
  const gate = { blind: false };
  const deps: ContentDeps = {
    send,
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    isTrusted: (event) => userEvents.has(event),
    // The gate needs layout, which happy-dom has not: it sees what a user clicks unless a test says not.
    gate: { watch: () => {}, sees: (event) => userEvents.has(event) && !gate.blind },
    reload: () => void reloads.push(Date.now()),
  };

  return {
    deps,
    /** Set `blind` to make the gate turn every click down (the button was not seen). */
    gate,
    calls,
    ports,
    reloads,
    jobs,
    /** Calls of one type. */
    sent<T extends Request['type']>(type: T): Extract<Request, { type: T }>[] {
      return calls.filter((c): c is Extract<Request, { type: T }> => c.type === type);
    },
    /** Pushes a job's new state to every open port, as the background's events port does. */
    push(view: JobView): void {
      jobs.set(view.job.id, view);
      for (const p of ports) p.deliver({ type: 'job', view });
    },
    /** Changes the background's cache (e.g. after a revoke). */
    setInvites(next: Inv[]): void {
      data = next.map(cached);
    },
  };
}

/** Lets the fake background's promises and the observer's microtasks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
