/**
 * Portal origins every context agrees on: the built-in ones, the pattern that grants one, and
 * which concrete origins an allowed entry covers.
 * Only the development build has built-in origins: the loopback reference portal, on any port, so
 * its entries carry no port (see build.ts). The production build has none.
 */
import { DEV_BUILD, LOOPBACK_ORIGINS } from './build';

export const DEFAULT_ORIGINS: readonly string[] = DEV_BUILD ? LOOPBACK_ORIGINS : [];

/** Built-in origins are always allowed and cannot be removed (no permission to ask for). */
export const isBuiltInOrigin = (origin: string): boolean => DEFAULT_ORIGINS.includes(origin);

/**
 * The match pattern for one origin: its host permission and its content scripts' matches. It
 * names no port: Firefox's patterns never match a page when they name one, and without one both
 * browsers match every port of the host (the built-in loopback entries rely on it). The exact
 * origin, port included, is kept where it decides: the settings, the router and the header rule.
 */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * Whether a concrete portal origin (with its port) is one the manager allows.
 *
 * An allowed entry without an explicit port covers every port of that scheme and host, as the
 * browser's match patterns do: "http://127.0.0.1" covers the reference portal on any port.
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    let a: URL;
    try {
      a = new URL(entry);
    } catch {
      return false;
    }
    if (a.protocol !== url.protocol || a.hostname !== url.hostname) return false;
    return a.port === '' || a.port === url.port;
  });
}
