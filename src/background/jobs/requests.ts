/**
 * What the engine (runner.ts) is asked to start, and what a start and the manager's controls
 * answer: a revoke of a scope, or a job that invites (reassign, renew, make room).
 */
import type { InviteWork } from '../../shared/invite-work';
import type { PortalPage } from '../../shared/portal-page';
import type { Job, JobView, PortalError, Scope } from '../../shared/types';

export interface StartRequest {
  origin: string;
  scope: Scope;
  surface: Job['surface'];
  undoSeconds: number;
  concurrency: number;
  context: PortalPage | null;
}

/** A job that invites, as the router asks for it: what it does instead of a scope. */
export type InviteStartRequest = Omit<StartRequest, 'scope'> & { work: InviteWork };

export type StartResult =
  | { ok: true; view: JobView }
  | { ok: false; error: PortalError }
  | { ok: false; refused: string };

type ControlError = { kind: 'bad-request'; message: string };
export type ControlResult = { ok: true; view: JobView } | { ok: false; error: ControlError };
