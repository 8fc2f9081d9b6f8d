/** Checks what the manager typed as a portal address: an https origin, nothing more. */
import { t } from '../shared/i18n';

type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

/** The address shown as an example, in the field and in the page's advice. */
export const EXAMPLE_ORIGIN = 'https://learn.example.com';

export function parseOrigin(input: string): OriginCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, error: t('optionsAddressMissing', EXAMPLE_ORIGIN) };
  if (raw.includes('*')) return { ok: false, error: t('optionsAddressWildcard') };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: t('optionsAddressInvalid') };
  }
  if (url.protocol !== 'https:') return { ok: false, error: t('optionsAddressNotHttps') };
  if (url.username || url.password) return { ok: false, error: t('optionsAddressCredentials') };
  // Only the origin: "https://host[:port]" with at most a trailing slash.
  const rest = withScheme.replace(/^https:\/\/[^/?#]+/i, '');
  if (rest !== '' && rest !== '/') {
    return { ok: false, error: t('optionsAddressPath', url.origin) };
  }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    return { ok: false, error: t('optionsAddressHost', new URL(EXAMPLE_ORIGIN).host) };
  }
  return { ok: true, origin: url.origin };
}
