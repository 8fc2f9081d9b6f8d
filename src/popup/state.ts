/** The popup's state, its actions and what it needs from the browser: the shape every popup file shares. */
import type { StoreApi } from 'zustand/vanilla';
import type { InvitePlan } from '../shared/invite-work';
import type { BackgroundEvent } from '../shared/messages';
import type { Overview } from '../shared/overview';
import type { Send } from '../shared/send';
import type { AuditEntry, CachedInvite, JobView, Settings } from '../shared/types';
import type { WatchStatus } from '../shared/watch-status';

export interface PopupDeps {
  send: Send;
  /** Opens the background's events port; returns a function that closes it. */
  connectEvents(onEvent: (event: BackgroundEvent) => void, onClose: () => void): () => void;
  /** Watches the cache for one (now, filter, origin); returns a function that stops watching. */
  watchOverview(
    query: { now: number; minAgeDays: number; origin: string | null; renewDays?: number },
    onValue: (value: Overview) => void,
    onError: (err: unknown) => void,
  ): () => void;
  watchAudit(
    limit: number,
    onValue: (rows: AuditEntry[]) => void,
    onError: (err: unknown) => void,
  ): () => void;
  /** Watches a portal's pending invites expiring within `withinDays` of `now` (portal clock), soonest first. */
  watchExpiring(
    query: { now: number; origin: string; withinDays: number },
    onValue: (invites: CachedInvite[]) => void,
    onError: (err: unknown) => void,
  ): () => void;
  /** Watches what the expiry watch last did on `origin` (null: it never ran there). */
  watchWatchStatus(
    origin: string,
    onValue: (status: WatchStatus | null) => void,
    onError: (err: unknown) => void,
  ): () => void;
  readSettings(): Promise<Settings>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  openTab(url: string): void;
  openOptions(): void;
  download(filename: string, text: string): void;
  now(): number;
}

export type View = 'overview' | 'audit';

/** "Invite and make room" for one course, while its panel is open: the paste, then its plan. */
export interface InviteDraft {
  courseId: string;
  courseTitle: string;
  text: string;
  /** The plan of `text` as the background made it, or null before one was asked for. */
  plan: InvitePlan | null;
  /** The text the plan was made from: a plan of other text is not started. */
  plannedText: string | null;
  busy: boolean;
  error: string | null;
}

/**
 * A job the manager has just started, shown in its Undo window from the click on: the background
 * answers `job.start` only once it has read the scope from the portal, and its own window, begun
 * then, ends later than the one counted here.
 */
export interface Starting {
  /** What it will do, in the job's own words (shared/ui/job-words.ts). */
  doing: string;
  /** When its Undo window ends as the popup counts it: the click plus the Undo setting (extension clock). */
  endsAt: number;
  /** The job, once the background has answered. */
  jobId: number | null;
  /** Undo was pressed before the background answered: the job is undone as soon as it does. */
  undone: boolean;
}

export interface PopupState {
  view: View;
  settings: Settings | null;
  /** Cached per-course lines; null until the first cache read answers. */
  overview: Overview | null;
  /** The age filter `overview` was counted with; while it differs from minAgeDays, counts are pending. */
  overviewAge: number | null;
  /** Portal clock minus the extension clock (ms), as last seen from the background. */
  clockOffset: number;
  /** Re-evaluated every time countdown labels can change. */
  tick: number;
  refreshing: boolean;
  /** The background knows no portal to read: none allowed, or never opened in a tab. */
  noPortal: boolean;
  /** null: not known yet (no answer from the portal). */
  signedIn: boolean | null;
  /** Why the last refresh failed, for the manager; null when it worked. */
  refreshError: string | null;
  /** Courses the manager unticked (all are ticked by default). */
  unticked: Record<string, true>;
  /** "Only invites sent more than N days ago"; 0 is off. */
  minAgeDays: number;
  /** The job on screen: running, in its Undo window, or its report. */
  job: JobView | null;
  /** A job started by a click here, until it leaves its Undo window. */
  starting: Starting | null;
  jobBusy: boolean;
  jobError: string | null;
  /** Set after an Undo: nothing was sent. */
  notice: string | null;
  audit: AuditEntry[] | null;
  auditError: string | null;
  exportStatus: string | null;
  /** The "Invite and make room" panel, while open. */
  inviting: InviteDraft | null;
  /** The Expiring soon view is open (in place of the courses). */
  expiringOpen: boolean;
  /** Its rows: the portal's pending invites expiring within `renewDays`, soonest first; null until read. */
  expiring: CachedInvite[] | null;
  expiringError: string | null;
  /** Invite ids ticked in the Expiring soon view. */
  picked: Record<string, true>;
  /** What the expiry watch last did on the popup's portal; null: not known, or it never ran. */
  watchStatus: WatchStatus | null;
}

export interface PopupActions {
  init(signal: AbortSignal): Promise<void>;
  /** Reads what changed on the portal (the course list, then changed courses); `full`: every course. */
  refresh(full?: boolean): Promise<void>;
  setView(view: View): void;
  toggleCourse(courseId: string, ticked: boolean): void;
  setAllTicked(ticked: boolean): void;
  setMinAgeDays(days: number): Promise<void>;
  revoke(): Promise<void>;
  /** Undoes the job in its Undo window, or the one just started whose answer has not come yet. */
  undo(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  retryFailed(): Promise<void>;
  dismissJob(): void;
  /** "Renew expiring (N)" of one course: a job in its Undo window. */
  renewExpiring(courseId: string): Promise<void>;
  openInvite(courseId: string): void;
  closeInvite(): void;
  setInviteText(text: string): void;
  /** Asks the background for the plan of the paste (nothing is sent). */
  planInvites(): Promise<void>;
  /** Starts the plan on screen: a job in its Undo window. */
  startInvites(): Promise<void>;
  openExpiring(): void;
  closeExpiring(): void;
  togglePicked(inviteId: string, ticked: boolean): void;
  setAllPicked(ticked: boolean): void;
  /** Renews these invites of the Expiring soon view (any courses): one job in its Undo window. */
  renewInvites(inviteIds: string[]): Promise<void>;
  /** Revokes these invites of the Expiring soon view: one job in its Undo window. */
  revokeInvites(inviteIds: string[]): Promise<void>;
  /** Reassigns one invite of the Expiring soon view to `email`. */
  reassignInvite(inviteId: string, email: string): Promise<void>;
  /** Learners Reclaim knows whose name or address holds `q` (for the Reassign field). */
  suggestLearners(q: string): Promise<{ name: string; email: string }[]>;
  exportCsv(): Promise<void>;
  signIn(): void;
  openOptions(): void;
  /** The portal's now, from the extension clock and the last known offset. */
  portalNow(): number;
  /** The extension's clock (fetchedAt, startAt and finishedAt are on it). */
  now(): number;
}

export type PopupStore = StoreApi<PopupState & PopupActions>;
