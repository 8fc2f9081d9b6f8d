/**
 * Every word a person sees comes from the catalogues in public/_locales (English, the default,
 * and French) through the browser's i18n API, and this file is the one way to them. Keys are
 * checked by the compiler against the English catalogue; test/unit/catalogues.test.ts checks the
 * French one has the same keys, substitutions and plural forms.
 *
 * Catalogue rules: substitutions are positional ($1 to $9, "$$" for a dollar sign); a counted
 * phrase is a family of keys `<name>_one`, `<name>_other` (and `<name>_many`, where the language
 * has that form), chosen by `Intl.PluralRules`, with the count as $1.
 *
 * Numbers, dates, lists and countdowns are formatted in the catalogue's language, refined by the
 * browser's own where they agree (an en-GB browser gets English words and British dates; a
 * German one, English words and English dates, not a mix).
 */
import type en from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof en;
/** The name of a counted phrase: `tn('invites', 3)` picks `invites_one` or `invites_other`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}_other` ? B : never) : never;
type Sub = string | number;

interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

function api(): I18nApi {
  const i18n = (globalThis as { chrome?: { i18n?: I18nApi } }).chrome?.i18n;
  if (!i18n) throw new Error('The browser i18n API is missing: Reclaim runs only as an extension.');
  return i18n;
}

/** The language words and formats are in: the browser's, when the catalogue is in it, else the catalogue's. */
export function language(): string {
  const i18n = api();
  const catalogue = i18n.getMessage('locale') || 'en';
  const ui = i18n.getUILanguage();
  return ui.toLowerCase().split('-')[0] === catalogue ? ui : catalogue;
}

const formats = new Map<string, unknown>();
/** One formatter per language and kind, made once (they are costly to make and cheap to use). */
function formatter<T>(kind: string, make: (lang: string) => T): T {
  const lang = language();
  const id = `${kind}|${lang}`;
  let f = formats.get(id) as T | undefined;
  if (f === undefined) {
    f = make(lang);
    formats.set(id, f);
  }
  return f;
}

/** A count as the reader writes it: "1,250" / "1 250". */
export const num = (n: number): string =>
  formatter('num', (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 1 })).format(n);

const text = (s: Sub): string => (typeof s === 'number' ? num(s) : s);

/** The catalogue's words for `key`, numbers formatted for the reader. */
export function t(key: MessageKey, ...subs: Sub[]): string {
  return api().getMessage(key, subs.map(text)) || key;
}

/** A counted phrase: `tn('pendingInvites', 3)` gives "3 pending invites"; the count is $1, `subs` follow. */
export function tn(key: PluralKey, n: number, ...subs: Sub[]): string {
  const form = formatter('plural', (l) => new Intl.PluralRules(l)).select(n);
  const all = [num(n), ...subs.map(text)];
  return api().getMessage(`${key}_${form}`, all) || api().getMessage(`${key}_other`, all) || key;
}

/** "A, B and C" / "A, B et C". */
export const listOf = (items: readonly string[]): string =>
  formatter('list', (l) => new Intl.ListFormat(l, { type: 'conjunction' })).format(items);

/** "in 6 days", "5 hours ago" / "dans 6 jours", "il y a 5 heures". */
export const relative = (n: number, unit: Intl.RelativeTimeFormatUnit): string =>
  formatter('relative', (l) => new Intl.RelativeTimeFormat(l, { numeric: 'always' })).format(n, unit);

/** Date and time, e.g. "27 Nov, 17:05" / "27 nov., 17:05". */
export const dateTime = (ms: number): string =>
  formatter(
    'dateTime',
    (l) => new Intl.DateTimeFormat(l, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
  ).format(ms);

/** A time of day: "10:02". */
export const clock = (ms: number): string =>
  formatter('clock', (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' })).format(ms);
