/**
 * State of one page's invites (one learner or one course), kept by invite id so it survives the
 * portal re-rendering its rows, changing Usage pages or switching tabs. Talks to the background
 * only: cached invites and the portal clock (`invites.get`), revoke jobs (`job.*`) and their
 * progress on the events port. Views subscribe and render from it.
 */
import type { CachedInvite, JobView } from '../../shared/types';
import type { ContentDeps, EventPort } from './deps';

export type Target = { kind: 'learner'; learnerId: string } | { kind: 'course'; courseId: string };

/** What one invite's control shows. */
export type RowPhase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'waiting'; startAt: number }
  | { kind: 'running'; note: string | null }
  | { kind: 'queued' } // covered by the table's Revoke all, in its Undo window
  | { kind: 'checking' } // Revoke all finished; waiting for fresh invites to tell this row's outcome
  | { kind: 'revoked' }
  | { kind: 'kept' }
  | { kind: 'gone'; text: string }
  | { kind: 'failed'; reason: string };

export interface BulkState {
  phase: 'idle' | 'starting' | 'waiting' | 'running' | 'done' | 'undone' | 'error';
  view: JobView | null;
  /** Pending invites the manager saw counted when starting: the rows the job covers. */
  ids: ReadonlySet<string>;
  message: string | null;
}

type Listener = (ids: readonly string[] | null) => void;

const ACTIVE: ReadonlySet<RowPhase['kind']> = new Set(['starting', 'waiting', 'running']);
const FINAL: ReadonlySet<RowPhase['kind']> = new Set(['revoked', 'kept', 'gone']);
const STATE_RANK: Record<JobView['job']['state'], number> = {
  waiting: 0,
  running: 1,
  paused: 1,
  'signed-out': 1,
  done: 2,
  undone: 2,
  cancelled: 2,
};
/** Rows still "checking" this long after Revoke all ended fall back to what the row says. */
const CHECKING_LIMIT_MS = 15_000;
const RECONNECT_MS = [1000, 2000, 5000, 15000, 30000];

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
  private port: EventPort | null = null;
  private reconnects = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private checkingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly target: Target,
    private readonly deps: ContentDeps,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      clearTimeout(this.reconnectTimer);
      clearTimeout(this.checkingTimer);
      this.port?.disconnect();
      this.port = null;
      this.listeners.clear();
      this.announcers.clear();
    });
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState !== 'visible') return;
        this.ensurePort();
        void this.load(false);
      },
      { signal },
    );
    this.ensurePort();
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
      if (inv.status !== 'pending' || inv.expiresAt <= now) continue;
      if (FINAL.has(this.rows.get(inv.id)?.kind ?? 'idle')) continue;
      ids.push(inv.id);
    }
    return ids;
  }

  phase(id: string): RowPhase {
    const own = this.rows.get(id);
    if (own && ACTIVE.has(own.kind)) return own;
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
    this.ensurePort();
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
    this.ensurePort();
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

  private ensurePort(): void {
    if (this.port || this.signal.aborted) return;
    clearTimeout(this.reconnectTimer);
    let port: EventPort;
    try {
      port = this.deps.connect();
    } catch {
      return; // the extension was reloaded under this page: nothing to talk to
    }
    this.port = port;
    port.onMessage.addListener((message) => {
      this.reconnects = 0;
      this.onEvent(message);
    });
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = null;
      // The service worker went to sleep. Come back only while a job of ours runs (to see it end);
      // otherwise the next action or the tab becoming visible reconnects.
      if (this.signal.aborted || !this.hasActiveJob()) return;
      const wait = RECONNECT_MS[Math.min(this.reconnects++, RECONNECT_MS.length - 1)];
      this.reconnectTimer = setTimeout(() => {
        this.ensurePort();
        void this.refreshJobs();
      }, wait);
    });
  }

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
    return early && STATE_RANK[early.job.state] > STATE_RANK[view.job.state] ? early : view;
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
    const { job, counts } = view;
    switch (job.state) {
      case 'waiting':
        this.setRow(id, { kind: 'waiting', startAt: job.startAt });
        return;
      case 'running':
        this.setRow(id, { kind: 'running', note: null });
        return;
      case 'paused':
      case 'signed-out':
        this.setRow(id, { kind: 'running', note: job.message ?? 'Paused' });
        return;
    }
    this.rowJobs.delete(view.job.id);
    let phase: RowPhase = { kind: 'idle' };
    if (counts.revoked > 0) phase = { kind: 'revoked' };
    else if (counts.keptAccepted > 0) phase = { kind: 'kept' };
    else if (counts.alreadyGone > 0) phase = { kind: 'gone', text: 'Already gone' };
    else if (counts.failed > 0)
      phase = { kind: 'failed', reason: view.failures[0]?.error ?? 'unknown error' };
    this.setRow(id, phase);
    if (phase.kind !== 'idle') this.announce(`${describe(phase)}.`);
    if (phase.kind !== 'failed') void this.load(false);
  }

  private applyBulkJob(view: JobView): void {
    const prev = this.bulkState;
    const { job, counts } = view;
    const ids = [...prev.ids];
    if (
      job.state === 'waiting' ||
      job.state === 'running' ||
      job.state === 'paused' ||
      job.state === 'signed-out'
    ) {
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
    const oneKind = counts.keptAccepted === 0 && counts.alreadyGone === 0 && counts.skipped === 0;
    for (const id of ids) {
      const own = this.rows.get(id)?.kind;
      if (own && (FINAL.has(own) || ACTIVE.has(own))) continue;
      const reason = failed.get(id);
      if (reason !== undefined) this.rows.set(id, { kind: 'failed', reason });
      else this.rows.set(id, oneKind && counts.revoked > 0 ? { kind: 'revoked' } : { kind: 'checking' });
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
      const inv = this.invites.get(id);
      let next: RowPhase | null = null;
      if (inv?.status === 'accepted') next = { kind: 'kept' };
      else if (inv?.status !== 'pending')
        next =
          view.counts.alreadyGone === 0
            ? { kind: 'revoked' }
            : view.counts.revoked === 0
              ? { kind: 'gone', text: 'Already gone' }
              : { kind: 'gone', text: 'No longer pending' };
      else if (fresh) next = { kind: 'idle' };
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

export function describe(phase: RowPhase): string {
  switch (phase.kind) {
    case 'revoked':
      return 'Revoked — seat returned';
    case 'kept':
      return 'Kept — accepted';
    case 'gone':
      return phase.text;
    case 'failed':
      return `Failed: ${phase.reason}`;
    case 'queued':
      return 'Queued to revoke';
    case 'checking':
      return 'Checking…';
    case 'running':
      return phase.note ? `Paused: ${phase.note}` : 'Revoking…';
    default:
      return '';
  }
}

export function summary(view: JobView): string {
  const c = view.counts;
  const parts = [
    `${c.revoked} revoked`,
    `${c.keptAccepted} kept (accepted)`,
    `${c.alreadyGone} already gone`,
    `${c.failed} failed`,
  ];
  if (c.skipped) parts.push(`${c.skipped} not sent`);
  return `Done: ${parts.join(', ')}.`;
}

function isJobView(value: unknown): value is JobView {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<JobView>;
  return (
    typeof v.job === 'object' &&
    v.job !== null &&
    typeof v.job.id === 'number' &&
    typeof v.job.state === 'string' &&
    typeof v.counts === 'object' &&
    v.counts !== null &&
    Array.isArray(v.failures)
  );
}
