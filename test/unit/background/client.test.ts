import { describe, expect, it } from 'vitest';
import { PortalClient } from '../../../src/portal/api/client';
import { PortalClock } from '../../../src/portal/api/clock';
import { fakeFetch, type InviteSeed, json, MiniPortal } from './fake-portal';

const ORIGIN = 'http://127.0.0.1:4310';
const SESSION = { manager: { id: 'm-1', name: 'Mia', email: 'mia@example.test' }, csrfToken: 'tok-1' };

function clientWith(route: Parameters<typeof fakeFetch>[0], timeoutMs = 10_000) {
  const f = fakeFetch(route);
  // One try per read, so each answer's own mapping is seen (read retries are tested below).
  return {
    client: new PortalClient({ origin: ORIGIN, fetch: f.fetch, timeoutMs, readTries: 1 }),
    calls: f.calls,
  };
}

describe('PortalClient read retries', () => {
  it('reads again through passing faults, waiting with backoff or Retry-After', async () => {
    const answers = [
      json(503, { error: 'unavailable' }),
      json(200, { items: 'not a list' }),
      json(429, { error: 'rate_limited' }, { 'retry-after': '2' }),
      json(200, { items: [] }),
    ];
    // A wrong shape makes the client check the session (still valid here) before reading again.
    const f = fakeFetch((c) => (c.path === '/api/session' ? json(200, SESSION) : answers.shift()));
    const waits: number[] = [];
    const client = new PortalClient({
      origin: ORIGIN,
      fetch: f.fetch,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const r = await client.courses();
    expect(r).toEqual({ ok: true, value: [] });
    expect(f.calls.filter((c) => c.path === '/api/courses')).toHaveLength(4);
    expect(f.calls.filter((c) => c.path === '/api/session')).toHaveLength(1);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThan(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[2]).toBe(2000);
  });

  it('gives up after its tries, and never retries a refusal or a cancel', async () => {
    const f = fakeFetch((c) =>
      c.path === '/api/session' ? json(200, SESSION) : json(500, { error: 'boom' }),
    );
    const client = new PortalClient({ origin: ORIGIN, fetch: f.fetch, readTries: 3, sleep: async () => {} });
    expect(await client.courses()).toMatchObject({ ok: false, error: { kind: 'server-error' } });
    expect(f.calls.filter((c) => c.path === '/api/courses')).toHaveLength(3);
    expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind: 'server-error' } });
    expect(f.calls.filter((c) => c.method === 'POST')).toHaveLength(1);

    const g = fakeFetch(() => json(401, { error: 'unauthenticated' }));
    const signedOut = new PortalClient({ origin: ORIGIN, fetch: g.fetch, sleep: async () => {} });
    expect(await signedOut.courses()).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(g.calls).toHaveLength(1);
  });
});

describe('PortalClient error mapping', () => {
  it('reads the session and sends its CSRF token with a cancel', async () => {
    const { client, calls } = clientWith((c) =>
      c.path === '/api/session' ? json(200, SESSION) : json(404, { error: 'not_found' }),
    );
    const r = await client.cancel('i-1');
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-found', httpStatus: 404 } });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/session',
      'POST /api/invites/i-1/cancel',
    ]);
    expect(calls[1]?.headers['x-csrf-token']).toBe('tok-1');
  });

  it('re-reads the session once after a 403 csrf, then succeeds with the new token', async () => {
    let token = 'old';
    const { client, calls } = clientWith((c) => {
      if (c.path === '/api/session') return json(200, { ...SESSION, csrfToken: token });
      if (c.headers['x-csrf-token'] !== 'new') {
        token = 'new';
        return json(403, { error: 'csrf' });
      }
      return json(409, { error: 'not_pending', status: 'accepted' });
    });
    const r = await client.cancel('i-1');
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-pending', status: 'accepted' } });
    expect(calls.filter((c) => c.path === '/api/session')).toHaveLength(2);
  });

  it('gives up after a second 403 csrf', async () => {
    const { client, calls } = clientWith((c) =>
      c.path === '/api/session' ? json(200, SESSION) : json(403, { error: 'csrf' }),
    );
    const r = await client.cancel('i-1');
    expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden', httpStatus: 403 } });
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
    expect(calls.filter((c) => c.path === '/api/session')).toHaveLength(2);
  });

  it.each([
    [json(401, { error: 'unauthenticated' }), { kind: 'signed-out' }],
    [json(404, { error: 'not_found' }), { kind: 'not-found' }],
    [json(409, { error: 'not_pending', status: 'expired' }), { kind: 'not-pending', status: 'expired' }],
    [
      json(429, { error: 'rate_limited' }, { 'retry-after': '2' }),
      { kind: 'rate-limited', retryAfterMs: 2000 },
    ],
    [json(503, { error: 'unavailable' }), { kind: 'server-error', httpStatus: 503 }],
    [new Response('<html>oops</html>', { status: 502 }), { kind: 'server-error', httpStatus: 502 }],
    [new Response('{"items": [', { status: 200 }), { kind: 'malformed' }],
  ])('maps %# to a typed error', async (answer, expected) => {
    const { client } = clientWith(() => answer.clone());
    const r = await client.courses();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject(expected);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
  });

  it('maps a refused connection to network-error and a silent portal to timeout', async () => {
    const down = clientWith(() => 'throw');
    expect(await down.client.courses()).toMatchObject({ ok: false, error: { kind: 'network-error' } });
    const silent = clientWith(() => 'hang', 50);
    const started = Date.now();
    expect(await silent.client.courses()).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an answer of the wrong shape with a message naming the field', async () => {
    const { client } = clientWith((c) =>
      c.path === '/api/session'
        ? json(200, SESSION)
        : json(200, {
            items: [{ id: 'c-1', title: 'Fire Safety', seats: { total: 5, assigned: 'x', available: 3 } }],
          }),
    );
    const r = await client.courses();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('malformed');
      expect(r.error.message).toContain('items.0.seats.assigned');
    }
  });

  it('refuses a cancel answer of the wrong shape even with status 200', async () => {
    const { client } = clientWith((c) =>
      c.path === '/api/session' ? json(200, SESSION) : json(200, { ok: true }),
    );
    expect(await client.cancel('i-1')).toMatchObject({
      ok: false,
      error: { kind: 'malformed', httpStatus: 200 },
    });
  });
});

describe('PortalClient pagination', () => {
  const seed = (n: number, courseId = 'c-1'): InviteSeed[] =>
    Array.from({ length: n }, (_, k) => ({
      id: `i-${k + 1}`,
      courseId,
      learnerId: `l-${k + 1}`,
      status: 'pending' as const,
      sentAt: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(),
    }));

  it('walks every page of a course at pageSize 100', async () => {
    const portal = new MiniPortal(seed(250));
    const client = new PortalClient({ origin: ORIGIN, fetch: portal.fetch });
    const r = await client.courseInvites('c-1', 'pending');
    expect(r.ok && r.value.length).toBe(250);
    if (r.ok) expect(new Set(r.value.map((i) => i.id)).size).toBe(250);
    const pages = portal.calls.map((c) => new URL(`http://x${c.path}`).searchParams);
    expect(pages.map((p) => p.get('page')).sort()).toEqual(['1', '2', '3']);
    expect(pages.every((p) => p.get('pageSize') === '100')).toBe(true);
  });

  it('reads the list again when it changed while being walked', async () => {
    const portal = new MiniPortal(seed(150));
    let removed = false;
    portal.fault = (call) => {
      // The first walk's page 2 comes after invite i-1 was cancelled: everything slid up one.
      if (!removed && call.path.includes('page=2')) {
        removed = true;
        const i1 = portal.invites.get('i-1');
        if (i1) i1.status = 'cancelled';
      }
      return undefined;
    };
    const client = new PortalClient({ origin: ORIGIN, fetch: portal.fetch });
    const r = await client.courseInvites('c-1', 'pending');
    expect(r.ok).toBe(true);
    if (r.ok) {
      const ids = new Set(r.value.map((i) => i.id));
      expect(ids.size).toBe(149);
      expect(ids.has('i-1')).toBe(false);
      expect(ids.has('i-101')).toBe(true);
    }
  });
});

describe('PortalClock', () => {
  it('learns the portal clock from Date headers to within a second', () => {
    const clock = new PortalClock();
    const offset = 3 * 24 * 3600_000 + 123_456; // portal is 3 days and ~2 min ahead
    for (let t = 1_000_000; t < 1_010_000; t += 337) {
      const portal = t + 20 + offset;
      clock.observe(t, t + 40, new Date(portal - (portal % 1000)).toUTCString());
    }
    expect(Math.abs(clock.offset() - offset)).toBeLessThan(100);
  });

  it('starts over when the portal clock jumps', () => {
    const clock = new PortalClock();
    clock.observe(1_000_000, 1_000_040, new Date(5_000_000).toUTCString());
    clock.observe(2_000_000, 2_000_040, new Date(2_000_000 + 86_400_000).toUTCString());
    expect(Math.abs(clock.offset() - 86_400_000)).toBeLessThan(1000);
  });

  it('gives portalNow from the client', async () => {
    const ahead = 7 * 86_400_000;
    const { client } = clientWith(() =>
      json(200, SESSION, { date: new Date(Date.now() + ahead).toUTCString() }),
    );
    await client.session();
    expect(Math.abs(client.portalNow() - (Date.now() + ahead))).toBeLessThan(1500);
  });
});
