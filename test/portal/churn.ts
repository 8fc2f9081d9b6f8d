/**
 * Changes some courses' invites as people outside Reclaim would (new invites, acceptances,
 * cancels from the portal's own pages), so a benchmark can check that a refresh reads only the
 * courses that changed. Checked in full before anything changes: it applies wholly or not at all.
 */
import { type CourseRec, type InviteRec, idNum, type Store } from './data';
import { HttpError } from './http';
import type { ChurnResult, ChurnSpec } from './types';

const count = (x: unknown, field: string, dflt: number): number => {
  if (x === undefined) return dflt;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
    throw new HttpError(400, { error: 'bad_request', field });
  }
  return x;
};

function pickCourses(store: Store, spec: ChurnSpec, ownerId: string): CourseRec[] {
  const own = store.courses.filter((c) => c.ownerId === ownerId);
  if (spec.courseIds !== undefined) {
    if (!Array.isArray(spec.courseIds))
      throw new HttpError(400, { error: 'bad_request', field: 'courseIds' });
    return [...new Set(spec.courseIds)].map((id) => {
      const c = typeof id === 'string' ? store.courseById.get(id) : undefined;
      if (!c || c.ownerId !== ownerId) throw new HttpError(404, { error: 'not_found', courseId: id });
      return c;
    });
  }
  const n = count(spec.courses, 'courses', 3);
  if (n > own.length) throw new HttpError(400, { error: 'bad_request', field: 'courses', max: own.length });
  // Spread evenly over the list, so the changed courses are not all on the first page of anything.
  return Array.from({ length: n }, (_, k) => own[Math.floor((k * own.length) / n)] as CourseRec);
}

const pendingOldestFirst = (store: Store, c: CourseRec): InviteRec[] =>
  store
    .courseInvites(c)
    .filter((i) => i.status === 'pending')
    .reverse();

export function churn(store: Store, spec: ChurnSpec, now: number, ownerId = 'm-1'): ChurnResult {
  const invites = count(spec.invites, 'invites', 1);
  const accepts = count(spec.accepts, 'accepts', 0);
  const cancels = count(spec.cancels, 'cancels', 0);
  const courses = pickCourses(store, spec, ownerId);
  for (const c of courses) {
    const pending = c.counts.pending;
    const free = c.total - pending - c.counts.accepted + cancels;
    if (pending < accepts + cancels) {
      throw new HttpError(409, { error: 'cannot_churn', courseId: c.id, reason: 'too_few_pending', pending });
    }
    if (free < invites) {
      throw new HttpError(409, {
        error: 'cannot_churn',
        courseId: c.id,
        reason: 'no_seats',
        available: free,
      });
    }
    if (store.learners.length - (pending + c.counts.accepted - cancels) < invites) {
      throw new HttpError(409, { error: 'cannot_churn', courseId: c.id, reason: 'too_few_learners' });
    }
  }
  const result: ChurnResult = { courses: [] };
  for (const c of courses) {
    const queue = pendingOldestFirst(store, c);
    const accepted = queue.slice(0, accepts);
    const cancelled = cancels ? queue.slice(-cancels) : [];
    for (const inv of accepted) store.setStatus(inv, 'accepted');
    for (const inv of cancelled) store.setStatus(inv, 'cancelled');
    const busy = new Set(
      c.invites.filter((i) => i.status === 'pending' || i.status === 'accepted').map((i) => i.learner.id),
    );
    const created: string[] = [];
    const n = store.learners.length;
    // A different starting learner per course and per call, stepping over those already in it.
    for (let k = (idNum(c.id) * 7919 + c.invites.length) % n; created.length < invites; k = (k + 1) % n) {
      const l = store.learners[k];
      if (!l || busy.has(l.id)) continue;
      busy.add(l.id);
      created.push(store.addInvite(c, l, now, 'pending').id);
    }
    result.courses.push({
      id: c.id,
      created,
      accepted: accepted.map((i) => i.id),
      cancelled: cancelled.map((i) => i.id),
    });
  }
  return result;
}
