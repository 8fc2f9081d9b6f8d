/**
 * E-mail addresses as managers paste them: from a spreadsheet column, a mail client's To line or
 * a list typed by hand. Entries are separated by new lines, commas or semicolons; an entry is an
 * address, or `Name <address>` (the name may be quoted, and a quoted name may hold commas); a
 * spreadsheet row pasted with its name column (cells separated by tabs) gives its address cell.
 *
 * What is accepted is stricter than the portal's own check (local@domain.tld, no spaces), so an
 * address Reclaim accepts is never refused by the portal as malformed; anything else comes back
 * with the reason, in words (the catalogues' `address…` keys), and is never sent. Pure but for
 * those words: the background plans from it, and the in-page reassign field checks one address
 * with it before asking anything.
 */
import { t } from './i18n';

export interface Address {
  /** The address as given, trimmed (its case kept: the portal names new learners by it). */
  email: string;
  /** The display name given with it, if any. */
  name: string | null;
}

export interface Malformed {
  /** The entry as pasted (trimmed, cut at 200 characters). */
  text: string;
  reason: string;
}

export interface AddressList {
  /** Well-formed addresses, each once (the first time it appears), in paste order. */
  addresses: Address[];
  malformed: Malformed[];
  /** Addresses given more than once: kept once, with how many times they appeared. */
  repeated: { email: string; times: number }[];
  /** Entries read (every non-empty one, good or bad). */
  entries: number;
}

/** The longest address the mail standards allow, and the longest part before the @. */
const MAX_LENGTH = 254;
const MAX_LOCAL = 64;
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^[A-Za-z0-9.-]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** The key two spellings of one address share: the portal matches addresses case-insensitively. */
export const addressKey = (email: string): string => email.trim().toLowerCase();

const shorten = (text: string): string => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

/** Why `email` (already cut out of any `Name <…>`) is not an address Reclaim sends, or null. */
export function addressProblem(email: string): string | null {
  if (email === '') return t('addressNone');
  if (/\s/.test(email)) return t('addressSpace');
  const at = email.split('@');
  if (at.length === 1) return t('addressNoAt');
  if (at.length > 2) return t('addressTwoAt');
  const [local = '', domain = ''] = at;
  if (local === '') return t('addressNoLocal');
  if (domain === '') return t('addressNoDomain');
  if (email.length > MAX_LENGTH) return t('addressLong', MAX_LENGTH);
  if (local.length > MAX_LOCAL) return t('addressLongLocal', MAX_LOCAL);
  const badLocal = LOCAL.test(local) ? undefined : [...local].find((ch) => !LOCAL.test(ch));
  if (badLocal) return t('addressBadChar', badLocal);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return t('addressDot');
  const labels = domain.split('.');
  if (labels.length < 2) return t('addressDomainDot', domain);
  const badDomain = DOMAIN.test(domain) ? undefined : [...domain].find((ch) => !DOMAIN.test(ch));
  if (badDomain) return t('addressBadDomainChar', badDomain);
  if (labels.some((l) => !LABEL.test(l))) return t('addressBadDomain', domain);
  if (!TLD.test(labels[labels.length - 1] ?? '')) return t('addressBadEnd', domain);
  return null;
}

/** One entry: an address, or `Name <address>`, or a spreadsheet row with an address cell. */
export function parseAddress(entry: string): Address | Malformed {
  const text = entry.trim();
  const bad = (reason: string): Malformed => ({ text: shorten(text), reason });
  if (text.includes('\t')) {
    // A spreadsheet row: its cells that hold an @ are the address (a name column has none).
    const cells = text.split('\t').filter((c) => c.includes('@'));
    if (cells.length === 1) return parseAddress(cells[0] as string);
    return bad(t(cells.length === 0 ? 'addressNoAt' : 'addressRowTwo'));
  }
  let name: string | null = null;
  let email = text;
  const open = text.indexOf('<');
  if (open >= 0 || text.includes('>')) {
    const m = /^([^<>]*)<([^<>]*)>$/.exec(text);
    if (!m) return bad(t('addressBrackets'));
    name =
      (m[1] ?? '')
        .trim()
        .replace(/^"(.*)"$/s, '$1')
        .trim() || null;
    email = (m[2] ?? '').trim();
  }
  email = email.replace(/^mailto:/i, '');
  const problem = addressProblem(email);
  return problem ? bad(problem) : { email, name };
}

/**
 * Splits a paste into entries: new lines always separate; commas and semicolons separate outside
 * double quotes and angle brackets. A comma-separated piece with no @ followed on the same line by
 * a `Name <address>` piece is the start of that name (`Doe, Jane <jane@example.com>`).
 */
export function splitEntries(text: string): string[] {
  /** Pieces, each with the separator that ended it. */
  const pieces: { text: string; sep: string }[] = [];
  let start = 0;
  let quoted = false;
  let bracket = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    const newLine = ch === 10 || ch === 13;
    if (newLine || ((ch === 44 || ch === 59) && !quoted && !bracket)) {
      // 44 ',' 59 ';'
      pieces.push({ text: text.slice(start, i), sep: newLine ? '\n' : (text[i] as string) });
      start = i + 1;
      if (newLine) quoted = bracket = false;
    } else if (ch === 34 && !bracket)
      quoted = !quoted; // '"'
    else if (ch === 60 && !quoted)
      bracket = true; // '<'
    else if (ch === 62 && !quoted) bracket = false; // '>'
  }
  pieces.push({ text: text.slice(start), sep: '\n' });
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as { text: string; sep: string };
    const next = pieces[i + 1];
    const surname = p.sep === ',' && p.text.trim() !== '' && !/[@<>]/.test(p.text);
    if (surname && next && next.text.indexOf('<') > 0 && next.text.trim().indexOf('<') > 0) {
      out.push(`${p.text},${next.text}`);
      i++;
    } else out.push(p.text);
  }
  return out.map((e) => e.trim()).filter((e) => e !== '');
}

/** A whole paste: well-formed addresses once each, the malformed ones with why, the repeats. */
export function parseAddressList(text: string): AddressList {
  const entries = splitEntries(text);
  const addresses: Address[] = [];
  const malformed: Malformed[] = [];
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const parsed = parseAddress(entry);
    if ('reason' in parsed) {
      malformed.push(parsed);
      continue;
    }
    const key = addressKey(parsed.email);
    const times = seen.get(key);
    seen.set(key, (times ?? 0) + 1);
    if (times === undefined) addresses.push(parsed);
  }
  const repeated: AddressList['repeated'] = [];
  for (const a of addresses) {
    const times = seen.get(addressKey(a.email)) ?? 1;
    if (times > 1) repeated.push({ email: a.email, times });
  }
  return { addresses, malformed, repeated, entries: entries.length };
}
