/**
 * State of one page's invites (one learner or one course), kept by invite id so it survives the
 * portal re-rendering its rows, changing Usage pages or switching tabs. Talks to the background
 * only: cached invites and the portal clock (`invites.get`), revoke jobs (`job.*`) and their
 * progress on the events port. Views subscribe and render from it.
 */
import { isPendingAt } from '../../shared/expiry';
import { isActiveJob } from '../../shared/job-states';
import type { PortalPage } from '../../shared/portal-page';
import type { CachedInvite, JobView } from '../../shared/types';
import type { ContentDeps } from './deps';
import { EventLink } from './event-link';
import {
  ACTIVE_ROW,
  type BulkState,
  bulkRowPhase,
  checkedPhase,
  describe,
  FINAL_ROW,
  isJobView,
  newerView,
  type RowPhase,
  rowJobPhase,
  summary,
} from './phases';

type Listener = (ids: readonly string[] | null) => void;

/** Rows still "checking" this long after Revoke all ended fall back to what the row says. */
const CHECKING_LIMIT_MS = 15_000;

export class Controller {
  private invites = new Map<string, CachedInvite>();
  private fetchedAt: number | null = null;
  private loaded = false;
  private loadSeq = 0;
  private offset: number | null = null;
  private error: string | null = null;
  private rows = new Map<string, RowPhase>();
  private rowJobs = new Map<number, string>();
  /** Job views that arrived before the reply that told us the job is ours. */
  private early = new Map<number, JobView>();
  private bulkState: BulkState = { phase: 'idle', view: null, ids: new Set(), message: null };
  private listeners = new Set<Listener>();
  private announcers = new Set<(text: string) => void>();
  private readonly link: EventLink;
  private checkingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly target: PortalPage,
    private readonly deps: ContentDeps,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      clearTimeout(this.checkingTimer);
      this.listeners.clear();
      this.announcers.clear();
    });
    this.link = new EventLink(
      deps.connect,
      {
        onMessage: (message) => this.onEvent(message),
        wantsLink: () => this.hasActiveJob(),
        reconnected: () => void this.refreshJobs(),
      },
      signal,
    );
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState !== 'visible') return;
        this.link.open();
        void this.load(false);
      },
      { signal },
    );
    this.link.open();
    void this.load(true);
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The portal's clock (ms), or null until the background told it. */
  portalNow(): number | null {
    return this.offset === null ? null : Date.now() + this.offset;
  }

  invite(id: string): CachedInvite | undefined {
    return this.invites.get(id);
  }

  /** The page's invites as the background last told them (null until it has). */
  allInvites(): Iterable<CachedInvite> | null {
    return this.loaded ? this.invites.values() : null;
  }

  get loadError(): string | null {
    return this.error;
  }

  get bulk(): BulkState {
    return this.bulkState;
  }

  /** Pending, unexpired invites of this learner/course across all pages; null until known. */
  pendingIds(): string[] | null {
    if (!this.loaded) return null;
    const now = this.portalNow() ?? Date.now();
    const ids: string[] = [];
    for (const inv of this.invites.values()) {
      if (!isPendingAt(inv.status, inv.expiresAt, now)) continue;
      if (FINAL_ROW.has(this.rows.get(inv.id)?.kind ?? 'idle')) continue;
      ids.push(inv.id);
    }
    return ids;
  }

  phase(id: string): RowPhase {
    const own = this.rows.get(id);
    if (own && ACTIVE_ROW.has(own.kind)) return own;
    const b = this.bulkState;
    if (b.ids.has(id)) {
      if (b.phase === 'starting' || b.phase === 'waiting') return { kind: 'queued' };
      if (b.phase === 'running') return { kind: 'running', note: b.view?.job.message ?? null };
    }
    return own ?? { kind: 'idle' };
  }

  subscribe(listener: Listener, signal: AbortSignal): void {
    this.listeners.add(listener);
    signal.addEventListener('abort', () => this.listeners.delete(listener));
  }

  onAnnounce(announce: (text: string) => void, signal: AbortSignal): void {
    this.announcers.add(announce);
    signal.addEventListener('abort', () => this.announcers.delete(announce));
  }

  // ---- actions (callers have checked that a real user asked) ----------------------------------

  async revoke(id: string, label: string): Promise<void> {
    const current = this.phase(id).kind;
    if (current !== 'idle' && current !== 'failed') return;
    this.setRow(id, { kind: 'starting' });
    this.link.open();
    const reply = await this.deps.send({ type: 'job.start', scope: { kind: 'invites', inviteIds: [id] } });
    if (this.signal.aborted) return;
    if (!reply.ok) {
      this.setRow(id, { kind: 'failed', reason: reply.error.message });
      this.announce(`Could not revoke ${label}: ${reply.error.message}`);
      return;
    }
    this.rowJobs.set(reply.value.job.id, id);
    this.applyJob(this.takeEarly(reply.value));
    if (this.phase(id).kind === 'waiting')
      this.announce(`Revoking ${label} in a few seconds. Undo is available.`);
  }

  /** A click on a revoke control that the gate turned down: said, nothing sent. */
  refused(label: string): void {
    this.announce(
      `Nothing revoked for ${label}: Reclaim only acts on a button that has been in plain view for a moment. Try again.`,
    );
  }

  async undo(id: string, label: string): Promise<void> {
    const jobId = this.jobOf(id);
    if (jobId === null) return;
    const reply = await this.deps.send({ type: 'job.undo', jobId });
    if (this.signal.aborted) return;
    if (reply.ok) this.applyJob(reply.value);
    this.announce(
      reply.ok && reply.value.job.state === 'undone'
        ? `Undone: ${label} stays invited.`
        : 'Too late to undo.',
    );
  }

  async revokeAll(): Promise<void> {
    if (this.bulkActive()) return;
    const ids = this.pendingIds();
    if (!ids?.length) return;
    this.setBulk({ phase: 'starting', view: null, ids: new Set(ids), message: null }, ids);
    this.link.open();
    const reply = await this.deps.send({ type: 'job.start', scope: this.target });
    if (this.signal.aborted) return;
    if (!reply.ok) {
      this.setBulk({ phase: 'error', view: null, ids: new Set(), message: reply.error.message }, ids);
      return;
    }
    this.applyBulkJob(this.takeEarly(reply.value));
  }

  async undoAll(): Promise<void> {
    const view = this.bulkState.view;
    if (!view || this.bulkState.phase !== 'waiting') return;
    const reply = await this.deps.send({ type: 'job.undo', jobId: view.job.id });
    if (this.signal.aborted) return;
    if (reply.ok) this.applyBulkJob(reply.value);
    else this.announce('Too late to undo.');
  }

  // ---- background events ---------------------------------------------------------------------

  private bulkActive(): boolean {
    const b = this.bulkState.phase;
    return b === 'starting' || b === 'waiting' || b === 'running';
  }

  private hasActiveJob(): boolean {
    return this.rowJobs.size > 0 || this.bulkActive();
  }

  /** After a reconnect: events may have been missed, ask for each active job once. */
  private async refreshJobs(): Promise<void> {
    const ids = [...this.rowJobs.keys()];
    const bulk = this.bulkState.view?.job.id;
    if (bulk !== undefined && this.bulkActive()) ids.push(bulk);
    for (const jobId of ids) {
      const reply = await this.deps.send({ type: 'job.get', jobId });
      if (this.signal.aborted) return;
      if (reply.ok) this.applyJob(reply.value);
    }
  }

  private onEvent(message: unknown): void {
    if (!message || typeof message !== 'object' || !('type' in message)) return;
    if (message.type === 'job' && 'view' in message && isJobView(message.view)) {
      const view = message.view;
      if (this.isOurs(view.job.id)) this.applyJob(view);
      else this.keepEarly(view);
    } else if (message.type === 'invites-changed' && this.concerns(message)) {
      void this.load(false);
    }
  }

  private concerns(message: object): boolean {
    if ('origin' in message && message.origin !== location.origin) return false;
    const t = this.target;
    const list = t.kind === 'course' ? 'courseIds' : 'learnerIds';
    const id = t.kind === 'course' ? t.courseId : t.learnerId;
    const ids = list in message ? (message as Record<string, unknown>)[list] : null;
    return Array.isArray(ids) && ids.includes(id);
  }

  private isOurs(jobId: number): boolean {
    return this.rowJobs.has(jobId) || this.bulkState.view?.job.id === jobId;
  }

  private keepEarly(view: JobView): void {
    this.early.set(view.job.id, view);
    if (this.early.size > 20) this.early.delete(this.early.keys().next().value as number);
  }

  /** The newer of a job's start reply and an event that overtook it. */
  private takeEarly(view: JobView): JobView {
    const early = this.early.get(view.job.id);
    this.early.delete(view.job.id);
    return early ? newerView(view, early) : view;
  }

  private jobOf(id: string): number | null {
    for (const [jobId, inviteId] of this.rowJobs) if (inviteId === id) return jobId;
    return null;
  }

  private applyJob(view: JobView): void {
    const inviteId = this.rowJobs.get(view.job.id);
    if (inviteId !== undefined) this.applyRowJob(inviteId, view);
    else if (this.bulkState.view?.job.id === view.job.id) this.applyBulkJob(view);
  }

  private applyRowJob(id: string, view: JobView): void {
    const phase = rowJobPhase(view);
    if (isActiveJob(view.job.state)) {
      this.setRow(id, phase);
      return;
    }
    this.rowJobs.delete(view.job.id);
    this.setRow(id, phase);
    if (phase.kind !== 'idle') this.announce(`${describe(phase)}.`);
    if (phase.kind !== 'failed') void this.load(false);
  }

  private applyBulkJob(view: JobView): void {
    const prev = this.bulkState;
    const { job, counts } = view;
    const ids = [...prev.ids];
    if (isActiveJob(job.state)) {
      const phase = job.state === 'waiting' ? 'waiting' : 'running';
      const changedRows = prev.phase !== phase;
      this.setBulk({ phase, view, ids: prev.ids, message: job.message }, changedRows ? ids : []);
      if (phase === 'waiting' && prev.phase !== 'waiting')
        this.announce(`Revoking ${counts.total} pending invites in a few seconds. Undo is available.`);
      return;
    }
    if (job.state === 'undone') {
      this.setBulk({ phase: 'undone', view, ids: new Set(), message: null }, ids);
      this.announce('Undone: nothing was revoked.');
      return;
    }
    // done, or stopped from elsewhere: each row gets its outcome.
    const failed = new Map(view.failures.map((f) => [f.inviteId, f.error]));
    for (const id of ids) {
      const own = this.rows.get(id)?.kind;
      if (own && (FINAL_ROW.has(own) || ACTIVE_ROW.has(own))) continue;
      this.rows.set(id, bulkRowPhase(view, failed, id));
    }
    this.setBulk({ phase: 'done', view, ids: new Set(), message: job.message }, ids);
    this.announce(summary(view));
    clearTimeout(this.checkingTimer);
    this.checkingTimer = setTimeout(() => this.settleChecking(true), CHECKING_LIMIT_MS);
    void this.load(true);
  }

  /** Rows waiting on fresh invites after Revoke all: decide from the cache. */
  private settleChecking(force: boolean): void {
    const view = this.bulkState.view;
    if (!view) return;
    const fresh = force || (this.fetchedAt !== null && this.fetchedAt >= (view.job.finishedAt ?? 0));
    const changed: string[] = [];
    for (const [id, phase] of this.rows) {
      if (phase.kind !== 'checking') continue;
      const next = checkedPhase(this.invites.get(id), view, fresh);
      if (next) {
        this.rows.set(id, next);
        changed.push(id);
      }
    }
    if (changed.length) this.emit(changed);
  }

  // ---- invites -------------------------------------------------------------------------------

  private async load(refresh: boolean): Promise<void> {
    const seq = ++this.loadSeq;
    const reply = await this.deps.send({ type: 'invites.get', target: this.target, refresh });
    if (this.signal.aborted || seq !== this.loadSeq) return;
    if (!reply.ok) {
      this.error = reply.error.message;
      this.offset ??= 0; // no portal clock: the countdowns use this computer's
    } else {
      const v = reply.value;
      this.offset = v.portalNow - Date.now();
      this.invites = new Map(v.invites.map((inv) => [inv.id, inv]));
      this.fetchedAt = v.fetchedAt;
      this.loaded = v.fetchedAt !== null || v.invites.length > 0;
      this.error = v.error?.message ?? null;
      this.settleChecking(false);
    }
    this.emit(null);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private setRow(id: string, phase: RowPhase): void {
    this.rows.set(id, phase);
    this.emit([id]);
  }

  private setBulk(state: BulkState, rows: readonly string[]): void {
    this.bulkState = state;
    this.emit(rows);
  }

  /** `null`: everything may have changed; otherwise these rows (and the table bar). */
  private emit(ids: readonly string[] | null): void {
    for (const listener of this.listeners) listener(ids);
  }

  private announce(text: string): void {
    for (const announce of this.announcers) announce(text);
  }
}
