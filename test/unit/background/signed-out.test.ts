/**
 * The portal client against every shape a portal may give a caller whose session has ended
 * (test/portal/README.md "Signed-out shapes"), answered exactly as the reference portal
 * answers them: each reads as 'signed-out', for reads, cancels and the session read alike,
 * and never as signed in. With a valid session the same doubtful answers keep their own errors.
 */
import { describe, expect, it } from 'vitest';
import { type FetchLike, PortalClient } from '../../../src/portal/api/client';
import { signedOutAnswer } from '../../portal/signed-out';
import type { SignedOutShape } from '../../portal/types';
import { json } from './fake-portal';

const ORIGIN = 'http://127.0.0.1:4310';
const SESSION = { manager: { id: 'm-1', name: 'Mia', email: 'mia@example.test' }, csrfToken: 'tok-1' };
const SHAPES: SignedOutShape[] = [
  'json401',
  'redirect',
  'html200',
  'forbidden403',
  'forbidden403-json',
  'json-other',
  'json-other-401',
];

/** The reference portal's answer for `shape`, as Node's fetch gives it with `redirect: 'manual'`. */
function answerFor(shape: SignedOutShape): Response {
  const a = signedOutAnswer(shape);
  return new Response(a.body.length > 0 ? a.body : null, {
    status: a.status,
    headers: { 'content-type': a.type, ...a.headers },
  });
}

/** What a browser's fetch gives for a redirect with `redirect: 'manual'`: opaque, status 0. */
function opaqueRedirect(): Response {
  const r = new Response(null, { status: 200 });
  Object.defineProperty(r, 'type', { value: 'opaqueredirect' });
  Object.defineProperty(r, 'status', { value: 0 });
  return r;
}

interface Seen {
  path: string;
  method: string;
  redirect: RequestRedirect | undefined;
}

function portal(answer: (path: string, method: string) => Response) {
  const seen: Seen[] = [];
  const sessions: boolean[] = [];
  const fetch: FetchLike = async (url, init) => {
    const path = new URL(url).pathname;
    const method = init.method ?? 'GET';
    seen.push({ path, method, redirect: init.redirect });
    return answer(path, method);
  };
  const client = new PortalClient({
    origin: ORIGIN,
    fetch,
    sleep: async () => {},
    onSession: (signedIn) => sessions.push(signedIn),
  });
  return { client, seen, sessions };
}

describe('PortalClient: a signed-out session in every shape', () => {
  it.each(SHAPES)('%s: reads, cancels and the session read all say signed-out', async (shape) => {
    const { client, seen, sessions } = portal(() => answerFor(shape));
    expect(await client.session()).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(await client.courses()).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(await client.learnerInvites('l-1')).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(sessions).not.toContain(true);
    expect(sessions).toContain(false);
    // Nothing is followed: every request asked not to be redirected, and none went to /login.
    expect(seen.every((s) => s.redirect === 'manual')).toBe(true);
    expect(seen.some((s) => s.path === '/login')).toBe(false);
  });

  it('a browser’s opaque redirect reads as signed-out too', async () => {
    const { client, sessions } = portal(() => opaqueRedirect());
    expect(await client.courses()).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
    expect(sessions).toEqual(expect.not.arrayContaining([true]));
  });

  it.each(SHAPES)(
    '%s on a cancel after the session was read: signed-out, the cancel sent once',
    async (shape) => {
      let ended = false;
      const { client, seen } = portal((path) => {
        if (ended) return answerFor(shape);
        return path === '/api/session' ? json(200, SESSION) : json(200, { items: [] });
      });
      expect((await client.courses()).ok).toBe(true);
      expect((await client.session()).ok).toBe(true);
      ended = true;
      expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind: 'signed-out' } });
      expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    },
  );

  it('an answer of another shape on the session read is read again before it means signed out', async () => {
    let n = 0;
    // One corrupt answer (a passing fault), then the real session.
    const { client } = portal(() => (n++ === 0 ? answerFor('html200') : json(200, SESSION)));
    expect(await client.session()).toMatchObject({ ok: true });
  });
});

describe('PortalClient: doubtful answers with a valid session keep their own errors', () => {
  const signedIn = (other: Response) =>
    portal((path) => (path === '/api/session' ? json(200, SESSION) : other.clone()));

  it.each([
    ['a web page with 200', 'malformed', answerFor('html200')],
    ['JSON of another shape', 'malformed', answerFor('json-other')],
    ['a redirect', 'malformed', answerFor('redirect')],
    ['a 403 page', 'forbidden', answerFor('forbidden403')],
    ['a 403 forbidden', 'forbidden', answerFor('forbidden403-json')],
  ])('%s on a cancel reads as %s after a session read', async (_what, kind, answer) => {
    const { client, seen, sessions } = signedIn(answer);
    expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind } });
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    expect(seen.filter((s) => s.path === '/api/session').length).toBeGreaterThanOrEqual(1);
    expect(sessions).not.toContain(false);
  });

  it('a 403 csrf is never taken for a sign-out', async () => {
    const { client, sessions } = signedIn(json(403, { error: 'csrf' }));
    expect(await client.cancel('i-1')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(sessions).not.toContain(false);
  });
});
