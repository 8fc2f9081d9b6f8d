/** Sign-in sessions (cookie `portal_session`) and the CSRF / Origin rules for mutating requests. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Manager } from './data';
import { parseCookies } from './http';

export interface Session {
  id: string;
  csrf: string;
  manager: Manager;
  /** /api/ requests counted towards sessionExpiryAfter. */
  used: number;
}

export class Sessions {
  private readonly byId = new Map<string, Session>();

  create(manager: Manager): Session {
    const s: Session = {
      id: randomBytes(18).toString('base64url'),
      csrf: randomBytes(18).toString('base64url'),
      manager,
      used: 0,
    };
    this.byId.set(s.id, s);
    return s;
  }

  /** The request's session; null when it has none or it has ended. */
  of(req: IncomingMessage): Session | null {
    const id = parseCookies(req.headers.cookie).get('portal_session');
    return (id && this.byId.get(id)) || null;
  }

  end(s: Session): void {
    this.byId.delete(s.id);
  }

  /** Ends every session (or only one manager's); answers how many ended. */
  endAll(managerEmail?: string): number {
    let n = 0;
    for (const s of [...this.byId.values()]) {
      if (managerEmail !== undefined && s.manager.email !== managerEmail) continue;
      this.byId.delete(s.id);
      n++;
    }
    return n;
  }

  /** Restarts every session's count towards sessionExpiryAfter. */
  resetUse(): void {
    for (const s of this.byId.values()) s.used = 0;
  }

  get size(): number {
    return this.byId.size;
  }
}

export const cookieFor = (s: Session) => `portal_session=${s.id}; HttpOnly; SameSite=Lax; Path=/`;
export const CLEAR_COOKIE = 'portal_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0';

/** True when an Origin header is present and is not the portal's own (as Rails and Django refuse). */
export function foreignOrigin(req: IncomingMessage): boolean {
  const o = req.headers.origin;
  return o !== undefined && o !== `http://${req.headers.host ?? ''}`;
}

/** A mutating request carries the session's token and no foreign Origin. */
export function csrfOk(req: IncomingMessage, s: Session): boolean {
  return req.headers['x-csrf-token'] === s.csrf && !foreignOrigin(req);
}
