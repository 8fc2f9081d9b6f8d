/**
 * The API without a valid session, in every shape Faults.signedOut offers, exactly as README
 * "Signed-out shapes" documents; ending sessions mid-run; the page's own script recognising each.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, signedInContext } from './browser';
import { type Booted, boot, firstInvite, signedIn } from './helpers';
import { signIn } from './sim-client';
import type { SignedOutShape } from './types';

let p: Booted;

beforeAll(async () => {
  p = await boot();
});
afterAll(() => p.close());

beforeEach(async () => {
  await p.sim.resetFaults();
  await p.sim.setFaults({ latencyMs: 0, rateLimit: null });
  await p.sim.reset({ seed: 4, courses: 2, pendingPerCourse: 6, acceptedPerCourse: 2, learners: 30 });
});

const signInHtml = async () => (await fetch(`${p.url}/login`)).text();

interface Seen {
  status: number;
  type: string | null;
  location: string | null;
  body: string;
}

async function seen(path: string, init: RequestInit = {}): Promise<Seen> {
  const res = await fetch(`${p.url}${path}`, { redirect: 'manual', ...init });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    location: res.headers.get('location'),
    body: await res.text(),
  };
}

describe('the shapes', () => {
  it('default to json401: 401 {"error":"unauthenticated"}', async () => {
    expect((await p.sim.faults()).signedOut).toBe('json401');
    expect(await seen('/api/courses')).toEqual({
      status: 401,
      type: 'application/json; charset=utf-8',
      location: null,
      body: '{"error":"unauthenticated"}',
    });
  });

  it.each<[SignedOutShape, (html: string) => Partial<Seen>]>([
    [
      'json401',
      () => ({ status: 401, type: 'application/json; charset=utf-8', body: '{"error":"unauthenticated"}' }),
    ],
    ['redirect', () => ({ status: 302, type: 'text/html; charset=utf-8', location: '/login', body: '' })],
    ['html200', (html) => ({ status: 200, type: 'text/html; charset=utf-8', location: null, body: html })],
    [
      'forbidden403-json',
      () => ({
        status: 403,
        type: 'application/json; charset=utf-8',
        body: '{"error":"forbidden","message":"Sign in to continue."}',
      }),
    ],
    [
      'json-other',
      () => ({ status: 200, type: 'application/json; charset=utf-8', body: '{"redirect":"/login"}' }),
    ],
    [
      'json-other-401',
      () => ({
        status: 401,
        type: 'application/json; charset=utf-8',
        body: '{"message":"Session expired","redirect":"/login"}',
      }),
    ],
  ])('%s answers reads and writes alike, and changes nothing', async (shape, expected) => {
    await p.sim.setFaults({ signedOut: shape });
    const want = { location: null, ...expected(await signInHtml()) };
    const inv = await firstInvite(p.sim, 'c-1', 'pending');
    expect(await seen('/api/session')).toEqual(want);
    expect(await seen('/api/courses/c-1/invites?status=pending')).toEqual(want);
    expect(await seen(`/api/invites/${inv.id}/cancel`, { method: 'POST' })).toEqual(want);
    expect(
      await seen('/api/courses/c-1/invites', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"emails":["nobody@example.test"]}',
      }),
    ).toEqual(want);
    expect((await p.sim.invites({ courseId: 'c-1', status: 'pending' })).map((i) => i.id)).toContain(inv.id);
    expect(await p.sim.journalAll()).toEqual({ entries: [], invites: [] });
  });

  it('forbidden403 answers 403 with the portal’s HTML error page', async () => {
    await p.sim.setFaults({ signedOut: 'forbidden403' });
    const r = await seen('/api/courses');
    expect(r).toMatchObject({ status: 403, type: 'text/html; charset=utf-8', location: null });
    expect(r.body).toMatch(/^<!doctype html>/);
    expect(r.body).toContain('Please sign in to continue.');
    expect(() => JSON.parse(r.body)).toThrow();
  });

  it('redirect is, to a fetch that follows it, the sign-in page with 200 at /login', async () => {
    await p.sim.setFaults({ signedOut: 'redirect' });
    const inv = await firstInvite(p.sim, 'c-1', 'pending');
    for (const init of [{}, { method: 'POST' }]) {
      const path = init.method ? `/api/invites/${inv.id}/cancel` : '/api/courses';
      const res = await fetch(`${p.url}${path}`, init);
      expect(res.status).toBe(200);
      expect(res.redirected).toBe(true);
      expect(res.url).toBe(`${p.url}/login`);
      expect(await res.text()).toBe(await signInHtml());
    }
    expect((await p.sim.invites({ courseId: 'c-1', status: 'pending' })).map((i) => i.id)).toContain(inv.id);
  });

  it('apply to an unknown cookie and to a session that ended, but not to pages or a valid session', async () => {
    await p.sim.setFaults({ signedOut: 'html200' });
    const api = await signedIn(p.url);
    expect((await api.get('/api/courses')).status).toBe(200);
    const stale = await fetch(`${p.url}/api/courses`, { headers: { cookie: 'portal_session=nope' } });
    expect(stale.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await p.sim.endSessions()).toBeGreaterThanOrEqual(1);
    const ended = await api.get('/api/courses');
    expect(ended.status).toBe(200);
    expect(ended.text).toBe(await signInHtml());
    // A page load still goes to the sign-in page the usual way.
    const page = await fetch(`${p.url}/manager/licenses`, {
      headers: { cookie: api.cookie },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fmanager%2Flicenses');
  });

  it('apply to the request that hits sessionExpiryAfter', async () => {
    await p.sim.setFaults({ signedOut: 'json-other', sessionExpiryAfter: 2 });
    const api = await signedIn(p.url);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await api.get<unknown>('/api/courses'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[2]?.body).toEqual({ redirect: '/login' });
  });

  it('are reset with the other faults, and refuse an unknown shape', async () => {
    await p.sim.setFaults({ signedOut: 'redirect' });
    expect((await p.sim.resetFaults()).signedOut).toBe('json401');
    await expect(p.sim.setFaults({ signedOut: 'teapot' as SignedOutShape })).rejects.toThrow(/400/);
  });
});

describe('ending sessions now', () => {
  it('ends every session, or one manager’s; signing in again works', async () => {
    const mine = await signedIn(p.url);
    const theirs = await signedIn(p.url, 'other@example.test');
    expect(await p.sim.endSessions('other@example.test')).toBe(1);
    expect((await theirs.get('/api/session')).status).toBe(401);
    expect((await mine.get('/api/session')).status).toBe(200);
    expect(await p.sim.endSessions()).toBeGreaterThanOrEqual(1);
    expect((await mine.get('/api/session')).status).toBe(401);
    expect(await p.sim.endSessions()).toBe(0);
    expect((await (await signedIn(p.url)).get('/api/session')).status).toBe(200);
  });
});

describe('the page’s own script', () => {
  it('sends the manager to the sign-in page whatever the shape', async () => {
    const browser = await launchChromium();
    try {
      const context = await signedInContext(browser, p.url);
      const tab = await context.newPage();
      for (const shape of [
        'json401',
        'redirect',
        'html200',
        'forbidden403',
        'forbidden403-json',
        'json-other',
        'json-other-401',
      ] as const) {
        await p.sim.setFaults({ signedOut: shape });
        const { cookie } = await signIn(p.url);
        await context.addCookies([
          { name: 'portal_session', value: cookie.split('=')[1] as string, url: p.url },
        ]);
        await tab.goto(`${p.url}/manager/licenses`);
        await tab.locator('tr[data-course-id]').first().waitFor();
        await p.sim.endSessions();
        await tab.evaluate(() => {
          void window.__portal?.rerender();
        });
        await tab.waitForURL(/\/login\?next=%2Fmanager%2Flicenses$/, { timeout: 10_000 });
        expect(await tab.locator('input[name=password]').count(), shape).toBe(1);
      }
    } finally {
      await browser.close();
    }
  });
});
