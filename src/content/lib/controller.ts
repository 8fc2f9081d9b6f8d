/**
 * State of one page's invites (one learner or one course), kept by invite id so it survives the
 * portal re-rendering its rows, changing Usage pages or switching tabs. Talks to the background
 * only: cached invites, the course's seats and the portal clock (`invites.get`), the page's
 * settings, revoke jobs (`job.*`) and their progress on the events port, and the jobs started
 * elsewhere (the popup) that cover this page (covering.ts). Views subscribe and render from it.
 *
 * A revoke's Undo window begins at the click: the row or the bar shows Undo at once, and an Undo
 * pressed before the background has answered the start is sent as soon as it has (the
 * background's own window began later, when it had read the scope, so it is still open).
 */
import { isPendingAt } from '../../shared/expiry';
import { t } from '../../shared/i18n';
import { isActiveJob } from '../../shared/job-states';
import type { PageSeats } from '../../shared/messages';
import type { PortalPage } from '../../shared/portal-page';
import type { CachedInvite, JobView } from '../../shared/types';
import { Announcements } from './announcements';
import { BulkRevoke } from './bulk';
import { Covering } from './covering';
import type { ContentDeps } from './deps';
import { concernsPage, EventLink } from './event-link';
import { type BulkScope, rowName } from './labels';
import {
  ACTIVE_ROW,
  type BulkState,
  describe,
  FINAL_ROW,
  isJobView,
  newerView,
  type RowPhase,
  rowJobPhase,
} from './phases';

type Listener = (ids: readonly string[] | null) => void;

/** The Undo window until the background has told the page the manager's setting. */
const DEFAULT_UNDO_SECONDS = 5;

export class Controller {
  private invites = new Map<string, CachedInvite>();
  private fetchedAt: number | null = null;
  private loaded = false;
  private loadSeq = 0;
  private offset: number | null = null;
  private error: string | null = null;
  private seatsNow: PageSeats | null = null;
  /** The Undo window the manager set, in seconds (the background tells it; read only). */
  undoSeconds = DEFAULT_UNDO_SECONDS;
  /** The renew window the manager set, in days: a pending invite is urgent within it. */
  renewDays = 3;
  private portalCancel = false;
  private rows = new Map<string, RowPhase>();
  private rowJobs = new Map<number, string>();
  /** Rows whose Undo was pressed before the background answered their start. */
  private undoAsked = new Set<string>();
  /** Job views that arrived before the reply that told us the job is ours. */
  private early = new Map<number, JobView>();
  /** When the last revoke of this page's invites ended (extension clock): the seats shown must be newer. */
  private revokedAt: number | null = null;
  private listeners = new Set<Listener>();
  private announcers = new Set<(text: string) => void>();
  readonly say = new Announcements((text) => {
    for (const announce of this.announcers) announce(text);
  });
  /** The table's Revoke all. */
  readonly all: BulkRevoke;
  readonly covering: Covering;
  private readonly link: EventLink;

  constructor(
    readonly target: PortalPage,
    private readonly deps: ContentDeps,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      this.listeners.clear();
      this.announcers.clear();
    });
    this.all = new BulkRevoke(this, deps, signal);
    this.covering = new Covering(this, deps, signal);
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
        void this.covering.ask();
      },
      { signal },
    );
    this.link.open();
    void this.loadSettings();
    void this.load(true);
    void this.covering.ask();
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
    return this.all.state;
  }

  /** When the page's invites were last read from the portal (extension clock), if ever. */
  get fetchedAtMs(): number | null {
    return this.fetchedAt;
  }

  /** Whether the manager asked to keep the portal's own Cancel beside Reclaim's controls. */
  get showPortalCancel(): boolean {
    return this.portalCancel;
  }

  /**
   * A course page's seats as the portal gave them after its last revoke: null before any (the
   * portal's own line is right then) and on a learner's page; 'reading' until they are in.
   */
  seatsAfterRevoke(): PageSeats | 'reading' | null {
    if (this.revokedAt === null || this.target.kind !== 'course') return null;
    const s = this.seatsNow;
    return s && s.readAt >= this.revokedAt ? s : 'reading';
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

  /** A bulk revoke of `ids` in words: how many, of which course or learner, over how many courses. */
  scopeOf(ids: Iterable<string>): BulkScope {
    let count = 0;
    const courses = new Set<string>();
    for (const id of ids) {
      count++;
      const courseId = this.invites.get(id)?.courseId;
      if (courseId) courses.add(courseId);
    }
    const any: CachedInvite | undefined = this.invites.values().next().value;
    const name =
      this.target.kind === 'course'
        ? (this.seatsNow?.title ?? any?.courseTitle ?? null)
        : (any?.learnerName ?? null);
    return { target: this.target, count, name, courses: courses.size };
  }

  phase(id: string): RowPhase {
    const own = this.rows.get(id);
    if (own && ACTIVE_ROW.has(own.kind)) return own;
    const b = this.all.state;
    if (b.ids.has(id)) {
      if (b.phase === 'waiting' || b.phase === 'undoing') return { kind: 'queued', startAt: b.startAt };
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

  async revoke(id: string): Promise<void> {
    const current = this.phase(id).kind;
    if (current !== 'idle' && current !== 'failed') return;
    const label = this.rowLabel(id);
    this.setRow(id, { kind: 'waiting', startAt: Date.now() + this.undoSeconds * 1000 });
    this.say.now(t('rowRevokingSay', label, this.undoSeconds));
    this.link.open();
    const reply = await this.deps.send({ type: 'job.start', scope: { kind: 'invites', inviteIds: [id] } });
    if (this.signal.aborted) return;
    const undo = this.undoAsked.delete(id);
    if (!reply.ok) {
      this.setRow(id, undo ? { kind: 'idle' } : { kind: 'failed', reason: reply.error.message });
      this.say.now(undo ? t('rowUndone', label) : t('rowCouldNot', label, reply.error.message));
      return;
    }
    const jobId = reply.value.job.id;
    this.rowJobs.set(jobId, id);
    this.applyJob(this.takeEarly(reply.value));
    if (undo) await this.sendUndo(id, jobId);
  }

  /** A click on a revoke control that the gate turned down: said, nothing sent. */
  refused(label: string, why = t('rowNotSeen')): void {
    this.say.now(t('rowRefused', label, why));
  }

  async undo(id: string): Promise<void> {
    if (this.rows.get(id)?.kind !== 'waiting') return;
    this.setRow(id, { kind: 'undoing' });
    const jobId = this.jobOf(id);
    if (jobId === null) this.undoAsked.add(id);
    else await this.sendUndo(id, jobId);
  }

  private async sendUndo(id: string, jobId: number): Promise<void> {
    const label = this.rowLabel(id);
    const reply = await this.deps.send({ type: 'job.undo', jobId });
    if (this.signal.aborted) return;
    if (reply.ok) this.applyJob(reply.value);
    const undone = reply.ok && reply.value.job.state === 'undone';
    if (!undone && this.rows.get(id)?.kind === 'undoing') this.setRow(id, { kind: 'running', note: null });
    this.say.now(undone ? t('rowUndone', label) : t('rowTooLate'));
  }

  // ---- background events ---------------------------------------------------------------------

  private hasActiveJob(): boolean {
    return this.rowJobs.size > 0 || this.all.active() || this.covering.active();
  }

  /** After a reconnect: events may have been missed, ask for each active job once. */
  private async refreshJobs(): Promise<void> {
    const ids = [...this.rowJobs.keys()];
    const bulk = this.all.activeJobId();
    if (bulk !== null) ids.push(bulk);
    for (const jobId of ids) {
      const reply = await this.deps.send({ type: 'job.get', jobId });
      if (this.signal.aborted) return;
      if (reply.ok) this.applyJob(reply.value);
    }
    await this.covering.ask();
  }

  private onEvent(message: unknown): void {
    if (!message || typeof message !== 'object' || !('type' in message)) return;
    if (message.type === 'job' && 'view' in message && isJobView(message.view)) {
      const view = message.view;
      if (this.isOurs(view.job.id)) this.applyJob(view);
      // While this page's own start is unanswered, a job of its scope may be that one.
      else if (this.all.unanswered() || !this.covering.fromView(view)) this.keepEarly(view);
    } else if (message.type === 'covering-job' && 'job' in message) {
      this.covering.told(message.job);
    } else if (message.type === 'invites-changed' && concernsPage(message, this.target)) {
      void this.load(false);
    }
  }

  private isOurs(jobId: number): boolean {
    return this.rowJobs.has(jobId) || this.all.isJob(jobId);
  }

  private keepEarly(view: JobView): void {
    this.early.set(view.job.id, view);
    if (this.early.size > 20) this.early.delete(this.early.keys().next().value as number);
  }

  /** The newer of a job's start reply and an event that overtook it. */
  takeEarly(view: JobView): JobView {
    const early = this.early.get(view.job.id);
    this.early.delete(view.job.id);
    return early ? newerView(view, early) : view;
  }

  private jobOf(id: string): number | null {
    for (const [jobId, inviteId] of this.rowJobs) if (inviteId === id) return jobId;
    return null;
  }

  private rowLabel(id: string): string {
    const inv = this.invites.get(id);
    return rowName(inv?.learnerName ?? null, inv?.courseTitle ?? null);
  }

  private applyJob(view: JobView): void {
    const inviteId = this.rowJobs.get(view.job.id);
    if (inviteId !== undefined) this.applyRowJob(inviteId, view);
    else if (this.all.isJob(view.job.id)) this.all.apply(view);
  }

  private applyRowJob(id: string, view: JobView): void {
    const phase = rowJobPhase(view);
    const now = this.rows.get(id);
    if (isActiveJob(view.job.state)) {
      // The window shown began at the click; an Undo under way stays so until it is answered.
      if (phase.kind === 'waiting' && (now?.kind === 'waiting' || now?.kind === 'undoing')) return;
      this.setRow(id, phase);
      return;
    }
    this.rowJobs.delete(view.job.id);
    this.setRow(id, phase);
    if (phase.kind !== 'idle')
      this.say.once(`job:${view.job.id}:end`, t('rowEnd', this.rowLabel(id), describe(phase)));
    if (phase.kind !== 'failed') this.revokeEnded(view.job.finishedAt);
  }

  /** A revoke of this page's invites ended: the course's seats shown from now on are read after it. */
  revokeEnded(finishedAt: number | null): void {
    this.revokedAt = Math.max(this.revokedAt ?? 0, finishedAt ?? Date.now());
    void this.load(true);
  }

  // ---- invites and settings ------------------------------------------------------------------

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
      this.seatsNow = v.seats ?? this.seatsNow;
      this.all.settleChecking(false);
    }
    this.emit(null);
  }

  private async loadSettings(): Promise<void> {
    const reply = await this.deps.send({ type: 'settings.get' });
    if (this.signal.aborted || !reply.ok) return;
    this.undoSeconds = reply.value.undoSeconds;
    this.renewDays = reply.value.renewDays;
    this.portalCancel = reply.value.showPortalCancel === true;
    this.emit(null);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private setRow(id: string, phase: RowPhase): void {
    this.rows.set(id, phase);
    this.emit([id]);
  }

  // For bulk.ts and covering.ts, which keep their own state beside this page's.

  openLink(): void {
    this.link.open();
  }

  /** A row's own phase (its own job's, or the outcome Revoke all gave it), without emitting. */
  ownRow(id: string): RowPhase | undefined {
    return this.rows.get(id);
  }

  putRow(id: string, phase: RowPhase): void {
    this.rows.set(id, phase);
  }

  *rowsIn(kind: RowPhase['kind']): Iterable<string> {
    for (const [id, phase] of this.rows) if (phase.kind === kind) yield id;
  }

  /** `null`: everything may have changed; otherwise these rows (and the table bar). */
  emit(ids: readonly string[] | null): void {
    for (const listener of this.listeners) listener(ids);
  }
}
