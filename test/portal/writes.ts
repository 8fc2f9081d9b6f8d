/**
 * The two API calls that change invites, each journaled whatever its answer: cancel one invite,
 * and send invites to a list of addresses (exactly as /work/shared/portal-contract.md says).
 */
import { type ApiCall, type ApiRoute, type Handled, param } from './api-route';
import { type CourseRec, inviteJson, type LearnerRec, seatsOf } from './data';
import { type Answer, HttpError, parseJsonObject } from './http';
import type { InviteJournalEntry, JournalEntry } from './types';

export const MAX_EMAILS = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const errorOf = (a: Answer): string | undefined => (a.body as { error?: string }).error;

// ---------------------------------------------------------------- cancel

function cancelEntry(call: ApiCall): { entry: JournalEntry; visible: ReturnType<typeof visibleInvite> } {
  const { state, req } = call;
  const at = state.now();
  const visible = visibleInvite(call);
  const entry: JournalEntry = {
    seq: state.journal.next(),
    at,
    inviteId: param(call),
    courseId: visible?.course.id ?? null,
    httpStatus: 0,
    statusBefore: visible?.status ?? null,
    statusAfter: visible?.status ?? null,
    applied: false,
    origin: req.headers.origin ?? null,
  };
  return { entry, visible };
}

function visibleInvite(call: ApiCall) {
  const inv = call.state.store.inviteById.get(param(call));
  return inv && inv.course.ownerId === call.session.manager.id ? inv : undefined;
}

function cancel(call: ApiCall): Handled {
  const { entry, visible } = cancelEntry(call);
  let answer: Answer;
  if (!call.csrfOk) answer = { status: 403, body: { error: 'csrf' } };
  else if (!visible) answer = { status: 404, body: { error: 'not_found' } };
  else if (visible.status !== 'pending')
    answer = { status: 409, body: { error: 'not_pending', status: visible.status } };
  else {
    call.state.store.setStatus(visible, 'cancelled');
    entry.applied = true;
    entry.statusAfter = 'cancelled';
    answer = { status: 200, body: { invite: inviteJson(visible), seats: seatsOf(visible.course) } };
  }
  entry.httpStatus = answer.status;
  const err = errorOf(answer);
  if (err) entry.error = err;
  call.state.journal.addCancel(entry);
  return { answer, entry };
}

export const cancelRoute: ApiRoute = {
  method: 'POST',
  pattern: '/api/invites/{id}/cancel',
  re: /^\/api\/invites\/([^/]+)\/cancel$/,
  kind: 'cancel',
  run: cancel,
  droppedBefore: (call) => {
    call.state.journal.addCancel({ ...cancelEntry(call).entry, dropped: 'before' });
  },
};

// ---------------------------------------------------------------- send invites

type Plan =
  | { kind: 'new'; email: string }
  | { kind: 'held'; email: string; reason: 'already_pending' | 'already_accepted'; inviteId: string }
  /** The same address earlier in this request: skipped as already_pending once that one is sent. */
  | { kind: 'repeat'; email: string; first: number };

/** The address list as sent, for the journal: strings as they are, anything else as JSON. */
function requested(body: Record<string, unknown> | null): string[] {
  const raw = body?.emails;
  return Array.isArray(raw) ? raw.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
}

function inviteEntry(call: ApiCall, body: Record<string, unknown> | null): InviteJournalEntry {
  const { state, req } = call;
  const at = state.now();
  return {
    seq: state.journal.next(),
    at,
    courseId: param(call),
    emails: requested(body),
    httpStatus: 0,
    created: [],
    skipped: [],
    applied: false,
    seatsAfter: null,
    origin: req.headers.origin ?? null,
  };
}

function ownCourse(call: ApiCall): CourseRec | undefined {
  const c = call.state.store.courseById.get(param(call));
  return c && c.ownerId === call.session.manager.id ? c : undefined;
}

function planInvites(course: CourseRec, emails: string[], byEmail: Map<string, LearnerRec>): Plan[] {
  const firstAt = new Map<string, number>();
  return emails.map((email, i): Plan => {
    const key = email.toLowerCase();
    const active = byEmail
      .get(key)
      ?.invites.find((v) => v.course === course && (v.status === 'pending' || v.status === 'accepted'));
    if (active) {
      const reason = active.status === 'accepted' ? 'already_accepted' : 'already_pending';
      return { kind: 'held', email, reason, inviteId: active.id };
    }
    const first = firstAt.get(key);
    if (first !== undefined) return { kind: 'repeat', email, first };
    firstAt.set(key, i);
    return { kind: 'new', email };
  });
}

function decideInvites(call: ApiCall, entry: InviteJournalEntry, body: Record<string, unknown>): Answer {
  const { state } = call;
  const course = ownCourse(call);
  if (!course) return { status: 404, body: { error: 'not_found' } };
  const raw = body.emails;
  if (!Array.isArray(raw) || raw.length === 0) {
    return { status: 400, body: { error: 'bad_request', field: 'emails' } };
  }
  if (raw.length > MAX_EMAILS) {
    return { status: 400, body: { error: 'bad_request', field: 'emails', max: MAX_EMAILS } };
  }
  const invalid = raw
    .filter((e) => typeof e !== 'string' || !EMAIL.test(e.trim()))
    .map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  if (invalid.length) {
    entry.invalid = invalid;
    return { status: 400, body: { error: 'invalid_emails', invalid } };
  }
  const store = state.store;
  const plan = planInvites(
    course,
    (raw as string[]).map((e) => e.trim()),
    store.learnerByEmail,
  );
  const fresh = plan.filter((p) => p.kind === 'new').length;
  const { available } = seatsOf(course);
  if (fresh > available) {
    entry.available = available;
    entry.requested = fresh;
    return { status: 409, body: { error: 'no_seats', available, requested: fresh } };
  }
  const at = state.now();
  const made: (string | undefined)[] = [];
  const items = [];
  for (const [i, p] of plan.entries()) {
    if (p.kind !== 'new') continue;
    const known = store.learnerByEmail.get(p.email.toLowerCase());
    // An address the portal does not know becomes a learner named by the address.
    const learner = known ?? store.addLearner(p.email, p.email);
    const inv = store.addInvite(course, learner, at, 'pending');
    made[i] = inv.id;
    entry.created.push({ email: p.email, inviteId: inv.id, learnerId: learner.id, newLearner: !known });
    items.push(inviteJson(inv));
  }
  const skipped: { email: string; reason: string }[] = [];
  for (const p of plan) {
    if (p.kind === 'held') {
      skipped.push({ email: p.email, reason: p.reason });
      entry.skipped.push({ email: p.email, reason: p.reason, inviteId: p.inviteId });
    } else if (p.kind === 'repeat') {
      skipped.push({ email: p.email, reason: 'already_pending' });
      entry.skipped.push({ email: p.email, reason: 'already_pending', inviteId: made[p.first] as string });
    }
  }
  entry.applied = entry.created.length > 0;
  return { status: 201, body: { items, skipped, seats: seatsOf(course) } };
}

function sendInvites(call: ApiCall): Handled {
  let body: Record<string, unknown> | null = null;
  let bodyError: Answer | null = null;
  try {
    body = parseJsonObject(call.body);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    bodyError = { status: err.status, body: err.body };
  }
  const entry = inviteEntry(call, body);
  const answer: Answer = !call.csrfOk
    ? { status: 403, body: { error: 'csrf' } }
    : (bodyError ?? decideInvites(call, entry, body ?? {}));
  entry.httpStatus = answer.status;
  const err = errorOf(answer);
  if (err) entry.error = err;
  const course = ownCourse(call);
  entry.seatsAfter = course ? seatsOf(course) : null;
  call.state.journal.addInvite(entry);
  return { answer, entry };
}

export const inviteRoute: ApiRoute = {
  method: 'POST',
  pattern: '/api/courses/{id}/invites',
  re: /^\/api\/courses\/([^/]+)\/invites$/,
  kind: 'invite',
  run: sendInvites,
  droppedBefore: (call) => {
    let body: Record<string, unknown> | null = null;
    try {
      body = parseJsonObject(call.body);
    } catch {
      // journaled with no addresses
    }
    const entry = inviteEntry(call, body);
    const course = ownCourse(call);
    entry.seatsAfter = course ? seatsOf(course) : null;
    call.state.journal.addInvite({ ...entry, dropped: 'before' });
  },
};
