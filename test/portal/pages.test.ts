import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedInContext } from './browser';
import { type Booted, boot } from './helpers';
import { startPortal } from './server';

let p: Booted;

beforeAll(async () => {
  p = await boot();
});
afterAll(() => p.close());

const page = (path: string, init: RequestInit = {}) =>
  fetch(`${p.url}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { cookie: p.api.cookie, ...init.headers },
  });

describe('sign-in', () => {
  it('redirects a signed-out page load to /login?next=...', async () => {
    const r = await fetch(`${p.url}/manager/licenses/c-2/distribute?tab=usage`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/manager/licenses/c-2/distribute?tab=usage')}`,
    );
    const login = await fetch(`${p.url}/login`);
    const html = await login.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toContain('<meta name="csrf-token"');
  });

  it('sets portal_session HttpOnly, SameSite=Lax, Path=/ and redirects to next', async () => {
    const r = await fetch(`${p.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'manager@example.test',
        password: 'demo',
        next: '/manager/licenses',
      }).toString(),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/manager/licenses');
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^portal_session=[^;]+; HttpOnly; SameSite=Lax; Path=\/$/);
  });

  it('refuses a wrong password and an off-site next', async () => {
    const bad = await fetch(`${p.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'manager@example.test', password: 'nope' }).toString(),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const offsite = await fetch(`${p.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'manager@example.test',
        password: 'demo',
        next: '//evil.example/x',
      }).toString(),
    });
    expect(offsite.headers.get('location')).toBe('/manager/learners');
  });
});

describe('page shells', () => {
  it.each([
    ['/manager/learners', 'learners', ['Manage Learners', 'Manage Licenses', 'Sign out']],
    ['/manager/learners/l-1?tab=invite-history', 'invite-history', ['Details', 'Invite History', 'Jane Doe']],
    ['/manager/licenses', 'licenses', ['Manage Licenses']],
    [
      '/manager/licenses/c-2/distribute?tab=usage',
      'usage',
      ['Invites', 'Enrolment Keys', 'Usage', 'First Aid at Work'],
    ],
  ])('%s carries the CSRF meta, the manager, its table and tabs', async (path, table, texts) => {
    const r = await page(path);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await r.text();
    expect(html).toContain(`<meta name="csrf-token" content="${p.api.csrfToken}">`);
    expect(html).toContain(`<table class="grid" data-table="${table}">`);
    expect(html).toContain('Morgan Ellis');
    for (const t of texts) expect(html).toContain(t);
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
  });

  it('links tabs to their URLs and shows only the current panel', async () => {
    const html = await (await page('/manager/licenses/c-1/distribute?tab=usage')).text();
    expect(html).toContain('href="/manager/licenses/c-1/distribute?tab=invites"');
    expect(html).toContain('href="/manager/licenses/c-1/distribute?tab=keys"');
    expect(html).toMatch(/data-panel="usage">/);
    expect(html).toMatch(/data-panel="invites" hidden>/);
  });

  it('answers 404 for unknown pages and ids, 405 for a wrong method', async () => {
    expect((await page('/manager/learners/l-99999')).status).toBe(404);
    expect((await page('/manager/licenses/c-99/distribute')).status).toBe(404);
    expect((await page('/no/such/page')).status).toBe(404);
    expect((await page('/manager/licenses', { method: 'POST' })).status).toBe(405);
    expect((await page('/login', { method: 'DELETE' })).status).toBe(405);
  });

  it('serves its own script modules and stylesheet, and the script never uses innerHTML', async () => {
    const js = await page('/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const code = await js.text();
    expect(code).toContain('__portal');
    const imports = [...code.matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const file of ['app.js', 'api.js', 'dom.js', 'invite-tables.js', 'table-markup.js']) {
      const res = await page(`/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(await res.text()).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write/);
    }
    expect((await page('/assets/portal.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect((await page('/assets/nothing.js')).status).toBe(404);
    expect((await page('/assets/../server.js')).status).toBe(404);
  });
});

describe('without simulation controls', () => {
  it('answers 404 under /__sim/ and still serves the portal', async () => {
    const bare = await startPortal({ sim: false, quiet: true });
    try {
      expect((await fetch(`${bare.url}/__sim/state`)).status).toBe(404);
      expect((await fetch(`${bare.url}/__sim/reset`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${bare.url}/login`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('in Chromium', () => {
  it('renders Usage rows with the hooks, pages with pushState and cancels through its own dialog', async () => {
    await p.sim.reset({ preset: 'demo', seed: 1 });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${p.url}/manager/licenses/c-2/distribute?tab=usage`);
      await tab.fill('input[name=email]', 'manager@example.test');
      await tab.fill('input[name=password]', 'demo');
      await tab.click('button[type=submit]');
      const rows = tab.locator('table[data-table="usage"] tr[data-invite-id]');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(25);
      const first = rows.first();
      for (const col of ['learner', 'sent', 'status', 'progress', 'actions']) {
        expect(await first.locator(`td[data-col="${col}"]`).count()).toBe(1);
      }
      const iso = await first.locator('td[data-col="sent"] time').getAttribute('datetime');
      expect(Number.isNaN(Date.parse(iso ?? ''))).toBe(false);
      const accepted = tab.locator('tr[data-invite-id]', {
        has: tab.locator('td[data-col="status"]', { hasText: /^accepted$/ }),
      });
      expect(await accepted.first().locator('button').isDisabled()).toBe(true);

      await tab.evaluate(() => Object.assign(window, { __sameDocument: true }));
      const page1 = await rows.first().getAttribute('data-invite-id');
      await tab.click('button[data-page="next"]');
      await tab.waitForURL(/[?&]page=2/);
      await tab.waitForFunction(
        (id) => document.querySelector('tr[data-invite-id]')?.getAttribute('data-invite-id') !== id,
        page1,
      );
      expect(
        await tab.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      await tab.goBack();
      await tab.waitForFunction(
        (id) => document.querySelector('tr[data-invite-id]')?.getAttribute('data-invite-id') === id,
        page1,
      );

      const target = tab.locator('tr[data-invite-id]', { has: tab.locator('button.highlighted') }).first();
      const targetId = (await target.getAttribute('data-invite-id')) ?? '';
      await target.locator('button.highlighted').click();
      await expect(tab.locator('[role=dialog]').textContent()).resolves.toContain(
        'Cancel this invite? The licence returns to your pool.',
      );
      await tab.click('[role=dialog] >> text=Cancel invite');
      await tab.locator(`tr[data-invite-id="${targetId}"]`).waitFor({ state: 'detached' });
      const [entry] = (await p.sim.journal()).filter((e) => e.inviteId === targetId);
      expect(entry).toMatchObject({ applied: true, httpStatus: 200, origin: p.url });
      const renders = await tab.evaluate(() => window.__portal?.renderMs.length ?? 0);
      expect(renders).toBeGreaterThanOrEqual(4);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('the Invites tab’s send form, in Chromium', () => {
  it('sends what is typed in one request, shows the result and re-renders; refuses a bad list whole', async () => {
    await p.sim.reset({ preset: 'demo', seed: 1 });
    await p.sim.clearJournal();
    const held = (await p.sim.invites({ courseId: 'c-1', status: 'pending' }))[0];
    const browser = await launchChromium();
    try {
      const tab = await (await signedInContext(browser, p.url)).newPage();
      await tab.goto(`${p.url}/manager/licenses/c-1/distribute?tab=invites`);
      const result = tab.locator('[data-send-result]');
      const available = async () => Number(await tab.locator('[data-seat="available"]').textContent());
      const seats = await available();
      const send = async (text: string, state: string) => {
        await tab.fill('textarea[name=emails]', text);
        await tab.click('[data-send-form] button[type=submit]');
        await tab.locator(`[data-send-result][data-state="${state}"]`).waitFor();
      };

      await send('ok.one@example.test\nnot an address', 'error');
      expect(await result.textContent()).toBe(
        'These are not valid e-mail addresses: not an address. Nothing was sent.',
      );
      expect(await tab.inputValue('textarea[name=emails]')).toBe('ok.one@example.test\nnot an address');

      const renders = await tab.evaluate(() => window.__portal?.renders ?? 0);
      await send(`ok.one@example.test, ${held?.learner.email}; ok.two@example.test`, 'sent');
      expect(await result.textContent()).toBe(
        `2 invites sent. 1 already invited. ${seats - 2} licences left.`,
      );
      expect(await available()).toBe(seats - 2);
      expect(await tab.inputValue('textarea[name=emails]')).toBe('');
      expect(await tab.evaluate(() => window.__portal?.renders ?? 0)).toBeGreaterThan(renders);

      const tooMany = Array.from({ length: seats - 1 }, (_, i) => `more${i}@example.test`).join('\n');
      await send(tooMany, 'error');
      expect(await result.textContent()).toBe(
        `Not enough licences: ${seats - 1} new invite(s), ${seats - 2} licence(s) left in your pool. Nothing was sent.`,
      );
      const journal = await p.sim.inviteJournal();
      expect(journal.map((e) => [e.httpStatus, e.created.map((c) => c.email), e.origin])).toEqual([
        [400, [], p.url],
        [201, ['ok.one@example.test', 'ok.two@example.test'], p.url],
        [409, [], p.url],
      ]);

      // The Usage tab, reached without a page load, lists the new invites first.
      await tab.click('a[data-tab="usage"]');
      await tab.locator('tr[data-invite-id]').first().waitFor();
      const names = await tab.locator('td[data-col="learner"]').allTextContents();
      expect(names.slice(0, 2).sort()).toEqual(['ok.one@example.test', 'ok.two@example.test']);
    } finally {
      await browser.close();
    }
  });
});
