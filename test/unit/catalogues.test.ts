/**
 * The two catalogues (public/_locales) say the same things: the same keys, the same positional
 * substitutions in each message, every counted phrase with the forms its language needs, and the
 * manifest's words within the stores' limits. src/shared/i18n.ts states the rules.
 */
import { describe, expect, it } from 'vitest';
import { type Catalogue, catalogue, LANGUAGES } from '../i18n';

const cats = Object.fromEntries(LANGUAGES.map((l) => [l, catalogue(l)])) as Record<string, Catalogue>;
const en = catalogue('en');
const subsOf = (message: string): number[] =>
  [...new Set([...message.matchAll(/\$([1-9])/g)].map((m) => Number(m[1])))].sort();
/** A counted phrase's forms, by name: `pendingInvites` -> one, other. */
const FORM = /^(.+)_(zero|one|two|few|many|other)$/;

describe('the catalogues', () => {
  it('has the same keys in every language', () => {
    for (const lang of LANGUAGES) {
      // A form a language has that English has not (French "many") is that language's own.
      const keys = Object.keys(cats[lang] ?? {}).filter((k) => !(FORM.exec(k) && !(k in en)));
      expect(keys.sort(), lang).toEqual(Object.keys(en).sort());
    }
  });

  it('keeps each catalogue sorted by key, so additions from different areas do not collide', () => {
    for (const lang of LANGUAGES) {
      const keys = Object.keys(cats[lang] ?? {});
      expect(keys, lang).toEqual([...keys].sort((a, b) => a.localeCompare(b, 'en')));
    }
  });

  it('uses the same positional substitutions in a message in every language', () => {
    for (const lang of LANGUAGES) {
      for (const [key, { message }] of Object.entries(cats[lang] ?? {})) {
        const english = en[key] ?? en[key.replace(FORM, '$1_other')];
        expect(english, `${lang} ${key}`).toBeDefined();
        expect(subsOf(message), `${lang} ${key}: ${message}`).toEqual(subsOf(english?.message ?? ''));
      }
    }
  });

  it('gives every counted phrase the forms its language distinguishes, with the count in it', () => {
    for (const lang of LANGUAGES) {
      const forms = new Set(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
      const names = new Set(Object.keys(cats[lang] ?? {}).flatMap((k) => FORM.exec(k)?.[1] ?? []));
      for (const name of names) {
        for (const form of ['one', 'other'] as const) {
          if (!forms.has(form)) continue;
          const entry = cats[lang]?.[`${name}_${form}`];
          expect(entry, `${lang} ${name}_${form}`).toBeDefined();
          expect(entry?.message, `${lang} ${name}_${form}`).toContain('$1');
        }
      }
    }
  });

  it('writes messages with positional substitutions only (no named placeholders), never empty', () => {
    for (const lang of LANGUAGES) {
      for (const [key, entry] of Object.entries(cats[lang] ?? {})) {
        expect(
          Object.keys(entry).filter((k) => k !== 'message' && k !== 'description'),
          `${lang} ${key}`,
        ).toEqual([]);
        expect(entry.message.trim(), `${lang} ${key}`).not.toBe('');
        expect(entry.message, `${lang} ${key}`).not.toMatch(/\$[A-Za-z_]/);
      }
    }
  });

  it("keeps the manifest's name and description within the stores' limits", () => {
    for (const lang of LANGUAGES) {
      expect(cats[lang]?.extName?.message.length, lang).toBeLessThanOrEqual(45);
      expect(cats[lang]?.extDescription?.message.length, lang).toBeLessThanOrEqual(132);
      expect(cats[lang]?.locale?.message, lang).toBe(lang);
    }
  });
});
