/**
 * The browser's i18n API for code run outside a browser (unit and portal tests), over the real
 * catalogues in public/_locales, with Chrome's rules for positional substitutions ($1 to $9, "$$").
 * `installI18n('fr')` makes the code under test speak French, as a browser started in French would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Catalogue = Record<string, { message: string; description?: string }>;

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One language's catalogue, read from the project's root (where tests, the demo and benchmarks run). */
export function catalogue(lang: Language): Catalogue {
  return JSON.parse(readFileSync(join(process.cwd(), 'public', '_locales', lang, 'messages.json'), 'utf8'));
}

/** Chrome's getMessage over one catalogue: "" for an unknown key, as the browser gives. */
export function getMessage(messages: Catalogue, key: string, subs?: string | string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
  // Chrome ends a substitution at a NUL character, as a C string ends.
  const sub = (n: number): string => (list[n - 1] ?? '').split('\u0000')[0] ?? '';
  return entry.message.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : sub(Number(d))));
}

export function installI18n(lang: Language = 'en', uiLanguage: string = lang): void {
  const messages = catalogue(lang);
  const g = globalThis as { chrome?: Record<string, unknown> };
  g.chrome ??= {};
  g.chrome.i18n = {
    getMessage: (key: string, subs?: string | string[]) => getMessage(messages, key, subs),
    getUILanguage: () => uiLanguage,
  };
}
