/**
 * The portal's invite tables as its page script renders them (test/portal/assets/app.ts), and a
 * fake background answering the messages the in-page controls send.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { ContentDeps, EventPort } from '../../../src/content/lib/deps';
import { rootOf } from '../../../src/content/lib/styles';
import { expiresAt } from '../../../src/shared/expiry';
import type { InvitePlan } from '../../../src/shared/invite-work';
import type { Reply, Request } from '../../../src/shared/messages';
import type { Send } from '../../../src/shared/send';
import type { CachedInvite, InviteLine, JobCounts, JobView } from '../../../src/shared/types';

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

/**
 * Every test of the calling file on a course's Usage tab at `now` (fake timers), with an abort
 * for the features it starts (`page.run`, new for each test), aborted and cleared after it.
 */
export function onUsageTab(now: number): { run: AbortController } {
  const page = { run: new AbortController() };
  beforeEach(() => {
    vi.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    history.pushState(null, '', '/manager/licenses/c-1/distribute?tab=usage');
    page.run = new AbortController();
  });
  afterEach(() => {
    page.run.abort();
    vi.useRealTimers();
    vi.restoreAllMocks();
    document.body.replaceChildren();
  });
  return page;
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

/** The control inside a row: its buttons, note and the status cell's word, as a user sees them. */
export function control(id: string): {
  /** Revoke (or Retry). */
  button: HTMLButtonElement;
  undo: HTMLButtonElement;
  note: string;
  visibleButton: boolean;
  visibleUndo: boolean;
  /** The buttons a user can see (and Tab to) in the row's control. */
  shownButtons: HTMLButtonElement[];
  /** Reclaim's word in the status cell, or null. */
  status: string | null;
  host: HTMLElement;
} {
  const row = rowOf(id);
  const list = hosts(row);
  if (list.length !== 1) throw new Error(`row ${id} has ${list.length} controls`);
  const host = list[0] as HTMLElement;
  const root = rootOf(host);
  const button = root?.querySelector<HTMLButtonElement>('button.act');
  const undo = root?.querySelector<HTMLButtonElement>('button.undo');
  const note = root?.querySelector<HTMLElement>('.note');
  if (!button || !undo || !note) throw new Error('control without buttons or note');
  const word = row.querySelector('reclaim-status');
  return {
    button,
    undo,
    note: note.hidden ? '' : (note.textContent ?? ''),
    visibleButton: !button.hidden,
    visibleUndo: !undo.hidden,
    shownButtons: [...(root?.querySelectorAll<HTMLButtonElement>('button') ?? [])].filter((b) => !b.hidden),
    status: word ? (rootOf(word)?.textContent ?? '') : null,
    host,
  };
}

export function bar(): {
  /** The destructive button, and whether it shows. */
  main: HTMLButtonElement;
  mainShown: boolean;
  undo: HTMLButtonElement;
  undoShown: boolean;
  msg: string;
  seats: string;
  /** The one live region's text now. */
  live: string;
  progress: HTMLProgressElement;
  root: ShadowRoot;
} {
  const host = document.querySelector('reclaim-bar');
  const root = host ? rootOf(host) : null;
  const main = root?.querySelector<HTMLButtonElement>('button.primary');
  const undo = root?.querySelector<HTMLButtonElement>('button.undo');
  const shown = (el: Element | null | undefined) =>
    el && !(el as HTMLElement).hidden ? (el.textContent ?? '') : '';
  const progress = root?.querySelector('progress');
  if (!root || !main || !undo || !progress) throw new Error('no bar');
  return {
    main,
    mainShown: !main.hidden,
    undo,
    undoShown: !undo.hidden,
    msg: shown(root.querySelector('.msg:not(.seats)')),
    seats: shown(root.querySelector('.seats')),
    live: root.querySelector('[aria-live]')?.textContent ?? '',
    progress,
    root,
  };
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

/** A job's line for one invite of Fire Safety: by default, revoked and its seat given to new@example.com. */
export const inviteLine = (over: Partial<InviteLine>): InviteLine => ({
  key: 'i-1',
  email: 'new@example.com',
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  outcome: 'invited',
  detail: null,
  newInviteId: 'i-90',
  revoked: { inviteId: 'i-1', learnerName: 'Jane Doe', learnerEmail: 'jane@x', outcome: 'revoked' },
  seatLeftFree: null,
  ...over,
});

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
    showPortalCancel?: boolean;
    /** The course's seats (a course page); read after each revoke from `seatsNow`. */
    seats?: { total: number; assigned: number; available: number };
    /** Hold every job.start's answer until `answerStarts()` (a slow background). */
    slowStart?: boolean;
    renewDays?: number;
    plan?: (text: string) => InvitePlan;
  } = {},
) {
  const calls: Request[] = [];
  let seatsNow = opts.seats ?? null;
  let seatsReadAt = Date.now();
  const heldStarts: (() => void)[] = [];
  let covering: unknown = null;
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
        if (req.refresh) seatsReadAt = Date.now();
        return ok({
          invites: list,
          fetchedAt: Date.now(),
          portalNow: Date.now() + (opts.portalOffset ?? 0),
          error: null,
          seats:
            t.kind === 'course' && seatsNow
              ? {
                  title: list[0]?.courseTitle ?? 'Course',
                  seats: seatsNow,
                  pending: list.filter((i) => i.status === 'pending').length,
                  readAt: seatsReadAt,
                }
              : null,
        });
      }
      case 'job.covering':
        return ok(covering);
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
        // What the router tells a page: its Undo and renew windows, and whether to show the portal's Cancel.
        return ok({
          undoSeconds: undoMs / 1000,
          renewDays: opts.renewDays ?? 3,
          showPortalCancel: opts.showPortalCancel ?? false,
        });
      case 'invite.start': {
        const w = req.work;
        const total = w.kind === 'reassign' ? w.pairs.length : w.kind === 'renew' ? w.invites.length : 2;
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
    if (req.type === 'job.start' && opts.slowStart) await new Promise<void>((go) => heldStarts.push(go));
    return answer(req) as Reply<typeof req.type>;
  }) as Send;

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
    gate: {
      watch: () => {},
      sees: (event) => userEvents.has(event) && !gate.blind,
      focusOn: (_event, control) => control.button.focus(),
      placeFocus: (c) => c.button.focus(),
    },
  };

  return {
    deps,
    /** Set `blind` to make the gate turn every click down (the button was not seen). */
    gate,
    calls,
    ports,
    /** Lets the held job.start answers go (with `slowStart`). */
    answerStarts(): void {
      for (const go of heldStarts.splice(0)) go();
    },
    /** The job `job.covering` answers with (a job started in the popup), or null. */
    setCovering(job: unknown): void {
      covering = job;
    },
    /** Sends an event on every open port, as the background's events port does. */
    deliver(message: unknown): void {
      for (const p of ports) p.deliver(message);
    },
    /** The course's seats from now on, as read from the portal. */
    setSeats(next: { total: number; assigned: number; available: number }): void {
      seatsNow = next;
    },
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
