/**
 * The popup's overview in a browser started in French: the courses, the totals, the revoke
 * button, the header line, the watch note and the site offer speak French, with French plurals
 * (0 and 1 singular, 2 and more plural) and French typography (a no-break space before ":").
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootPopup } from '../../../src/popup/boot';
import { EnableSite } from '../../../src/popup/EnableSite';
import { freshnessLine } from '../../../src/popup/Freshness';
import type { SiteAccess } from '../../../src/popup/site-access';
import { watchWords } from '../../../src/popup/WatchNote';
import { installI18n } from '../../i18n';
import { course, fakeDeps, NOW, settle } from './fakes';
import { clickAndSettle, mountPopup, unmountPopups } from './mount';

const HOUR = 3600_000;
const NBSP = '\u00a0';
const ORIGIN = 'http://127.0.0.1:4310';

let root: HTMLElement;
const text = (sel: string) => root.querySelector(sel)?.textContent?.trim() ?? null;
const buttons = () => [...root.querySelectorAll('button')].map((b) => b.textContent?.trim());

beforeEach(() => installI18n('fr', 'fr-CA'));
afterEach(() => {
  unmountPopups();
  installI18n('en');
});

describe('the popup overview in French', () => {
  it('says the courses, the totals and the revoke button in French, plural only from 2', async () => {
    const f = fakeDeps({
      overview: {
        origin: ORIGIN,
        courses: [
          course('c-1', 'Sécurité incendie', 3, 5 * HOUR, 1),
          course('c-2', 'RGPD', 2, 10 * 24 * HOUR, 2),
          course('c-3', 'Accueil', 1, null, 0),
        ],
        fetchedAt: NOW - 7 * 60_000,
      },
    });
    f.handlers['overview.get'] = () => new Promise(() => {}); // still refreshing
    ({ root } = await mountPopup(f));

    expect(text('[data-testid="freshness"]')).toBe('Mis à jour il y a 7 minutes, recherche de changements…');
    expect(text('[role="tab"][aria-selected="true"]')).toBe('Invitations en attente');
    expect(buttons()).toContain('Journal d’audit');
    expect(root.querySelector('dl.totals')?.getAttribute('aria-label')).toBe('Ce que Révoquer retire');
    expect([...root.querySelectorAll('dt')].map((d) => d.textContent)).toEqual([
      'Invitations en attente',
      'Cours',
    ]);
    expect(text('[data-testid="total-pending"]')).toBe('3');

    const line = (id: string, what: string) => text(`[data-course-id="${id}"] [data-testid="${what}"]`);
    expect(line('c-1', 'pending')).toBe('3 invitations en attente');
    expect(line('c-3', 'pending')).toBe('1 invitation en attente');
    expect(line('c-1', 'seats')).toBe('révoquer libère 1 place');
    expect(line('c-2', 'seats')).toBe('révoquer libère 2 places');
    expect(line('c-3', 'seats')).toBe('révoquer libère 0 place'); // French 0 is singular
    expect(line('c-1', 'soonest')).toBe(`Première invitation${NBSP}: expire dans 5 heures`);
    expect(line('c-1', 'course-freshness')).toBe('mis à jour il y a 5 minutes');
    expect(root.querySelector('label[for="age-filter"]')?.textContent).toBe(
      'Seulement les invitations envoyées il y a plus de',
    );
    expect(root.querySelector('input.days')?.getAttribute('aria-label')).toBe('Nombre de jours');
    expect(buttons()).toContain('Tout décocher');
    expect(buttons()).toContain('Inviter et libérer des places');
    expect(buttons()).toContain('Révoquer 3 invitations en attente dans 3 cours');

    // Two courses unticked: one invite in one course left, both singular.
    await clickAndSettle(root.querySelector<HTMLElement>('#course-c-2'));
    await clickAndSettle(root.querySelector<HTMLElement>('#course-c-3'));
    expect(line('c-2', 'seats')).toBe('non inclus');
    expect(buttons()).toContain('Révoquer 1 invitation en attente dans 1 cours');
    expect(buttons()).toContain('Tout cocher');
  });

  it('says the age filter and the courses not read yet in French', async () => {
    const f = fakeDeps({
      settings: { minAgeDays: 7 },
      overview: {
        origin: ORIGIN,
        courses: [course('c-1', 'Sécurité incendie', 4, null, 2), course('c-2', 'RGPD', 1, null, 1, null)],
        fetchedAt: NOW - 7 * 60_000,
      },
    });
    f.handlers['overview.get'] = () => new Promise(() => {});
    ({ root } = await mountPopup(f));
    expect(root.querySelector<HTMLInputElement>('#age-filter')?.checked).toBe(true);
    expect(text('dt')).toBe('Invitations en attente envoyées il y a plus de 7 jours');
    expect(text('[data-course-id="c-1"] [data-testid="seats"]')).toBe(
      'révoquer libère 2 places (invitations envoyées il y a plus de 7 jours)',
    );
    expect(buttons()).toContain(
      'Révoquer 2 invitations en attente envoyées il y a plus de 7 jours dans 1 cours',
    );
    expect(text('[data-testid="unread-note"]')).toBe(`1 cours encore en lecture${NBSP}: pas encore compté.`);
    expect(text('[data-course-id="c-2"] [data-testid="seats"]')).toBe(
      'invitations en attente pas encore lues',
    );
    expect(text('[data-course-id="c-2"] [data-testid="course-freshness"]')).toBe('lecture en cours…');
  });

  it('words the header line and the watch note in French', () => {
    const age = { at: NOW - 3 * HOUR, stale: false, unread: 1 };
    expect(freshnessLine(age, NOW, false, null)).toBe('Mis à jour il y a 3 heures · 1 cours pas encore lu');
    expect(freshnessLine({ ...age, stale: true, unread: 2 }, NOW, false, null)).toBe(
      'Mis à jour il y a 3 heures — périmé · 2 cours pas encore lus',
    );
    expect(freshnessLine(null, NOW, false, null)).toBe('Rien n’a encore été lu sur le portail.');
    expect(watchWords({ origin: ORIGIN, at: NOW - 10 * 60_000, outcome: 'read' }, NOW)).toBe(
      `Dernière vérification des invitations qui expirent${NBSP}: il y a 10 minutes.`,
    );
    expect(watchWords({ origin: ORIGIN, at: NOW, outcome: 'signed-out' }, NOW)).toBe(
      'Reclaim ne vérifie pas les invitations qui expirent sur 127.0.0.1:4310 tant que vous ne vous y reconnectez pas.',
    );
  });

  it('marks the page as French, for screen readers', async () => {
    const f = fakeDeps();
    const page = document.createElement('div');
    document.body.append(page);
    const life = new AbortController();
    const { storage, download, now, ...live } = f.deps;
    await act(async () => {
      bootPopup(
        {
          root: page,
          importLive: async () => live,
          afterPaint: async () => {},
          storage,
          download,
          now,
          hash: '',
        },
        life.signal,
      );
      await settle();
    });
    expect(document.documentElement.lang).toBe('fr-CA');
    expect(document.title).toBe('Reclaim');
    life.abort();
    render(null, page);
    page.remove();
    document.documentElement.lang = 'en';
  });

  it('offers the site in French', async () => {
    const site: SiteAccess = {
      activeTab: async () => ({ id: 1, url: 'https://acme.storefront.example/manager' }),
      allowedOrigins: async () => [],
      hasAccess: async () => false,
      request: async () => false,
      send: async () => ({ ok: true, value: { on: false, injected: false } }) as never,
      watchMenuResult: () => () => {},
    };
    root = document.createElement('div');
    document.body.append(root);
    await act(() => {
      render(<EnableSite load={async () => site} />, root);
    });
    // The effects ran as act() ended: now the browser side loads and the tab is read.
    await act(() => settle());
    expect(text('h2')).toBe('Reclaim ne fonctionne pas encore sur acme.storefront.example');
    expect(buttons()).toEqual(['Utiliser Reclaim sur acme.storefront.example']);
    await clickAndSettle(root.querySelector('button'));
    expect(text('[role="status"]')).toBe(
      'Votre navigateur n’a pas autorisé Reclaim sur acme.storefront.example, donc Reclaim ne peut pas y fonctionner.',
    );
    render(null, root);
    root.remove();
  });
});
