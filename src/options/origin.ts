/** Checks what the manager typed as a portal address: an https origin, nothing more. */
import { DEFAULT_ORIGINS } from '../shared/build';

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

export function parseOrigin(input: string): OriginCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, error: 'Type your portal’s address, for example https://learn.example.com.' };
  if (raw.includes('*')) return { ok: false, error: 'Use one exact address; wildcards are not allowed.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: 'That is not a web address.' };
  }
  if (url.protocol !== 'https:') return { ok: false, error: 'Only https:// addresses can be added.' };
  if (url.username || url.password) return { ok: false, error: 'Leave out any user name or password.' };
  // Only the origin: "https://host[:port]" with at most a trailing slash.
  const rest = withScheme.replace(/^https:\/\/[^/?#]+/i, '');
  if (rest !== '' && rest !== '/') {
    return { ok: false, error: `Only the address of the site, without a path: ${url.origin}` };
  }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    return { ok: false, error: 'Use the full host name, for example learn.example.com.' };
  }
  return { ok: true, origin: url.origin };
}

export const isBuiltIn = (origin: string): boolean => DEFAULT_ORIGINS.includes(origin);

/** The host-permission pattern for one origin. */
export const originPattern = (origin: string): string => `${origin}/*`;
