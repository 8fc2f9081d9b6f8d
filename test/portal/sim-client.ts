/**
 * Typed helpers over the reference portal's HTTP simulation API, for Node tests,
 * benchmarks and the demo. HTTP only: works against a portal in another process.
 */
import type { MarkupPreset } from './assets/table-markup';
import type {
  ChurnResult,
  ChurnSpec,
  ClockState,
  DataSpec,
  Faults,
  Invite,
  InviteJournalEntry,
  JournalAnswer,
  RequestCounts,
  SimState,
  TableMarkup,
} from './types';

export type {
  ChurnResult,
  ChurnSpec,
  ClockState,
  DataSpec,
  Faults,
  Invite,
  InviteJournalEntry,
  JournalEntry,
  RequestCounts,
  SimState,
  TableMarkup,
} from './types';

const trim = (u: string) => u.replace(/\/+$/, '');

async function call<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`portal sim ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export function simClient(baseUrl: string) {
  const base = trim(baseUrl);
  return {
    clock: () => call<ClockState>(base, '/__sim/clock'),
    /** Sets the portal clock (ms or ISO). `freeze` stops it from running in real time. */
    setClock: (now: number | string, opts: { freeze?: boolean } = {}) =>
      call<ClockState>(base, '/__sim/clock', { now, ...opts }),
    advance: (by: { ms?: number; days?: number }) =>
      call<ClockState>(base, '/__sim/clock', { advanceMs: by.ms ?? 0, advanceDays: by.days ?? 0 }),
    /** Stops (or restarts) the clock at its current reading. */
    freeze: (frozen = true) => call<ClockState>(base, '/__sim/clock', { freeze: frozen }),
    faults: () => call<Faults>(base, '/__sim/faults'),
    setFaults: (f: Partial<Faults>) => call<Faults>(base, '/__sim/faults', f),
    resetFaults: () => call<Faults>(base, '/__sim/faults/reset', {}),
    reset: (spec: DataSpec) => call<SimState>(base, '/__sim/reset', spec),
    accept: (inviteId: string) => call<unknown>(base, '/__sim/accept', { inviteId }),
    state: () => call<SimState>(base, '/__sim/state'),
    /** The cancel requests' entries. */
    journal: async () => (await call<JournalAnswer>(base, '/__sim/journal')).entries,
    /** The invite requests' entries. */
    inviteJournal: async (): Promise<InviteJournalEntry[]> =>
      (await call<JournalAnswer>(base, '/__sim/journal')).invites,
    /** Both kinds of entry (their seq numbers order them together). */
    journalAll: () => call<JournalAnswer>(base, '/__sim/journal'),
    clearJournal: async () => {
      await call<unknown>(base, '/__sim/journal/reset', {});
    },
    /** How the invite tables are marked up (a preset and/or single fields); pages pick it up on their next render. */
    setMarkup: (m: Partial<TableMarkup> & { preset?: MarkupPreset }) =>
      call<TableMarkup>(base, '/__sim/markup', m),
    markup: () => call<TableMarkup>(base, '/__sim/markup'),
    resetMarkup: () => call<TableMarkup>(base, '/__sim/markup/reset', {}),
    /** Ends every session now (or one manager's): the next API call is answered as signed out. */
    endSessions: async (email?: string) =>
      (await call<{ ended: number }>(base, '/__sim/sessions/end', email === undefined ? {} : { email }))
        .ended,
    /** Changes some courses' invites as people outside Reclaim would. */
    churn: (spec: ChurnSpec = {}) => call<ChurnResult>(base, '/__sim/churn', spec),
    requests: () => call<RequestCounts>(base, '/__sim/requests'),
    resetRequests: () => call<RequestCounts>(base, '/__sim/requests/reset', {}),
    invites: async (filter: { courseId?: string; learnerId?: string; status?: string } = {}) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
      const qs = q.toString();
      return (await call<{ items: Invite[] }>(base, `/__sim/invites${qs ? `?${qs}` : ''}`)).items;
    },
  };
}

export type SimClient = ReturnType<typeof simClient>;

/**
 * Signs in through the portal's own sign-in form (not through /api/, so no injected fault
 * touches it). Returns the Cookie header value and the session's CSRF token.
 */
export async function signIn(
  baseUrl: string,
  email = 'manager@example.test',
  password = 'demo',
): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${trim(baseUrl)}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: HTTP ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const m = /portal_session=([^;]+)/.exec(setCookie);
  if (!m) throw new Error('sign-in answered without a portal_session cookie');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: `portal_session=${m[1]}`, csrfToken: body.csrfToken };
}
