/**
 * Reclaim in French, end to end: Chromium started in French (`--lang=fr`) shows the in-page
 * controls on both portal tables and the toolbar popup in French, and this test saves what it
 * looks like for the README (docs/reclaim-fr.png, the Usage tab; docs/reclaim-fr-popup.png).
 *
 * The words expected are not copied here: they are read from the French catalogue
 * (public/_locales/fr) and made by Reclaim's own formatting (formatCountdown, with the test's
 * i18n in French), so the test keeps holding as more of the catalogue is translated, and checks
 * more of it: every translated phrase found on a surface is reported by `phrasesOn`.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCountdown, isExpired } from '../../src/shared/expiry';
import { type Catalogue, catalogue, installI18n } from '../i18n';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { openPopupRead } from './popup-helpers';
import { type ReclaimUi, reclaimUi } from './reclaim-world';

const en = catalogue('en');
const fr = catalogue('fr');

/**
 * The keys whose French words appear in `texts`: each message with its substitutions as
 * wildcards, counted only where French differs from English and has words of its own.
 */
function phrasesOn(texts: string[], french: Catalogue = fr): string[] {
  const all = texts.join('\n');
  return Object.keys(french).filter((key) => {
    const message = french[key]?.message ?? '';
    if (message === en[key]?.message || message.replace(/\$[1-9]/g, '').replace(/\W/g, '').length < 4)
      return false;
    const pattern = message
      .split(/\$[1-9]/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+?');
    return new RegExp(pattern, 'u').test(all);
  });
}

/** The French countdown of an invite, read between `before` and `after` (either is right). */
function countdownsBetween(sentAt: string, before: number, after: number): string[] {
  return [formatCountdown(sentAt, before), formatCountdown(sentAt, after)];
}

let r: Reclaim;
let pending: Invite[];

beforeAll(async () => {
  installI18n('fr');
  r = await launchReclaim({ lang: 'fr' });
  pending = await r.sim.invites({ status: 'pending' });
  mkdirSync('docs', { recursive: true });
});

afterAll(async () => {
  installI18n('en');
  await r?.close();
});

/** Opens a portal page and waits until Reclaim's bar has counted and its rows show countdowns. */
async function withControls(url: string, body: (page: Page, ui: ReclaimUi) => Promise<void>) {
  const page = await r.context.newPage();
  await page.goto(url);
  const ui = await reclaimUi(page);
  try {
    await ui.drawn();
    await body(page, ui);
  } finally {
    await ui.detach();
    await page.close();
  }
}

/** Every pending row's countdown is Reclaim's French one; the hosts say they are French. */
async function expectFrenchRows(ui: ReclaimUi): Promise<void> {
  const before = Date.now();
  const seen = await ui.page();
  const after = Date.now();
  const counted = seen.rows.filter((row) => pending.some((i) => i.id === row.inviteId));
  expect(counted.length).toBeGreaterThan(0);
  for (const row of counted) {
    const invite = pending.find((i) => i.id === row.inviteId) as Invite;
    expect(countdownsBetween(invite.sentAt, before, after), `row ${row.inviteId}`).toContain(row.note);
  }
  const texts = [
    ...seen.rows.flatMap((row) => [row.note, row.inviteNote, row.status ?? '']),
    ...[seen.bar.main, seen.bar.msg, seen.bar.seats].map((t) => t ?? ''),
    ...(await ui.buttons()).map((b) => b.label),
  ];
  expect(phrasesOn(texts)).toContain('countdownExpires');
  const langs = (await ui.hosts()).map((h) => h.lang);
  expect(new Set(langs)).toEqual(new Set([fr.locale?.message]));
}

describe('Reclaim in French', () => {
  it('the controls on a course’s Usage tab are in French', async () => {
    const course = pending[0]?.course.id;
    await withControls(
      `${r.portal.url}/manager/licenses/${course}/distribute?tab=usage`,
      async (page, ui) => {
        await expectFrenchRows(ui);
        await page.screenshot({ path: 'docs/reclaim-fr.png', fullPage: true });
      },
    );
  });

  it('the controls on a learner’s Invite History are in French', async () => {
    const learner = pending[0]?.learner.id;
    await withControls(`${r.portal.url}/manager/learners/${learner}?tab=invite-history`, (_, ui) =>
      expectFrenchRows(ui),
    );
  });

  it('the popup is in French', async () => {
    const p = await openPopupRead(r);
    await p.setViewportSize({ width: 400, height: 600 });
    expect(await p.evaluate(() => document.documentElement.lang)).toBe(fr.locale?.message);

    // Each course's soonest expiry, in Reclaim's French words for the time left ("dans 9 heures"),
    // however the line around them is worded.
    const before = Date.now();
    const soonest = await p.$$eval('li[data-course-id]', (items) =>
      items.map((li) => ({
        course: li.getAttribute('data-course-id') ?? '',
        text: li.querySelector('[data-testid="soonest"]')?.textContent ?? null,
      })),
    );
    const after = Date.now();
    const shown = soonest.filter((s) => s.text !== null);
    expect(shown.length).toBeGreaterThan(0);
    const [lead = '', tail = ''] = fr.countdownExpires?.message.split('$1') ?? [];
    for (const { course, text } of shown) {
      const first = pending
        .filter((i) => i.course.id === course && !isExpired(i.sentAt, after))
        .sort((a, b) => a.sentAt.localeCompare(b.sentAt))[0] as Invite;
      const left = countdownsBetween(first.sentAt, before, after).map((w) => {
        expect(w.startsWith(lead) && w.endsWith(tail), w).toBe(true);
        return w.slice(lead.length, w.length - tail.length);
      });
      expect(
        left.some((w) => text?.includes(w)),
        `${text} says ${left[0]}`,
      ).toBe(true);
    }

    const texts = await p.evaluate(() => [
      // biome-ignore lint/performance/useDomNodeTextContent: what the popup shows, not what it holds
      document.body.innerText,
      ...[...document.querySelectorAll('[aria-label], [title], [placeholder]')].map((el) =>
        ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? '').join('\n'),
      ),
    ]);
    expect(phrasesOn(texts).length, texts[0]).toBeGreaterThan(0);
    await p.screenshot({ path: 'docs/reclaim-fr-popup.png', fullPage: true });
    await p.close();
  });
});
