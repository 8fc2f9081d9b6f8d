/**
 * The simulation controls under /__sim/ (JSON, no session needed, never faulted): clock, faults,
 * data, table markup, sessions, journal, request counters. README "Simulation API" lists them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyMarkup, DEFAULT_MARKUP } from './assets/table-markup';
import { churn } from './churn';
import { parseTime } from './clock';
import { filterInvites, inviteJson, seatsOf } from './data';
import { defaultFaults, normalizeFaults } from './faults';
import { badRequest, HttpError, readJson } from './http';
import type { PortalState } from './state';
import type { ChurnSpec, DataSpec, Faults, SimState } from './types';

const DAY = 24 * 60 * 60 * 1000;
const PRESETS = ['demo', 'bench', 'scale'];
const SPEC_NUMBERS = [
  'seed',
  'courses',
  'learners',
  'pendingPerCourse',
  'acceptedPerCourse',
  'seatsPerCourse',
  'maxAgeDays',
  'foreignCourses',
] as const;

export function simState(state: PortalState): SimState {
  const t = state.now();
  const courses = state.store.courses.map((c) => state.store.courseState(c));
  return {
    now: t,
    identityHolds: courses.every((c) => c.identityHolds),
    courses,
    learners: state.store.learners.length,
    invites: state.store.inviteById.size,
    requests: state.counters.summary(),
  };
}

type Handler = (body: () => Promise<Record<string, unknown>>, url: URL) => unknown | Promise<unknown>;

/** Path -> method -> handler answering the 200 body. */
function routes(state: PortalState): Record<string, Record<string, Handler>> {
  return {
    '/__sim/clock': {
      GET: () => state.clock.state(),
      POST: async (body) => {
        const b = await body();
        let t = state.clock.now();
        if (b.now !== undefined) {
          const parsed = parseTime(b.now);
          if (parsed === null) throw badRequest('now');
          t = parsed;
        }
        for (const [field, unit] of [
          ['advanceMs', 1],
          ['advanceDays', DAY],
        ] as const) {
          if (b[field] === undefined) continue;
          if (typeof b[field] !== 'number') throw badRequest(field);
          t += (b[field] as number) * unit;
        }
        state.clock.set(Math.floor(t), typeof b.freeze === 'boolean' ? b.freeze : state.clock.frozen);
        state.now();
        return state.clock.state();
      },
    },
    '/__sim/faults': {
      GET: () => state.faults,
      POST: async (body) => {
        const b = await body();
        state.setFaults(normalizeFaults(state.faults, b as Partial<Faults>));
        if ('sessionExpiryAfter' in b) state.sessions.resetUse();
        return state.faults;
      },
    },
    '/__sim/faults/reset': {
      POST: () => {
        state.setFaults(defaultFaults());
        state.limiter.clear();
        state.sessions.resetUse();
        return state.faults;
      },
    },
    '/__sim/markup': {
      GET: () => state.markup,
      POST: async (body) => {
        const r = applyMarkup(state.markup, await body());
        if ('field' in r) throw badRequest(r.field);
        state.markup = r.markup;
        return state.markup;
      },
    },
    '/__sim/markup/reset': {
      POST: () => {
        state.markup = { ...DEFAULT_MARKUP };
        return state.markup;
      },
    },
    '/__sim/sessions/end': {
      POST: async (body) => {
        const b = await body();
        if (b.email !== undefined && typeof b.email !== 'string') throw badRequest('email');
        return { ended: state.sessions.endAll(b.email as string | undefined) };
      },
    },
    '/__sim/reset': {
      POST: async (body) => {
        const b = (await body()) as DataSpec;
        if (b.preset !== undefined && !PRESETS.includes(b.preset)) throw badRequest('preset');
        for (const k of SPEC_NUMBERS) {
          const v = b[k];
          if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw badRequest(k);
        }
        state.resetData(b);
        return simState(state);
      },
    },
    '/__sim/accept': {
      POST: async (body) => {
        const b = await body();
        state.now();
        const inv = typeof b.inviteId === 'string' ? state.store.inviteById.get(b.inviteId) : undefined;
        if (!inv) throw new HttpError(404, { error: 'not_found' });
        if (inv.status !== 'pending') throw new HttpError(409, { error: 'not_pending', status: inv.status });
        state.store.setStatus(inv, 'accepted');
        return { invite: inviteJson(inv), seats: seatsOf(inv.course) };
      },
    },
    '/__sim/churn': {
      POST: async (body) => {
        const b = (await body()) as ChurnSpec;
        return churn(state.store, b, state.now());
      },
    },
    '/__sim/state': { GET: () => simState(state) },
    '/__sim/journal': { GET: () => state.journal.answer() },
    '/__sim/journal/reset': {
      POST: () => {
        state.journal.clear();
        return state.journal.answer();
      },
    },
    '/__sim/requests': { GET: () => state.counters.snapshot() },
    '/__sim/requests/reset': {
      POST: () => {
        state.counters.reset();
        return state.counters.snapshot();
      },
    },
    '/__sim/invites': {
      GET: (_body, url) => {
        state.now();
        const q = url.searchParams;
        const items = filterInvites(state.store, {
          courseId: q.get('courseId'),
          learnerId: q.get('learnerId'),
          status: q.get('status'),
        }).map(inviteJson);
        return { items };
      },
    },
  };
}

export async function handleSim(
  state: PortalState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const r = routes(state)[url.pathname];
  if (!r) return state.reply.json(res, { status: 404, body: { error: 'not_found' } });
  const run = r[req.method ?? 'GET'];
  if (!run) {
    return state.reply.json(res, {
      status: 405,
      body: { error: 'method_not_allowed' },
      headers: { Allow: Object.keys(r).join(', ') },
    });
  }
  const body = await run(() => readJson(req), url);
  state.reply.json(res, { status: 200, body });
}
