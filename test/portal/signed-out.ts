/**
 * How the API answers a call without a valid session (no cookie, an unknown one, or a session
 * that has ended), in each shape a web application might use (Faults.signedOut). README
 * "Signed-out shapes" documents each answer; signed-out.test.ts checks them.
 */
import { HTML_TYPE, JSON_TYPE } from './http';
import { renderPage } from './pages';
import type { SignedOutShape } from './types';

export interface RawAnswer {
  status: number;
  type: string;
  body: string;
  headers: Record<string, string>;
}

const json = (status: number, body: unknown): RawAnswer => ({
  status,
  type: JSON_TYPE,
  body: JSON.stringify(body),
  headers: {},
});

/** The sign-in page exactly as GET /login serves it to someone signed out. */
export const signInPage = () => renderPage({ kind: 'login', next: '', error: null }, null);

export function signedOutAnswer(shape: SignedOutShape): RawAnswer {
  switch (shape) {
    case 'json401':
      return json(401, { error: 'unauthenticated' });
    case 'redirect':
      return { status: 302, type: HTML_TYPE, body: '', headers: { Location: '/login' } };
    case 'html200':
      return { status: 200, type: HTML_TYPE, body: signInPage(), headers: {} };
    case 'forbidden403':
      return {
        status: 403,
        type: HTML_TYPE,
        body: renderPage({ kind: 'error', status: 403, message: 'Please sign in to continue.' }, null),
        headers: {},
      };
    case 'forbidden403-json':
      return json(403, { error: 'forbidden', message: 'Sign in to continue.' });
    case 'json-other':
      return json(200, { redirect: '/login' });
    case 'json-other-401':
      return json(401, { message: 'Session expired', redirect: '/login' });
  }
}
