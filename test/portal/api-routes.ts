/** The JSON API's routes: the reads here, the two writes in writes.ts. */
import { type ApiCall, type ApiRoute, param } from './api-route';
import { type CourseRec, inviteJson, learnerJson, seatsOf } from './data';
import { badRequest, HttpError } from './http';
import type { InviteStatus } from './types';
import { cancelRoute, inviteRoute } from './writes';

const MAX_PAGE_SIZE = 100;
const LEARNER_PAGE_SIZE = 25;

const STATUS_FILTER: Record<string, ((st: InviteStatus) => boolean) | undefined> = {
  pending: (st) => st === 'pending',
  accepted: (st) => st === 'accepted',
  active: (st) => st === 'pending' || st === 'accepted',
  all: () => true,
};

function statusFilter(url: URL): (st: InviteStatus) => boolean {
  const f = STATUS_FILTER[url.searchParams.get('status') ?? 'all'];
  if (!f) throw badRequest('status');
  return f;
}

function intParam(url: URL, name: string, dflt: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(name);
  return n;
}

function ownCourse(call: ApiCall): CourseRec {
  const c = call.state.store.courseById.get(param(call));
  if (!c || c.ownerId !== call.session.manager.id) throw new HttpError(404, { error: 'not_found' });
  return c;
}

const ok = (body: unknown) => ({ answer: { status: 200, body } });

const courseJson = (c: CourseRec) => ({
  id: c.id,
  title: c.title,
  seats: seatsOf(c),
  pending: c.counts.pending,
});

const read = (pattern: string, re: RegExp, run: (call: ApiCall) => unknown): ApiRoute => ({
  method: 'GET',
  pattern,
  re,
  kind: 'read',
  run: (call) => {
    call.state.now();
    return ok(run(call));
  },
});

export const API_ROUTES: readonly ApiRoute[] = [
  read('/api/session', /^\/api\/session$/, ({ session: s }) => ({
    manager: { id: s.manager.id, name: s.manager.name, email: s.manager.email },
    csrfToken: s.csrf,
  })),
  read('/api/courses', /^\/api\/courses$/, ({ state, session }) => ({
    items: state.store.courses.filter((c) => c.ownerId === session.manager.id).map(courseJson),
  })),
  read('/api/courses/{id}', /^\/api\/courses\/([^/]+)$/, (call) => courseJson(ownCourse(call))),
  read('/api/courses/{id}/invites', /^\/api\/courses\/([^/]+)\/invites$/, (call) => {
    const c = ownCourse(call);
    const keep = statusFilter(call.url);
    const page = intParam(call.url, 'page', 1);
    const pageSize = Math.min(intParam(call.url, 'pageSize', 25), MAX_PAGE_SIZE);
    const all = call.state.store.courseInvites(c).filter((i) => keep(i.status));
    const items = all.slice((page - 1) * pageSize, page * pageSize).map(inviteJson);
    return { items, page, pageSize, total: all.length };
  }),
  inviteRoute,
  read('/api/learners', /^\/api\/learners$/, ({ state, url }) => {
    const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
    const page = intParam(url, 'page', 1);
    const all = q
      ? state.store.learners.filter(
          (l) => l.name.toLowerCase().includes(q) || l.email.toLowerCase().includes(q),
        )
      : state.store.learners;
    const items = all.slice((page - 1) * LEARNER_PAGE_SIZE, page * LEARNER_PAGE_SIZE).map(learnerJson);
    return { items, page, pageSize: LEARNER_PAGE_SIZE, total: all.length };
  }),
  read('/api/learners/{id}', /^\/api\/learners\/([^/]+)$/, (call) => {
    const l = call.state.store.learnerById.get(param(call));
    if (!l) throw new HttpError(404, { error: 'not_found' });
    return learnerJson(l);
  }),
  read('/api/learners/{id}/invites', /^\/api\/learners\/([^/]+)\/invites$/, (call) => {
    const l = call.state.store.learnerById.get(param(call));
    if (!l) throw new HttpError(404, { error: 'not_found' });
    const keep = statusFilter(call.url);
    const items = l.invites
      .filter((i) => i.course.ownerId === call.session.manager.id && keep(i.status))
      .sort((a, b) => b.sentAt - a.sentAt)
      .map(inviteJson);
    return { items };
  }),
  cancelRoute,
];
