/**
 * Reassign, Renew and "Invite and make room" in a browser set to French: the row's and the bar's
 * words, the reasons an address is refused, and counted phrases at 1 (singular) and 2+ (plural).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFeature } from '../../../src/content/lib/feature';
import { usageTab } from '../../../src/content/lib/specs';
import { rootOf } from '../../../src/content/lib/styles';
import { parseAddress } from '../../../src/shared/addresses';
import type { InvitePlan } from '../../../src/shared/invite-work';
import { installI18n } from '../../i18n';
import {
  control,
  DAY,
  fakeBackground,
  type Inv,
  inviteLine,
  jobView,
  onUsageTab,
  render,
  settle,
  shell,
  bar as tableBar,
  usageRow,
  userClick,
} from './fixture';

const NOW = Date.parse('2026-12-01T12:00:00Z');
/** The no-break space French puts before a colon and inside « ». */
const NB = '\u00a0';
const pending = (id: string, learner: string, daysAgo: number): Inv => ({
  id,
  learner,
  course: 'Fire Safety',
  sentAt: new Date(NOW - daysAgo * DAY).toISOString(),
  status: 'pending',
});
// 30-day invites: Cy's ends in 1 day, Jane's in 2, Bob's in 20.
const INVITES = [pending('i-1', 'Jane Doe', 28), pending('i-2', 'Bob Ray', 10), pending('i-4', 'Cy Old', 29)];

const tab = onUsageTab(NOW);
beforeEach(() => installI18n('fr'));
afterEach(() => installI18n('en'));

async function page(opts: Parameters<typeof fakeBackground>[1] = {}) {
  const bg = fakeBackground(INVITES, opts);
  startFeature(usageTab, bg.deps, tab.run.signal);
  render(shell('usage'), INVITES.map(usageRow));
  await settle();
  return bg;
}

/** The shadow root a Reclaim element named `tag` keeps inside `host`. */
function inner(host: Element | null | undefined, tag: string): ShadowRoot {
  const el = host ? rootOf(host)?.querySelector(tag) : null;
  const root = el ? rootOf(el) : null;
  if (!root) throw new Error(`no ${tag}`);
  return root;
}

const texts = (root: ShadowRoot, sel: string) => [...root.querySelectorAll(sel)].map((e) => e.textContent);
const shown = (root: ShadowRoot, sel: string) =>
  [...root.querySelectorAll<HTMLElement>(sel)].filter((e) => !e.hidden).map((e) => e.textContent);

function fill(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('a row’s Reassign and Renew, in French', () => {
  it('names its buttons and refuses a malformed address with the reason in French', async () => {
    await page();
    const row = inner(control('i-1').host, 'reclaim-invite-row');
    const [reassign, renew] = [...row.querySelectorAll<HTMLButtonElement>('.acts button')];
    expect([reassign?.textContent, renew?.textContent]).toEqual(['Réattribuer', 'Renouveler']);
    expect(reassign?.getAttribute('aria-label')).toBe(
      `Réattribuer cette place à quelqu’un d’autre${NB}: Jane Doe, Fire Safety`,
    );
    expect(row.querySelector('input')?.getAttribute('aria-label')).toBe('Nouvelle adresse');
    userClick(reassign as HTMLButtonElement);
    await settle();
    const go = row.querySelector('.pop button.main') as HTMLButtonElement;
    expect(shown(row, '.pop button')).toEqual(['Réattribuer', 'Fermer']);
    userClick(go);
    expect(row.querySelector('[role=alert]')?.textContent).toBe('Entrez la nouvelle adresse.');
    fill(row.querySelector('input') as HTMLInputElement, 'jane.doe@example');
    userClick(go);
    expect(row.querySelector('[role=alert]')?.textContent).toBe(
      `Adresse invalide${NB}: le domaine «${NB}example${NB}» n’a pas de point (p.${NB}ex. example.com).`,
    );
  });

  it('counts down its Undo window and tells both outcomes', async () => {
    const bg = await page();
    const row = inner(control('i-1').host, 'reclaim-invite-row');
    userClick(row.querySelector('.acts button') as HTMLButtonElement);
    fill(row.querySelector('input') as HTMLInputElement, 'bo@example.com');
    userClick(row.querySelector('.pop button.main') as HTMLButtonElement);
    await settle();
    expect(shown(row, '.acts > *')).toEqual(['Réattribution dans 5 s ·', 'Annuler']);
    expect(tableBar().live).toBe('Réattribution de 1 invitation dans 5 s. Annuler, ou Échap, l’empêche.');
    expect(row.querySelector('.acts button:nth-of-type(3)')?.getAttribute('aria-label')).toBe(
      `Annuler la réattribution${NB}: Jane Doe, Fire Safety`,
    );
    const done = jobView(1, 'done', { invited: 1 }, NOW + 5000);
    done.job.reason = 'reassign';
    done.lines = [inviteLine({ email: 'bo@example.com' })];
    bg.push(done);
    expect(row.querySelector('.info')?.textContent).toBe('Révoquée · invitation envoyée à bo@example.com');
  });
});

describe('the Usage tab’s invite bar, in French', () => {
  const bar = () => inner(document.querySelector('reclaim-bar'), 'reclaim-invite-bar');
  /** The page made again (a fresh controller, so a fresh job). */
  const again = (opts: Parameters<typeof fakeBackground>[1]) => {
    tab.run.abort();
    tab.run = new AbortController();
    document.body.replaceChildren();
    return page(opts);
  };

  it('Renew expiring: one invite and one day in the singular, two of each in the plural', async () => {
    await page({ renewDays: 1 });
    expect(texts(bar(), 'button')[0]).toBe(
      'Renouveler 1 invitation en attente de Fire Safety qui expire d’ici 1 jour',
    );
    await again({ renewDays: 2 });
    expect(texts(bar(), 'button')[0]).toBe(
      'Renouveler 2 invitations en attente de Fire Safety qui expirent d’ici 2 jours',
    );
  });

  /** A plan inviting `size` addresses into the seats of `size` revoked invites, `5 + size` left unseated. */
  const planOf = (size: number) => (): InvitePlan => {
    const unseated = Array.from({ length: 5 + size }, (_, i) => `u${i}@example.com`);
    const toInvite = Array.from({ length: size }, (_, i) => `a${i}@example.com`);
    const bad = parseAddress('oops');
    return {
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      seats: { total: 3, assigned: 3, available: 0 },
      entries: toInvite.length + unseated.length + 1,
      addresses: [...toInvite, ...unseated],
      malformed: 'reason' in bad ? [bad] : [],
      repeated: [],
      holding: [{ email: 'held@example.com', status: 'pending', sentAt: new Date(NOW).toISOString() }],
      toInvite,
      free: 0,
      revokes: toInvite.map((email, i) => ({
        inviteId: `i-${i}`,
        learnerName: `Old ${i}`,
        learnerEmail: `old${i}@x`,
        sentAt: new Date(NOW - 29 * DAY).toISOString(),
        for: email,
      })),
      unseated,
      minAgeDays: 0,
      revocable: size,
      now: NOW,
      problem: null,
    };
  };

  /** Opens the paste, asks for the plan of `size`, starts it and lets it end with `size` invited, `size` not. */
  async function makeRoom(size: number) {
    const bg = await again({ plan: planOf(size) });
    const b = bar();
    const open = [...b.querySelectorAll('button')].find(
      (x) => x.textContent === 'Inviter et libérer des places',
    );
    userClick(open as HTMLButtonElement);
    await settle();
    fill(b.querySelector('textarea') as HTMLTextAreaElement, 'a, b');
    userClick(b.querySelector('.panel button.main') as HTMLButtonElement);
    await settle();
    const said = {
      label: b.querySelector('textarea')?.getAttribute('aria-label'),
      head: b.querySelector('.plan p')?.textContent,
      panel: b.querySelector('.plan')?.textContent,
      start: shown(b, '.panel .row button.main').at(0),
      waiting: '',
      report: '',
    };
    userClick(b.querySelector('.panel .row button.main:not([hidden])') as HTMLButtonElement);
    await settle();
    expect(bg.sent('invite.start')).toHaveLength(1);
    said.waiting = `${b.querySelector('.row > .info')?.textContent} | ${tableBar().live}`;
    const done = jobView(1, 'done', { total: 2 * size, invited: size, notInvited: size }, NOW);
    done.job.reason = 'make-room';
    done.lines = Array.from({ length: size }, (_, i) => ({
      key: `i-${i}`,
      email: `u${i}@example.com`,
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      outcome: 'not-invited' as const,
      detail: null,
      newInviteId: null,
      revoked: null,
      seatLeftFree: 'pris',
    }));
    bg.push(done);
    said.report = b.querySelector('.row > .info')?.textContent ?? '';
    return said;
  }

  it('Invite and make room: the plan and the report, in the singular at 1', async () => {
    const one = await makeRoom(1);
    expect(one.label).toBe(
      'Adresses courriel, une par ligne ou séparées par des virgules ou des points-virgules',
    );
    expect(one.head).toBe(
      `7 nouvelles adresses${NB}: 0 dans des places libres, 1 en révoquant les plus anciennes invitations en attente, 6 sans place.`,
    );
    expect(one.panel).toContain(`Révoquées pour libérer des places${NB}:`);
    expect(one.panel).toContain('held@example.com (en attente)');
    expect(one.panel).toContain('oops: elle ne contient pas de @');
    expect(one.panel).toContain('et 1 autre');
    expect(one.start).toBe('Inviter 1 dans Fire Safety et révoquer 1 invitation en attente');
    expect(one.report).toBe(
      `Terminé${NB}: 1 invitation envoyée, 1 adresse non invitée, 1 place laissée libre${NB}: u0@example.com (pris).`,
    );
  });

  it('Invite and make room: the plan and the report, in the plural at 2', async () => {
    const two = await makeRoom(2);
    expect(two.panel).toContain('et 2 autres');
    expect(two.start).toBe('Inviter 2 dans Fire Safety et révoquer 2 invitations en attente');
    expect(two.waiting).toBe(
      'Envoi de 2 invitations dans 5 s | Envoi de 2 invitations dans 5 s. Annuler, ou Échap, l’empêche.',
    );
    expect(two.report).toBe(
      `Terminé${NB}: 2 invitations envoyées, 2 adresses non invitées, 2 places laissées libres${NB}: u0@example.com (pris); u1@example.com (pris).`,
    );
  });
});

describe('pasted addresses refused, in French', () => {
  it.each([
    ['jane', 'elle ne contient pas de @'],
    ['jane@@example.com', 'elle contient plus d’un @ (deux adresses sans virgule entre elles?)'],
    ['jané@example.com', `«${NB}é${NB}» ne peut pas faire partie d’une adresse`],
    ['Jane <jane@example.com', 'ses < et > n’encadrent pas une seule adresse'],
    [`${'x'.repeat(65)}@example.com`, 'la partie avant le @ dépasse 64 caractères'],
  ])('%j: %s', (entry, why) => {
    expect(parseAddress(entry)).toMatchObject({ reason: why });
  });
});
