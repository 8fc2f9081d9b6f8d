/**
 * Which tab sites the popup offers to enable Reclaim on, and where the toolbar menu item can act
 * (shared/sites.ts): https sites Reclaim does not work on; never the browser's own pages, plain
 * http (other than the development build's loopback portal) or a site where Reclaim runs already.
 * Unit tests run as the development build, whose loopback portal is built in.
 */
import { describe, expect, it } from 'vitest';
import { siteOfTab, tabSite } from '../../src/shared/sites';

const ALLOWED = ['http://127.0.0.1', 'http://localhost', 'https://learn.example.com'];

describe('the site a tab shows', () => {
  it('offers an https site Reclaim does not work on, named by its host (port included)', () => {
    expect(tabSite('https://acme.storefront.example/manager/licenses', ALLOWED, false)).toEqual({
      kind: 'offer',
      origin: 'https://acme.storefront.example',
      host: 'acme.storefront.example',
    });
    expect(tabSite('https://learn.acme.test:8443/login?next=/x#y', ALLOWED, false)).toEqual({
      kind: 'offer',
      origin: 'https://learn.acme.test:8443',
      host: 'learn.acme.test:8443',
    });
  });

  it('does not offer a site Reclaim works on: allowed, with its access', () => {
    expect(tabSite('https://learn.example.com/manager/learners/l-1', ALLOWED, true).kind).toBe('on');
    // A port-less entry covers every port, as the router and the browser's patterns do.
    expect(tabSite('https://learn.example.com:8443/', ALLOWED, true).kind).toBe('on');
  });

  it('offers an allowed site again once the browser took its access back', () => {
    expect(tabSite('https://learn.example.com/', ALLOWED, false)).toMatchObject({ kind: 'offer' });
  });

  it('the loopback reference portal (development build) works on any port without asking', () => {
    expect(tabSite('http://127.0.0.1:4310/manager/licenses', ALLOWED, false).kind).toBe('on');
    expect(tabSite('http://localhost:9/', ALLOWED, false).kind).toBe('on');
    // Only if its built-in entry were missing from the settings would it be offered.
    expect(tabSite('http://127.0.0.1:4310/', ['https://learn.example.com'], false)).toMatchObject({
      kind: 'offer',
      origin: 'http://127.0.0.1:4310',
    });
  });

  it('never offers plain http, the browser’s or an extension’s pages, or a tab without an address', () => {
    const never: [string | undefined, string][] = [
      ['http://acme.storefront.example/manager/licenses', 'not-https'],
      ['http://127.0.0.2:4310/', 'not-https'],
      ['chrome://extensions/', 'not-web'],
      ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/src/popup/index.html', 'not-web'],
      ['moz-extension://0a1b2c3d-0000-4000-8000-000000000000/src/options/index.html', 'not-web'],
      ['about:blank', 'not-web'],
      ['file:///home/me/portal.html', 'not-web'],
      ['data:text/html,<p>hi</p>', 'not-web'],
      ['edge://settings', 'not-web'],
      // The browser gives no address for a tab Reclaim may not see (no activeTab grant).
      [undefined, 'no-address'],
      ['', 'no-address'],
      ['not a url', 'no-address'],
    ];
    for (const [url, why] of never) {
      expect(tabSite(url, ALLOWED, true), String(url)).toEqual({ kind: 'unsuitable', why });
      expect(siteOfTab(url), String(url)).toEqual({ ok: false, why });
    }
  });

  it('names the same origin the browser does (no path, credentials or default port)', () => {
    expect(siteOfTab('https://user:pw@Learn.Example.com:443/a/b')).toEqual({
      ok: true,
      origin: 'https://learn.example.com',
      host: 'learn.example.com',
    });
  });
});
