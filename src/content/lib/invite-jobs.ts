/**
 * The page's jobs that invite: reassign and renew of one row's invite, and on a course's Usage
 * tab "Renew expiring (N)" and "Invite and make room" (its plan, then its job). One per page,
 * beside the page's Controller (whose notion of each row's invite it uses, never the row's
 * markup), on its own link to the background's events, opened only while it has a job.
 * Views subscribe and render from it.
 */
import { t, tn } from '../../shared/i18n';
import type { InvitePlan } from '../../shared/invite-work';
import { isActiveJob } from '../../shared/job-states';
import type { InviteLine, JobView } from '../../shared/types';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { EventLink } from './event-link';
import { isJobView, newerView } from './phases';

/** A job of this page as its views show it. */
export interface PageJob {
  phase: 'starting' | 'waiting' | 'running' | 'done' | 'undone' | 'error';
  view: JobView | null;
  /** Why it could not start, or a control failed. */
  message: string | null;
}

/** The Usage tab's "Invite and make room": the paste, its plan, and the job started from it. */
export interface MakeRoom {
  text: string;
  plan: InvitePlan | null;
  plannedText: string | null;
  busy: boolean;
  error: string | null;
}

type Listener = () => void;

const DAY = 86_400_000;

const pages = new WeakMap<Controller, PageInvites>();

/** The page's jobs that invite, made on first use and gone with the page's controller. */
export function pageInvites(ctl: Controller, deps: ContentDeps): PageInvites {
  let p = pages.get(ctl);
  if (!p) {
    p = new PageInvites(ctl, deps);
    pages.set(ctl, p);
  }
  return p;
}

export class PageInvites {
  /** Row jobs by the invite they act on. */
  private readonly rows = new Map<string, PageJob>();
  bulk: PageJob | null = null;
  makeRoom: MakeRoom | null = null;
  /** "Renew expiring (N)": the setting, once the background told it. */
  renewDays = 3;
  /** One listener per view key (a row's invite id, 'bar'): a view made again replaces its old one. */
  private readonly listeners = new Map<string, Listener>();
  private readonly link: EventLink;
  private tick: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ctl: Controller,
    private readonly deps: ContentDeps,
  ) {
    const signal = ctl.signal;
    this.link = new EventLink(
      deps.connect,
      {
        onMessage: (m) => this.onEvent(m),
        wantsLink: () => this.active(),
        reconnected: () => void this.refresh(),
      },
      signal,
    );
    ctl.subscribe(() => this.emit(), signal);
    signal.addEventListener('abort', () => {
      clearTimeout(this.tick);
      this.listeners.clear();
    });
    void deps.send({ type: 'settings.get' }).then((r) => {
      if (r.ok && !signal.aborted) {
        this.renewDays = r.value.renewDays;
        this.emit();
      }
    });
  }

  watch(key: string, listener: Listener): void {
    this.listeners.set(key, listener);
  }

  row(inviteId: string): PageJob | null {
    return this.rows.get(inviteId) ?? null;
  }

  /** This row's outcome line, once its job has finished. */
  line(inviteId: string): InviteLine | null {
    return this.rows.get(inviteId)?.view?.lines?.[0] ?? null;
  }

  /** Pending invites of this course that expire within the renew window (null until known). */
  expiring(): string[] | null {
    const ids = this.ctl.pendingIds();
    const now = this.ctl.portalNow();
    if (ids === null || now === null) return null;
    const cut = now + this.renewDays * DAY;
    return ids.filter((id) => (this.ctl.invite(id)?.expiresAt ?? Number.POSITIVE_INFINITY) <= cut);
  }

  // ---- actions (callers checked that a real user asked) ---------------------------------------

  async reassign(inviteId: string, email: string): Promise<void> {
    const inv = this.ctl.invite(inviteId);
    if (!inv || this.busy(this.rows.get(inviteId))) return;
    const work = { kind: 'reassign' as const, pairs: [{ courseId: inv.courseId, inviteId, email }] };
    await this.start((job) => this.setRow(inviteId, job), work);
  }

  async renew(inviteId: string): Promise<void> {
    const inv = this.ctl.invite(inviteId);
    if (!inv || this.busy(this.rows.get(inviteId))) return;
    await this.start((job) => this.setRow(inviteId, job), {
      kind: 'renew',
      invites: [{ courseId: inv.courseId, inviteId }],
    });
  }

  async renewExpiring(): Promise<void> {
    const t = this.ctl.target;
    if (t.kind !== 'course' || this.busy(this.bulk)) return;
    await this.start((job) => this.setBulk(job), {
      kind: 'renew-expiring',
      courseId: t.courseId,
      withinDays: this.renewDays,
    });
  }

  setPaste(text: string | null): void {
    this.makeRoom = text === null ? null : { ...(this.makeRoom ?? emptyMakeRoom()), text, error: null };
    this.emit();
  }

  async plan(): Promise<void> {
    const t = this.ctl.target;
    const m = this.makeRoom;
    if (t.kind !== 'course' || !m || m.busy) return;
    const text = m.text;
    this.makeRoom = { ...m, busy: true, error: null };
    this.emit();
    const r = await this.deps.send({ type: 'invite.plan', courseId: t.courseId, text, minAgeDays: 0 });
    if (this.ctl.signal.aborted || !this.makeRoom) return;
    this.makeRoom = r.ok
      ? { ...this.makeRoom, busy: false, plan: r.value, plannedText: text }
      : { ...this.makeRoom, busy: false, plan: null, error: r.error.message };
    this.emit();
  }

  async startPlan(): Promise<void> {
    const m = this.makeRoom;
    const plan = m?.plan;
    if (!m || !plan || plan.problem || m.plannedText !== m.text || this.busy(this.bulk)) return;
    const ok = await this.start((job) => this.setBulk(job), {
      kind: 'make-room',
      courseId: plan.courseId,
      emails: plan.addresses,
      revokeIds: plan.revokes.map((r) => r.inviteId),
      minAgeDays: plan.minAgeDays,
    });
    if (ok) this.makeRoom = null;
    else if (this.makeRoom)
      this.makeRoom = { ...this.makeRoom, plan: null, plannedText: null, error: this.bulk?.message ?? null };
    this.emit();
  }

  async undo(job: PageJob | null): Promise<void> {
    if (!job?.view || job.phase !== 'waiting') return;
    const r = await this.deps.send({ type: 'job.undo', jobId: job.view.job.id });
    if (r.ok) this.apply(r.value);
  }

  async retryFailed(job: PageJob | null): Promise<void> {
    if (!job?.view || job.phase !== 'done') return;
    this.link.open();
    const r = await this.deps.send({ type: 'job.retryFailed', jobId: job.view.job.id });
    if (r.ok) this.apply(r.value);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private busy(job: PageJob | null | undefined): boolean {
    return !!job && (job.phase === 'starting' || job.phase === 'waiting' || job.phase === 'running');
  }

  private active(): boolean {
    return [...this.rows.values(), this.bulk].some((j) => this.busy(j));
  }

  private async start(
    put: (job: PageJob) => void,
    work: Extract<Parameters<ContentDeps['send']>[0], { type: 'invite.start' }>['work'],
  ): Promise<boolean> {
    put({ phase: 'starting', view: null, message: null });
    this.link.open();
    const r = await this.deps.send({ type: 'invite.start', work });
    if (this.ctl.signal.aborted) return false;
    if (!r.ok) {
      put({ phase: 'error', view: null, message: r.error.message });
      return false;
    }
    put(phaseOf(r.value));
    return true;
  }

  private setRow(inviteId: string, job: PageJob): void {
    this.rows.set(inviteId, job);
    this.told(job);
    this.changed();
    this.ctl.emit([inviteId]); // the row's own control gives way while the row's job runs
  }

  /** The page's one live region: a job's window and its end, once each; a bulk job's milestones. */
  private told(job: PageJob): void {
    const v = job.view;
    if (!v) return;
    const key = `job:${v.job.id}`;
    const r = v.job.reason;
    const c = v.counts;
    if (job.phase === 'waiting') {
      const secs = Math.max(1, Math.ceil((v.job.startAt - Date.now()) / 1000));
      const what =
        r === 'renew' ? 'inviteSayRenew' : r === 'reassign' ? 'inviteSayReassign' : 'inviteSayInvite';
      this.ctl.say.once(`${key}:start`, tn(what, c.total, secs));
    } else if (job.phase === 'running') {
      const done = c.total - c.queued - c.inFlight;
      this.ctl.say.milestone(key, done, c.total, (pct) => t('inviteSayPct', pct, done, c.total));
    } else if (job.phase === 'undone') this.ctl.say.once(`${key}:end`, t('inviteUndone'));
    else if (job.phase === 'done') {
      const failed = c.failed ? [tn('inviteFailedN', c.failed)] : [];
      this.ctl.say.once(`${key}:end`, `${[tn('inviteDoneN', c.invited), ...failed].join(', ')}.`);
    }
  }

  private setBulk(job: PageJob): void {
    this.bulk = job;
    this.told(job);
    this.changed();
  }

  private onEvent(message: unknown): void {
    if (!message || typeof message !== 'object' || !('type' in message)) return;
    if (message.type === 'job' && 'view' in message && isJobView(message.view)) this.apply(message.view);
  }

  /** A newer view of one of this page's jobs. */
  private apply(view: JobView): void {
    const id = view.job.id;
    const take = (job: PageJob | null) =>
      job?.view?.job.id === id ? phaseOf(newerView(job.view, view)) : null;
    const bulk = take(this.bulk);
    if (bulk) this.setBulk(bulk);
    for (const [inviteId, job] of this.rows) {
      const next = take(job);
      if (next) this.setRow(inviteId, next);
    }
  }

  /** After a reconnect: views may have been missed. */
  private async refresh(): Promise<void> {
    const jobs = [...this.rows.values(), this.bulk].filter((j) => this.busy(j));
    for (const j of jobs) {
      const id = j?.view?.job.id;
      if (id === undefined) continue;
      const r = await this.deps.send({ type: 'job.get', jobId: id });
      if (r.ok && !this.ctl.signal.aborted) this.apply(r.value);
    }
  }

  /** A change: views render, and while a job waits in its Undo window they render each second. */
  private changed(): void {
    this.emit();
    clearTimeout(this.tick);
    const waiting = [...this.rows.values(), this.bulk].some((j) => j?.phase === 'waiting');
    if (waiting && !this.ctl.signal.aborted) this.tick = setTimeout(() => this.changed(), 1000);
  }

  private emit(): void {
    for (const l of this.listeners.values()) l();
  }
}

const emptyMakeRoom = (): MakeRoom => ({ text: '', plan: null, plannedText: null, busy: false, error: null });

function phaseOf(view: JobView): PageJob {
  const s = view.job.state;
  if (s === 'waiting') return { phase: 'waiting', view, message: null };
  if (isActiveJob(s)) return { phase: 'running', view, message: view.job.message };
  if (s === 'undone') return { phase: 'undone', view, message: null };
  return { phase: 'done', view, message: view.job.message };
}
