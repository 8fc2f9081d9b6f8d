/**
 * axe-core over every surface of Reclaim, in each language it speaks and each colour scheme:
 * the options page, the popup, and the in-page controls on both portal tables (a learner's
 * Invite History, a course's Usage tab). Chromium is started in the language (`--lang`, and the
 * pages' locale) and the scheme is emulated.
 *
 * On the portal's pages only Reclaim's own hosts are judged (the reference portal's markup is not
 * ours), with axe run in Reclaim's content-script world so that it walks our closed shadow roots.
 * The in-page controls follow the page, not the OS: "dark" there is a portal drawn dark (its own
 * dark style, given here for `prefers-color-scheme: dark`, as a portal with a dark theme has).
 *
 * Every check also asserts how much axe found right, and that colour contrast was among it: a run
 * over nothing, or over hidden controls only, cannot pass.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n';
import type { Invite } from '../portal/types';
import type { AxeVerdict } from './axe-verdict';
import { axeVerdict } from './axe-verdict';
import { launchReclaim, type Reclaim } from './harness';
import { openPopupRead } from './popup-helpers';
import { reclaimUi } from './reclaim-world';

const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

/** The portal's own dark theme: a dark page, the portal's boxes see-through over it. */
const DARK_PORTAL = `@media (prefers-color-scheme: dark) {
  html { background: #16181d !important; color: #e6e6e6 !important; }
  body, body *:not([data-reclaim]) { background-color: transparent !important; color: inherit !important; }
}`;

/** What axe must have found right at least, on a surface with a handful of controls. */
const MIN_PASSED = 10;

function expectClean(verdict: AxeVerdict, what: string): void {
  expect(verdict.violations, what).toEqual([]);
  expect(verdict.passedNodes, `${what}: elements axe found right`).toBeGreaterThanOrEqual(MIN_PASSED);
  // Contrast was judged, and so were buttons (on the portal's pages, only inside our roots).
  expect(verdict.passedRules, `${what}: contrast checked`).toContain('color-contrast');
  expect(verdict.passedRules, `${what}: buttons checked`).toContain('button-name');
}

describe.each(LANGUAGES)('Chromium in %s', (lang) => {
  let r: Reclaim;
  let portal: Page;
  let pending: Invite;

  beforeAll(async () => {
    r = await launchReclaim({ lang });
    const invites = await r.sim.invites({ status: 'pending' });
    const first = invites[0];
    if (!first) throw new Error('no pending invite in the portal');
    pending = first;
    portal = await r.context.newPage();
    await portal.addInitScript((css) => {
      document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = css;
        document.head.append(style);
      });
    }, DARK_PORTAL);
  });

  afterAll(async () => {
    await r?.close();
  });

  /** Opens a portal page in `scheme`, waits for Reclaim's bar to have counted, and runs axe on ours. */
  async function ourControls(url: string, scheme: Scheme): Promise<AxeVerdict> {
    await portal.emulateMedia({ colorScheme: scheme });
    await portal.goto(url);
    const ui = await reclaimUi(portal);
    try {
      await ui.drawn();
      // Our hosts took the page's scheme: the dark check judges the dark colours.
      expect(new Set((await ui.hosts()).map((h) => h.scheme))).toEqual(new Set([scheme]));
      return await ui.axeOurs();
    } finally {
      await ui.detach();
    }
  }

  it.each(SCHEMES)('the options page, %s', async (scheme) => {
    const o = await r.openOptions();
    await o.emulateMedia({ colorScheme: scheme });
    await o.locator('li[data-origin]').first().waitFor();
    expectClean(await axeVerdict(o), `options, ${lang}, ${scheme}`);
    await o.close();
  });

  it.each(SCHEMES)('the popup, %s', async (scheme) => {
    const p = await openPopupRead(r);
    await p.emulateMedia({ colorScheme: scheme });
    expectClean(await axeVerdict(p), `popup, ${lang}, ${scheme}`);
    await p.close();
  });

  it.each(SCHEMES)('the controls on a course’s Usage tab, %s', async (scheme) => {
    const url = `${r.portal.url}/manager/licenses/${pending.course.id}/distribute?tab=usage`;
    expectClean(await ourControls(url, scheme), `Usage, ${lang}, ${scheme}`);
  });

  it.each(SCHEMES)('the controls on a learner’s Invite History, %s', async (scheme) => {
    const url = `${r.portal.url}/manager/learners/${pending.learner.id}?tab=invite-history`;
    expectClean(await ourControls(url, scheme), `Invite History, ${lang}, ${scheme}`);
  });
});
