/**
 * The demo: the reference portal with its seeded demo data, and Chromium with Reclaim loaded.
 *
 * With a display ($DISPLAY set) Chromium opens in a window, signed in, on Jane Doe's Invite
 * History. Without one it runs headless, walks the two tab pages and the popup, saves
 * screenshots and prints where. Either way the portal stays up for you to explore until
 * Ctrl-C, unless --once is given.
 *
 *   npm run demo [-- --port 4310] [--headless] [--once] [--lang fr]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { t } from '../src/shared/i18n';
import { launchExtensionContext, MANAGER, signInPage } from '../test/e2e/harness';
import { untilAllRead } from '../test/e2e/popup-helpers';
import { installI18n, LANGUAGES, type Language } from '../test/i18n';
import { startPortal } from '../test/portal/server';
import { simClient } from '../test/portal/sim-client';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

const headless = flag('headless') || !process.env.DISPLAY;
const once = flag('once');
/** The browser's language, and so Reclaim's: English unless given (`--lang fr`). */
const lang = option('lang', 'en') as Language;
if (!LANGUAGES.includes(lang))
  throw new Error(`--lang: Reclaim speaks ${LANGUAGES.join(' and ')}, not "${lang}"`);
// The words the walk looks for, in the language Reclaim shows.
installI18n(lang);
const shots = resolve(option('out', '.artifacts/demo'));

async function startOnPort(port: number) {
  try {
    return await startPortal({ port, sim: true, data: { preset: 'demo', seed: 1 }, quiet: true });
  } catch {
    return startPortal({ port: 0, sim: true, data: { preset: 'demo', seed: 1 }, quiet: true });
  }
}

async function main() {
  const portal = await startOnPort(Number(option('port', '4310')));
  console.log(`portal: reference portal with seeded demo data at ${portal.url}`);
  console.log(`portal: sign in as ${MANAGER.email} / ${MANAGER.password}`);
  const sim = simClient(portal.url);
  const all = await sim.invites();
  const jane = all.find((i) => i.learner.name === 'Jane Doe') ?? all[0];
  const byCourse = new Map<string, number>();
  for (const i of all)
    if (i.status === 'pending' || i.status === 'accepted')
      byCourse.set(i.course.id, (byCourse.get(i.course.id) ?? 0) + 1);
  const bigCourse = [...byCourse.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'c-1';

  const { context, extensionId } = await launchExtensionContext({ headless, lang });
  console.log(
    `chromium: ${headless ? 'headless' : 'in a window'}, in ${lang}, Reclaim loaded as chrome-extension://${extensionId}`,
  );
  const page = context.pages()[0] ?? (await context.newPage());
  await signInPage(page, portal.url);
  console.log('chromium: signed in to the portal');

  const learnerUrl = `${portal.url}/manager/learners/${jane?.learner.id}?tab=invite-history`;
  const usageUrl = `${portal.url}/manager/licenses/${bigCourse}/distribute?tab=usage`;

  if (headless) {
    mkdirSync(shots, { recursive: true });
    const shoot = async (p: Page, name: string, what: string) => {
      const file = `${shots}/${name}.png`;
      await p.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${what} -> ${file}`);
    };
    await page.goto(learnerUrl);
    await page.locator('table[data-table="invite-history"] tr[data-invite-id]').first().waitFor();
    await page.waitForTimeout(800);
    await shoot(page, '1-invite-history', `${jane?.learner.name}'s Invite History with Reclaim's controls`);
    await page.goto(usageUrl);
    await page.locator('table[data-table="usage"] tr[data-invite-id]').first().waitFor();
    await page.waitForTimeout(800);
    await shoot(page, '2-usage', `Usage tab of course ${bigCourse} with Revoke and Revoke all`);
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
    await untilAllRead(popup);
    await popup.waitForTimeout(300);
    await shoot(popup, '3-popup', 'the toolbar popup: pending invites and reclaimable seats per course');
    // A revoke in its Undo window, then undone with Escape: nothing is sent to the portal.
    await popup.locator('button.revoke:not([disabled])').click();
    await popup.getByTestId('undo-countdown').waitFor();
    await shoot(popup, '4-popup-undo', 'the popup in a revoke’s Undo window (undone right after)');
    await popup.keyboard.press('Escape');
    await popup.getByText(t('popupRevokeUndone')).waitFor();
  } else {
    await page.goto(learnerUrl);
    console.log(`chromium: showing ${learnerUrl}`);
  }

  if (once) {
    await context.close();
    await portal.close();
    console.log('demo: done (--once)');
    return;
  }
  console.log(`demo: running. Explore ${portal.url} (Ctrl-C to stop).`);
  const stop = async () => {
    await context.close().catch(() => {});
    await portal.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  context.on('close', stop);
}

main().catch((err) => {
  console.error(`demo: failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
