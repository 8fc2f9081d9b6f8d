/**
 * The in-page controls in a browser started in French: every word from the French catalogue,
 * counted phrases singular at 1 and plural from 2, French spacing before ":", and an expired row
 * told by its state, whatever the language calls it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFeature } from '../../../src/content/lib/feature';
import { summary } from '../../../src/content/lib/phases';
import { usageTab } from '../../../src/content/lib/specs';
import { unmatchedText } from '../../../src/content/lib/unmatched';
import { installI18n } from '../../i18n';
import {
  bar,
  control,
  DAY,
  fakeBackground,
  HOUR,
  type Inv,
  jobView,
  onUsageTab,
  render,
  settle,
  shell,
  usageRow,
  userClick,
} from './fixture';

/** French puts a no-break space before ":" and "%", and between a number and "s". */
const fr = (s: string): string => s.replace(/ ([:%])/g, '\u00a0$1').replace(/(\d) s\b/g, '$1\u00a0s');

const NOW = Date.parse('2026-12-01T12:00:00Z');
const sent = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const inv = (id: string, learner: string, daysAgo: number, status: Inv['status'] = 'pending'): Inv => ({
  id,
  learner,
  course: 'Fire Safety',
  sentAt: sent(daysAgo),
  status,
});
const JANE = inv('i-1', 'Jane Doe', 23.5);
const BOB = inv('i-2', 'Bob Ray', 29.9);
const ANN = inv('i-3', 'Ann Lee', 10, 'accepted');
const CY = inv('i-4', 'Cy Twombly', 3); // on the table's second page

const tab = onUsageTab(NOW);
beforeEach(() => installI18n('fr', 'fr-CA'));
afterEach(() => installI18n('en'));

async function usagePage(invites: Inv[], shown: Inv[], opts: Parameters<typeof fakeBackground>[1] = {}) {
  const bg = fakeBackground(invites, opts);
  const table = shell('usage');
  startFeature(usageTab, bg.deps, tab.run.signal);
  render(table, shown.map(usageRow));
  await settle();
  return { bg, table };
}

describe('the in-page controls in French', () => {
  it('a row: its expiry, Révoquer, its Undo window and its outcome', async () => {
    const { bg } = await usagePage([JANE, ANN], [JANE, ANN]);
    const jane = control('i-1');
    expect(jane.note).toBe('expire dans 6 jours');
    expect(jane.shownButtons.map((b) => b.textContent)).toEqual(['Révoquer']);
    expect(jane.button.getAttribute('aria-label')).toBe(fr('Révoquer l’invitation : Jane Doe, Fire Safety'));
    userClick(jane.button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(1);
    expect(control('i-1').note).toBe(fr('Révocation dans 5 s ·'));
    expect(control('i-1').undo.textContent).toBe('Annuler');
    expect(control('i-1').undo.getAttribute('aria-label')).toBe(
      fr('Annuler la révocation : Jane Doe, Fire Safety'),
    );
    expect(bar().live).toBe(
      fr('Révocation de Jane Doe, Fire Safety dans 5 s. Annuler, ou Échap, la conserve.'),
    );
    bg.push(jobView(1, 'done', { total: 1, revoked: 1 }, NOW + 5000));
    await settle();
    expect(control('i-1').note).toBe('Place récupérée');
    expect(control('i-1').status).toBe('Révoquée');
  });

  it('an expired pending row shows "expirée" and offers no Révoquer', async () => {
    await usagePage([JANE, BOB], [JANE, BOB], { portalOffset: 2 * HOUR });
    expect(control('i-2').visibleButton).toBe(true);
    vi.advanceTimersByTime(24 * 60_000 + 100);
    expect(control('i-2').note).toBe('expirée');
    expect(control('i-2').visibleButton).toBe(false);
    expect(control('i-1').visibleButton).toBe(true);
  });

  it('Revoke all: the scope, where the invites are, its countdown and progress, singular at 1 and plural from 2', async () => {
    const { bg } = await usagePage([JANE, BOB, ANN, CY], [JANE, BOB, ANN]);
    expect(bar().main.textContent).toBe('Révoquer toutes les 3 invitations en attente de Fire Safety');
    expect(bar().msg).toBe(fr('Toutes les pages de ce tableau : 2 sur cette page, 1 sur d’autres pages.'));
    userClick(bar().main);
    await settle();
    expect(bar().msg).toBe(fr('Révocation de toutes les 3 invitations en attente de Fire Safety dans 5 s'));
    expect(bar().undo.getAttribute('aria-label')).toBe(
      'Annuler la révocation de toutes les 3 invitations en attente de Fire Safety',
    );
    expect(control('i-1').note).toBe(fr('Révocation avec toutes les autres dans 5 s'));
    bg.push(jobView(1, 'running', { total: 3, queued: 2, revoked: 1 }, NOW + 5000));
    expect(bar().msg).toBe('Révocation… 1 sur 3 effectuée');
    bg.push(jobView(1, 'running', { total: 3, queued: 1, revoked: 2 }, NOW + 5000));
    expect(bar().msg).toBe('Révocation… 2 sur 3 effectuées');
  });

  it('Revoke all of one invite is singular', async () => {
    await usagePage([JANE, ANN], [JANE, ANN]);
    expect(bar().main.textContent).toBe('Révoquer 1 invitation en attente de Fire Safety');
  });

  it('the end of a revoke counts each outcome, singular at 1 and plural from 2', () => {
    expect(summary(jobView(1, 'done', { total: 2, revoked: 1, failed: 1 }, NOW))).toBe(
      fr('Terminé : 1 révoquée, 1 n’a pas pu être annulée (Réessayer sur sa ligne).'),
    );
    expect(summary(jobView(1, 'done', { total: 5, revoked: 3, alreadyGone: 2 }, NOW))).toBe(
      fr('Terminé : 3 révoquées, 2 déjà annulées ou expirées.'),
    );
    expect(summary(jobView(1, 'done', { total: 0 }, NOW))).toBe(fr('Terminé : rien à révoquer.'));
  });

  it('the notice says which rows have no controls, and why, singular at 1 and plural from 2', () => {
    expect(unmatchedText(['repeated'])).toBe(
      fr(
        'Reclaim a laissé 1 ligne sans contrôles, faute de savoir de quelle invitation il s’agit : 1 répète une autre ligne.',
      ),
    );
    expect(unmatchedText(['missing', 'ambiguous', 'ambiguous'])).toBe(
      fr(
        'Reclaim a laissé 3 lignes sans contrôles, faute de savoir de quelles invitations il s’agit : 1 ne désigne aucune invitation connue de Reclaim ici; 2 désignent plus d’une invitation.',
      ),
    );
  });
});
