/**
 * The popup's "Use Reclaim on <host>" (popup/EnableSite.tsx), over a fake browser side: shown
 * only where the tab's site can be enabled, the background told and the permission asked for
 * inside the click itself, and each outcome said; the toolbar menu item's outcome said too.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { EnableSite } from '../../../src/popup/EnableSite';
import type { SiteAccess } from '../../../src/popup/site-access';
import { t } from '../../../src/shared/i18n';
import type { Reply, Request } from '../../../src/shared/messages';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { SiteEnabled, SiteMenuResult } from '../../../src/shared/sites';
import { settle } from './fakes';

const SITE = 'https://acme.storefront.example';
const NOW = 1_700_000_000_000;

function fakeSite(opts: {
  url?: string;
  allowed?: string[];
  access?: boolean;
  grant?: boolean | Promise<boolean>;
  answer?: (n: number) => Reply<'origins.enable'>;
  menu?: SiteMenuResult | null;
}) {
  const calls: string[] = [];
  const sent: Request[] = [];
  const answer =
    opts.answer ??
    ((): Reply<'origins.enable'> => ({
      ok: true,
      value: { settings: DEFAULT_SETTINGS, on: true, wasOn: false, injected: true } satisfies SiteEnabled,
    }));
  const api: SiteAccess = {
    activeTab: async () => ({ id: 12, url: opts.url }),
    allowedOrigins: async () => opts.allowed ?? [...DEFAULT_SETTINGS.origins],
    hasAccess: async () => opts.access ?? false,
    request: (origin) => {
      calls.push(`request ${origin}`);
      return Promise.resolve(opts.grant ?? true);
    },
    send: (async (request: Request) => {
      calls.push(`send ${request.type}`);
      sent.push(request);
      return answer(sent.length);
    }) as SiteAccess['send'],
    watchMenuResult: (onValue) => {
      onValue(opts.menu ?? null);
      return () => {};
    },
  };
  return { api, calls, sent };
}

let root: HTMLElement;

async function mount(api: SiteAccess) {
  root = document.createElement('div');
  document.body.append(root);
  await act(() => {
    render(<EnableSite load={async () => api} now={() => NOW} />, root);
  });
  // The effects ran as act() ended: now the browser side loads and the tab is read.
  await act(() => settle());
}

const part = () => root.querySelector<HTMLElement>('[data-testid="enable-site"]');
const offerButton = () => root.querySelector<HTMLButtonElement>('[data-testid="enable-site"] button');
const status = () => root.querySelector('[role="status"]')?.textContent ?? null;

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('Use Reclaim on <host>', () => {
  it('is offered on an https site Reclaim does not work on', async () => {
    const { api } = fakeSite({ url: `${SITE}/manager/licenses` });
    await mount(api);
    expect(part()?.dataset.site).toBe('offer');
    expect(offerButton()?.textContent).toBe('Use Reclaim on acme.storefront.example');
    expect(root.querySelector('h2')?.textContent).toBe(
      'Reclaim does not work on acme.storefront.example yet',
    );
  });

  it('is not offered where Reclaim runs, on the browser’s pages, on plain http, or without an address', async () => {
    for (const [url, allowed, kind] of [
      [`${SITE}/x`, [SITE], 'on'],
      ['http://127.0.0.1:4310/manager/licenses', undefined, 'on'],
      ['chrome://extensions/', undefined, 'unsuitable'],
      ['http://acme.storefront.example/', undefined, 'unsuitable'],
      [undefined, undefined, 'unsuitable'],
    ] as const) {
      const { api } = fakeSite({ url, allowed: allowed ? [...allowed] : undefined, access: true });
      await mount(api);
      expect(part()?.dataset.site, String(url)).toBe(kind);
      expect(offerButton(), String(url)).toBeNull();
      expect(part()?.textContent, String(url)).toBe('');
      render(null, root);
      root.remove();
    }
  });

  it('one click tells the background, then asks the browser, both inside the click; then says it works', async () => {
    const { api, calls, sent } = fakeSite({
      url: `${SITE}/manager/learners/l-1`,
      // Before the browser answered: not yet; after: on, with the page's script started.
      answer: (n) => ({
        ok: true,
        value: { settings: DEFAULT_SETTINGS, on: n > 1, wasOn: false, injected: n > 1 },
      }),
    });
    await mount(api);
    await act(async () => {
      offerButton()?.click();
      // Nothing awaited yet: both happened in the click.
      expect(calls).toEqual(['send origins.enable', `request ${SITE}`]);
      await settle();
    });
    expect(sent).toEqual([
      { type: 'origins.enable', origin: SITE, tabId: 12 },
      { type: 'origins.enable', origin: SITE, tabId: 12 },
    ]);
    expect(status()).toBe(t('siteOnHere', 'acme.storefront.example'));
  });

  it('when the background already finished (access was held), asks it once', async () => {
    const { api, sent } = fakeSite({
      url: `${SITE}/dashboard`,
      answer: () => ({
        ok: true,
        value: { settings: DEFAULT_SETTINGS, on: true, wasOn: false, injected: false },
      }),
    });
    await mount(api);
    await act(async () => {
      offerButton()?.click();
      await settle();
    });
    expect(sent).toHaveLength(1);
    expect(status()).toBe(t('siteOnThere', 'acme.storefront.example'));
  });

  it('says so when the browser does not allow it, and keeps the offer', async () => {
    const { api, sent } = fakeSite({ url: `${SITE}/`, grant: false });
    await mount(api);
    await act(async () => {
      offerButton()?.click();
      await settle();
    });
    expect(sent).toHaveLength(1);
    expect(status()).toBe(t('siteNotGranted', 'acme.storefront.example'));
    expect(offerButton()?.disabled).toBe(false);
  });

  it('says why when the background refuses', async () => {
    const { api } = fakeSite({
      url: `${SITE}/`,
      answer: () => ({ ok: false, error: { kind: 'bad-request', message: 'Duplicate script ID' } }),
    });
    await mount(api);
    await act(async () => {
      offerButton()?.click();
      await settle();
    });
    expect(status()).toBe(t('siteFailed', 'acme.storefront.example', 'Duplicate script ID'));
  });

  it('says what the toolbar menu item did, for a couple of minutes', async () => {
    const fresh = fakeSite({
      url: 'chrome://extensions/',
      menu: { at: NOW - 5_000, outcome: 'unsuitable', why: 'not-web' },
    });
    await mount(fresh.api);
    expect(part()?.textContent).toContain(t('siteMenu'));
    expect(part()?.textContent).toContain(t('siteNotWeb'));
    render(null, root);
    root.remove();

    const old = fakeSite({
      url: 'chrome://extensions/',
      menu: { at: NOW - 10 * 60_000, outcome: 'on', host: 'x.example', wasOn: false, injected: false },
    });
    await mount(old.api);
    expect(part()?.textContent).toBe('');
  });
});
