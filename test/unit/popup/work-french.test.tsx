/**
 * The popup's jobs, invite plan, Expiring soon view and audit log in a browser started in French:
 * the catalogue's French words, and counted words that agree with their count (French "one" at
 * 0 and 1, the plural from 2).
 */
import { type ComponentChildren, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/popup/AuditLog';
import { StoreContext } from '../../../src/popup/context';
import { ExpiringSoon } from '../../../src/popup/ExpiringSoon';
import { outcomeLabel, reasonLabel } from '../../../src/popup/format';
import { InvitePanel } from '../../../src/popup/InvitePanel';
import { JobPanel } from '../../../src/popup/JobPanel';
import type { PopupState } from '../../../src/popup/state';
import { createPopupStore } from '../../../src/popup/store';
import type { InvitePlan } from '../../../src/shared/invite-work';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { AuditEntry, JobView } from '../../../src/shared/types';
import { installI18n } from '../../i18n';
import { fakeDeps, invite, jobView, NOW, settle } from './fakes';

/** French puts a no-break space before a colon. */
const NBSP = '\u00a0';
const DAY = 24 * 3600_000;

let root: HTMLElement;

beforeEach(() => installI18n('fr'));
afterEach(() => {
  render(null, root);
  root.remove();
  installI18n('en');
});

/** Renders `ui` over a popup store holding `state` (nothing started: no watches overwrite it). */
async function show(ui: ComponentChildren, state: Partial<PopupState> = {}) {
  const store = createPopupStore(fakeDeps().deps);
  store.setState(state);
  root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(<StoreContext.Provider value={store}>{ui}</StoreContext.Provider>, root);
    await settle();
  });
}

const text = (selector: string) => root.querySelector(selector)?.textContent ?? null;
const buttons = () => [...root.querySelectorAll('button')].map((b) => b.textContent);

const finished = (state: 'done' | 'cancelled', counts: Partial<JobView['counts']>, failed = 0): JobView => {
  const view = jobView(3, state, { queued: 0, ...counts });
  view.failures = Array.from({ length: failed }, (_, k) => ({
    inviteId: `i-${k}`,
    learnerName: `Learner ${k}`,
    courseTitle: 'Fire Safety',
    error: 'The portal refused it.',
  }));
  return view;
};

describe('popup in French: a job', () => {
  it('says its Undo window in French', async () => {
    await show(<JobPanel view={jobView(3, 'waiting', { total: 3, queued: 3 })} />);
    expect(text('[data-testid="undo-countdown"]')).toBe('Démarrage dans 5 s. Rien n’a encore été envoyé.');
    expect(buttons()).toEqual(['Annuler']);
    expect(root.textContent).toContain('ou appuyez sur Échap');
  });

  it('counts its progress with words that agree: one revoked, then two', async () => {
    await show(<JobPanel view={jobView(3, 'running', { total: 3, queued: 2, revoked: 1 })} />);
    expect(text('[data-testid="progress-text"]')).toBe('1 sur 3 traitées · 1 révoquée');
    expect(root.querySelector('[role="progressbar"]')?.getAttribute('aria-valuetext')).toBe(
      '1 sur 3 traitées',
    );
    expect(buttons()).toEqual(['Mettre en pause', 'Arrêter']);
    render(null, root);
    root.remove();
    await show(<JobPanel view={jobView(3, 'running', { total: 3, queued: 1, revoked: 2 })} />);
    expect(text('[data-testid="progress-text"]')).toBe('2 sur 3 traitées · 2 révoquées');
  });

  it('reports a finished revoke in French, singular at 1 and plural from 2', async () => {
    await show(<JobPanel view={finished('done', { total: 4, revoked: 2, keptAccepted: 1, failed: 1 }, 1)} />);
    expect(text('#report-title')).toBe('Révocation terminée');
    expect(text('[data-testid="report-line"]')).toBe(
      `Terminé${NBSP}: 2 révoquées, 1 conservée (acceptée), 1 en échec`,
    );
    expect(text('.failures')?.startsWith(`Learner 0, Fire Safety${NBSP}: `)).toBe(true);
    expect(text('.report h3')).toBe('1 invitation n’a pas été révoquée');
    expect(buttons()).toEqual(['Réessayer les échecs', 'Terminé']);
    render(null, root);
    root.remove();
    await show(<JobPanel view={finished('done', { total: 4, revoked: 1, keptAccepted: 2, failed: 2 }, 2)} />);
    expect(text('[data-testid="report-line"]')).toBe(
      `Terminé${NBSP}: 1 révoquée, 2 conservées (acceptées), 2 en échec`,
    );
    expect(text('.report h3')).toBe('2 invitations n’ont pas été révoquées');
  });

  it('says a stopped job that sent nothing, and names it by what it did', async () => {
    const view = finished('cancelled', { total: 2, skipped: 2 });
    view.job.reason = 'renew';
    view.counts.skipped = 0;
    await show(<JobPanel view={view} />);
    expect(text('#report-title')).toBe('Renouvellement arrêté');
    expect(text('[data-testid="report-line"]')).toBe(`Arrêté${NBSP}: rien n’a été envoyé.`);
  });

  it('reports a job that invites: each address’s outcome, seats left free agreeing with their count', async () => {
    const view = finished('done', { total: 3, invited: 1, failed: 1, notInvited: 1 });
    view.job.reason = 'reassign';
    const line = (
      email: string,
      outcome: 'invited' | 'failed' | 'not-invited',
      seatLeftFree: string | null,
    ) => ({
      key: email,
      email,
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      outcome,
      detail: null,
      newInviteId: null,
      revoked: {
        inviteId: `r-${email}`,
        learnerName: 'Old Learner',
        learnerEmail: 'old@x.test',
        outcome: 'revoked',
      },
      seatLeftFree,
    });
    view.lines = [line('a@x.test', 'invited', null), line('b@x.test', 'not-invited', 'no seat')];
    await show(<JobPanel view={view} />);
    expect(text('#report-title')).toBe('Réattribution terminée');
    expect(text('[data-testid="report-line"]')).toBe(
      `Terminé${NBSP}: 1 invitée, 1 place laissée libre, 1 non invitée, 1 en échec`,
    );
    expect(text('tr[data-email="a@x.test"] td:nth-child(2)')).toBe('Invitée');
    expect(text('tr[data-email="b@x.test"] .seat-left')).toBe(`Place laissée libre${NBSP}: no seat`);
    expect(text('tr[data-email="a@x.test"] td:nth-child(3)')).toBe('Old Learner Révoquée');
    expect([...root.querySelectorAll('.invite-lines th')].map((th) => th.textContent)).toEqual([
      'Adresse',
      'Résultat',
      'Invitation révoquée',
    ]);
    view.lines.push(line('c@x.test', 'not-invited', 'no seat'));
    render(null, root);
    root.remove();
    await show(<JobPanel view={view} />);
    expect(text('[data-testid="report-line"]')).toContain('2 places laissées libres');
  });
});

const plan = (over: Partial<InvitePlan> = {}): InvitePlan => ({
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  seats: { total: 20, assigned: 19, available: 1 },
  entries: 3,
  addresses: ['a@x.test', 'b@x.test', 'c@x.test'],
  malformed: [{ text: 'nope', reason: 'no @' }],
  repeated: [],
  holding: [{ email: 'held@x.test', status: 'pending', sentAt: new Date(NOW).toISOString() }],
  toInvite: ['a@x.test'],
  free: 1,
  revokes: [],
  unseated: ['c@x.test'],
  minAgeDays: 0,
  revocable: 0,
  now: NOW,
  problem: null,
  ...over,
});

const draft = (p: InvitePlan) => ({
  inviting: {
    courseId: 'c-1',
    courseTitle: 'Fire Safety',
    text: 'a@x.test',
    plan: p,
    plannedText: 'a@x.test',
    busy: false,
    error: null,
  },
});

describe('popup in French: Invite and make room', () => {
  it('shows the plan and its start in French, one address and one seat', async () => {
    await show(<InvitePanel />, draft(plan()));
    expect(text('#invite-title')).toBe(`Inviter et libérer des places${NBSP}: Fire Safety`);
    expect(root.textContent).toContain(`Fire Safety${NBSP}: 1 place libre sur 20.`);
    expect(text('[data-testid="plan-unseated"] p')).toBe(
      `1 adresse reste sans place${NBSP}: plus de place libre ni d’invitation à révoquer (révocables${NBSP}: 0).`,
    );
    expect(text('[data-testid="plan-holding"] li')).toBe('held@x.test (en attente)');
    expect(text('[data-testid="plan-malformed"] li')).toBe(`nope${NBSP}: no @`);
    expect(buttons()).toEqual(['Inviter 1 adresse dans Fire Safety', 'Annuler']);
  });

  it('says no free seat in the singular, as French counts 0 (English says 0 seats)', async () => {
    const none = plan({ seats: { total: 20, assigned: 20, available: 0 } });
    await show(<InvitePanel />, draft(none));
    expect(root.textContent).toContain(`Fire Safety${NBSP}: 0 place libre sur 20.`);
    render(null, root);
    root.remove();
    installI18n('en');
    await show(<InvitePanel />, draft(none));
    expect(root.textContent).toContain('Fire Safety: 0 seats free of 20.');
  });

  it('counts addresses, seats, days and invites to revoke in the plural from 2', async () => {
    const revoke = (k: number) => ({
      inviteId: `i-${k}`,
      learnerName: `Old ${k}`,
      learnerEmail: `old${k}@x.test`,
      sentAt: new Date(NOW).toISOString(),
      for: 'b@x.test',
    });
    await show(
      <InvitePanel />,
      draft(
        plan({
          toInvite: ['a@x.test', 'b@x.test'],
          seats: { total: 20, assigned: 18, available: 2 },
          revokes: [revoke(1), revoke(2)],
          unseated: ['c@x.test', 'd@x.test'],
          minAgeDays: 3,
        }),
      ),
    );
    expect(root.textContent).toContain(
      `Fire Safety${NBSP}: 2 places libres sur 20; seules les invitations envoyées il y a plus de 3 jours sont révoquées.`,
    );
    expect(text('[data-testid="plan-unseated"] p')).toMatch(/^2 adresses restent sans place/);
    expect(buttons()[0]).toBe('Inviter 2 adresses et révoquer 2 invitations en attente dans Fire Safety');
  });
});

describe('popup in French: Expiring soon', () => {
  const settings = (renewDays: number) => ({ ...DEFAULT_SETTINGS, renewDays });

  it('names its window in days, singular at 1, and says when nothing expires', async () => {
    await show(<ExpiringSoon />, { expiring: [], settings: settings(1) });
    expect(text('#expiring-title')).toBe('Expirent d’ici 1 jour');
    expect(text('[data-testid="expiring-empty"]')).toBe(
      'Aucune invitation en attente n’expire d’ici 1 jour.',
    );
    expect(buttons()).toEqual(['Retour aux cours']);
  });

  it('lists its rows with French actions, and the window in the plural', async () => {
    const rows = [
      invite('i-1', 'c-1', 'Fire Safety', 'Ada Lovelace', DAY),
      invite('i-2', 'c-2', 'GDPR Essentials', 'Bob Stone', 2 * DAY),
    ];
    await show(<ExpiringSoon />, {
      expiring: rows,
      settings: settings(3),
      picked: { 'i-1': true, 'i-2': true },
    });
    expect(text('#expiring-title')).toBe('Expirent d’ici 3 jours');
    expect(root.querySelector('ul.courses')?.getAttribute('aria-label')).toBe(
      'Invitations en attente qui expirent d’ici 3 jours, les plus proches d’abord',
    );
    expect(text('label[for="expiring-all"]')).toBe('Tout sélectionner (2)');
    const ada = root.querySelector('li[data-invite-id="i-1"]');
    expect([...(ada?.querySelectorAll('button') ?? [])].map((b) => b.getAttribute('aria-label'))).toEqual([
      'Renouveler Ada Lovelace, Fire Safety',
      'Réattribuer Ada Lovelace, Fire Safety',
      'Révoquer Ada Lovelace, Fire Safety',
    ]);
    expect(buttons()).toContain('Renouveler la sélection (2)');
    expect(text('.row .rc-muted')).toBe('2 cours');
  });
});

describe('popup in French: the audit log', () => {
  const entry = (outcome: AuditEntry['outcome'], reason?: AuditEntry['reason']): AuditEntry => ({
    at: NOW,
    origin: 'http://127.0.0.1:4310',
    jobId: 1,
    surface: 'popup',
    inviteId: `i-${outcome}`,
    learnerName: 'Ada Lovelace',
    learnerEmail: 'ada@x.test',
    courseId: 'c-1',
    courseTitle: 'Fire Safety',
    outcome,
    detail: null,
    reason,
  });

  it('names its columns, outcomes and reasons in French, its caption counted', async () => {
    await show(<AuditLog />, { audit: [entry('revoked', 'renew')] });
    expect(text('#audit-title')).toBe('Journal d’audit');
    expect(text('caption')).toBe('1 dernière entrée du journal d’audit');
    expect([...root.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Date',
      'Invitation',
      'Résultat',
    ]);
    expect(text('td:nth-child(3)')).toBe('Révoquéerenouvellement');
    render(null, root);
    root.remove();
    await show(<AuditLog />, { audit: [entry('kept-accepted'), entry('failed', 'make-room')] });
    expect(text('caption')).toBe('2 dernières entrées du journal d’audit, les plus récentes d’abord');
    expect([...root.querySelectorAll('td:nth-child(3)')].map((td) => td.textContent)).toEqual([
      'Conservée (acceptée)',
      'Écheclibérer des places',
    ]);
  });

  it('looks its words up when asked, so the language is the one of the moment', () => {
    expect(outcomeLabel('already-expired')).toBe('Déjà expirée');
    expect(reasonLabel('reassign')).toBe('réattribution');
    installI18n('en');
    expect(outcomeLabel('already-expired')).toBe('Already expired');
    expect(outcomeLabel('something-new')).toBe('something-new');
  });
});
