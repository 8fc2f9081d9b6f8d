/**
 * The in-page controls on tables without the portal's hooks (the reference portal's own
 * renderer in its vendor markups): rows named through the page's invites, rows left out with the
 * notice, and a control that only acts from the row it was made for.
 */
import { describe, expect, it } from 'vitest';
import { startFeature } from '../../../src/content/lib/feature';
import { inviteHistory, usageTab } from '../../../src/content/lib/specs';
import { rootOf } from '../../../src/content/lib/styles';
import { MARKUP_PRESETS, type TableMarkup } from '../../portal/assets/table-markup';
import type { Invite } from '../../portal/types';
import { portalTable } from '../page/portal-table';
import { DAY, fakeBackground, type Inv, jobView, settle, usageTabLife, userClick, userKey } from './fixture';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const sent = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

function portalInvite(inv: Inv): Invite {
  const slug = inv.learner.toLowerCase().replace(/\W+/g, '.');
  return {
    id: inv.id,
    course: { id: inv.courseId ?? 'c-1', title: inv.course },
    learner: { id: inv.learnerId ?? `l-${slug}`, name: inv.learner, email: `${slug}@example.test` },
    sentAt: inv.sentAt,
    status: inv.status,
    progress: inv.status === 'accepted' ? 40 : null,
  };
}

const JANE: Inv = {
  id: 'i-1',
  learner: 'Jane Doe',
  course: 'Fire Safety',
  sentAt: sent(23.5),
  status: 'pending',
};
const BOB: Inv = {
  id: 'i-2',
  learner: 'Bob Ray',
  course: 'Fire Safety',
  sentAt: sent(29.9),
  status: 'pending',
};
const ANN: Inv = {
  id: 'i-3',
  learner: 'Ann Lee',
  course: 'Fire Safety',
  sentAt: sent(10),
  status: 'accepted',
};
const ROWS = [JANE, BOB, ANN];

const life = usageTabLife(NOW);

const bodyRows = () => [...document.querySelectorAll<HTMLTableRowElement>('tbody tr')];
/** The control in the row showing `text` (a learner's name or a course's title). */
function controlIn(text: string) {
  const row = bodyRows().find((r) => r.textContent?.includes(text));
  if (!row) throw new Error(`no row shows ${text}`);
  const hosts = [...row.querySelectorAll<HTMLElement>('reclaim-row')];
  const host = hosts[0];
  const root = host ? rootOf(host) : null;
  const button = root?.querySelector<HTMLButtonElement>('button.act') ?? null;
  return {
    row,
    count: hosts.length,
    host,
    button,
    label: button && !button.hidden ? button.getAttribute('aria-label') : null,
    note: root?.querySelector<HTMLElement>('.note')?.hidden
      ? ''
      : (root?.querySelector('.note')?.textContent ?? ''),
  };
}
const noticeText = () => {
  const host = document.querySelector('reclaim-notice');
  return (host && rootOf(host)?.textContent) ?? null;
};

async function page(markup: TableMarkup, rows: Inv[], invites: Inv[] = rows) {
  const bg = fakeBackground(invites);
  const render = await portalTable('usage', markup);
  startFeature(usageTab, bg.deps, life.signal());
  const table = render(rows.map(portalInvite));
  await settle();
  return { bg, render: (next: Inv[]) => render(next.map(portalInvite)), table };
}

describe.each([
  ['hookless', MARKUP_PRESETS.hookless],
  ['hookless-fr', MARKUP_PRESETS['hookless-fr']],
])('Usage in the %s markup', (_name, markup) => {
  it('gives each row the control it has with the hooks: by the learner named, with the API’s sent date', async () => {
    const { bg } = await page(markup, ROWS);
    expect(controlIn('Jane Doe').label).toBe('Revoke invite: Jane Doe, Fire Safety');
    expect(controlIn('Jane Doe').note).toBe('expires in 6 days');
    expect(controlIn('Bob Ray').note).toBe('expires in 2 hours');
    expect(controlIn('Ann Lee').note).toBe('');
    expect(controlIn('Ann Lee').label).toBeNull();
    expect(noticeText()).toBeNull();
    // The portal's own Cancel ("Annuler" in French) is what Reclaim stands in for on pending rows.
    const jane = controlIn('Jane Doe').host as HTMLElement;
    expect(jane.getAttribute('data-portal')).toBe('hidden');
    expect(jane.nextElementSibling?.tagName).toBe('BUTTON');
    expect(controlIn('Ann Lee').host?.getAttribute('data-portal')).toBeNull();
    userClick(controlIn('Bob Ray').button as HTMLElement);
    await settle();
    expect(bg.sent('job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-2'] } },
    ]);
  });

  it('a revoked row keeps its outcome after its invite leaves the background’s list, through re-renders', async () => {
    const { bg, render } = await page(markup, ROWS);
    userClick(controlIn('Bob Ray').button as HTMLElement);
    await settle();
    bg.setInvites([JANE, ANN]); // the cache after the job: Bob's invite is gone
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000));
    await settle();
    expect(controlIn('Bob Ray').note).toBe('Seat returned');
    render(ROWS); // the portal still lists it as pending until it reads its table again
    await Promise.resolve();
    expect(controlIn('Bob Ray').note).toBe('Seat returned');
    // Reclaim's word comes first in the status cell (the portal's "pending" after it is hidden).
    const word = controlIn('Bob Ray').row.querySelector('reclaim-status');
    expect(word && rootOf(word)?.textContent).toBe('Revoked');
    expect(word?.nextElementSibling?.textContent?.toLowerCase()).toMatch(/pending|en attente/);
    expect(noticeText()).toBeNull();
  });

  it('Renew and Reassign act on the invite the row names, with no data-invite-id to go by', async () => {
    const { bg } = await page(markup, ROWS);
    expect(document.querySelector('[data-invite-id]')).toBeNull();
    const inviteControls = (text: string) => {
      const inner = rootOf(controlIn(text).host as HTMLElement)?.querySelector('reclaim-invite-row');
      const root = inner ? rootOf(inner) : null;
      if (!root) throw new Error(`no reassign and renew in the row of ${text}`);
      const button = (t: string) =>
        [...root.querySelectorAll('button')].find((b) => b.textContent === t) as HTMLElement;
      return { root, button, input: root.querySelector('input') as HTMLInputElement };
    };
    userClick(inviteControls('Bob Ray').button('Renew'));
    const jane = inviteControls('Jane Doe');
    userClick(jane.button('Reassign'));
    jane.input.value = 'new@example.com';
    userKey(jane.input, 'Enter');
    await settle();
    expect(bg.sent('invite.start').map((m) => m.work)).toEqual([
      { kind: 'renew', invites: [{ courseId: 'c-1', inviteId: 'i-2' }] },
      { kind: 'reassign', pairs: [{ courseId: 'c-1', inviteId: 'i-1', email: 'new@example.com' }] },
    ]);
  });

  it('keeps one control per row through 50 wholesale re-renders', async () => {
    const { render } = await page(markup, ROWS);
    const jane = controlIn('Jane Doe').host;
    for (let i = 0; i < 50; i++) {
      render(ROWS);
      await Promise.resolve();
      expect(bodyRows().map((r) => r.querySelectorAll('reclaim-row').length)).toEqual([1, 1, 1]);
    }
    expect(controlIn('Jane Doe').host).toBe(jane);
  });
});

describe('rows Reclaim cannot name for sure', () => {
  it('two learners of one name: neither row gets a control, the notice says how many and why', async () => {
    const twin: Inv = { ...JANE, id: 'i-7', learnerId: 'l-other-jane', sentAt: sent(3) };
    const { bg } = await page(MARKUP_PRESETS.hookless, [...ROWS, twin]);
    const janes = bodyRows().filter((r) => r.textContent?.includes('Jane Doe'));
    expect(janes).toHaveLength(2);
    for (const row of janes) expect(row.querySelectorAll('reclaim-row')).toHaveLength(0);
    expect(controlIn('Bob Ray').count).toBe(1);
    expect(noticeText()).toBe(
      'Reclaim left 2 rows without controls because it could not tell which invite they are: 2 name more than one invite.',
    );
    expect(bg.sent('job.start')).toHaveLength(0);
  });

  it('a row the background does not know yet gets its control once the invites come, and the notice goes', async () => {
    const { bg } = await page(MARKUP_PRESETS.hookless, ROWS, [JANE, ANN]);
    expect(controlIn('Bob Ray').count).toBe(0);
    expect(noticeText()).toContain(
      '1 row without controls because it could not tell which invite it is: 1 names no invite Reclaim knows of here',
    );
    bg.setInvites(ROWS);
    for (const port of bg.ports)
      port.deliver({ type: 'invites-changed', origin: location.origin, courseIds: ['c-1'], learnerIds: [] });
    await settle();
    expect(controlIn('Bob Ray').label).toBe('Revoke invite: Bob Ray, Fire Safety');
    expect(noticeText()).toBeNull();
  });

  it('a row whose date is not its invite’s (invited again since Reclaim read the portal) gets none', async () => {
    await page(MARKUP_PRESETS.hookless, ROWS, [JANE, { ...BOB, sentAt: sent(40) }, ANN]);
    expect(controlIn('Bob Ray').count).toBe(0);
    expect(noticeText()).toContain('1 shows another date than its invite');
    expect(controlIn('Jane Doe').count).toBe(1);
  });
});

describe('a control acts only from the row it was made for, while that row names its invite', () => {
  it('moved into another row: nothing sent, the control goes', async () => {
    const { bg } = await page(MARKUP_PRESETS.hookless, ROWS);
    const jane = controlIn('Jane Doe');
    const bobCell = controlIn('Bob Ray').host?.parentElement as HTMLElement;
    bobCell.append(jane.host as HTMLElement);
    await settle();
    userClick(jane.button as HTMLElement);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(jane.host?.isConnected).toBe(false);
  });

  it('its row renamed to another learner of the page: nothing sent, the control goes', async () => {
    const { bg } = await page(MARKUP_PRESETS.hookless, ROWS);
    const jane = controlIn('Jane Doe');
    const link = jane.row.querySelector('a') as HTMLElement;
    link.textContent = 'Bob Ray';
    userClick(jane.button as HTMLElement);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(jane.host?.isConnected).toBe(false);
  });

  it('a click the gate turns down (the button was not seen) sends nothing and says so', async () => {
    const { bg } = await page(MARKUP_PRESETS.hookless, ROWS);
    bg.gate.blind = true;
    userClick(controlIn('Jane Doe').button as HTMLElement);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(controlIn('Jane Doe').label).toBe('Revoke invite: Jane Doe, Fire Safety');
    const bar = document.querySelector('reclaim-bar');
    await Promise.resolve();
    expect((bar && rootOf(bar)?.querySelector('.sr')?.textContent) ?? '').toMatch(
      /^Nothing revoked for Jane Doe, Fire Safety/,
    );
  });
});

describe('Invite History in the hookless-fr markup', () => {
  it('names each row by its course title', async () => {
    history.pushState(null, '', '/manager/learners/l-1?tab=invite-history');
    const mine: Inv[] = [
      { ...JANE, learnerId: 'l-1', courseId: 'c-1' },
      {
        id: 'i-5',
        learner: 'Jane Doe',
        learnerId: 'l-1',
        course: 'First Aid at Work',
        courseId: 'c-2',
        sentAt: sent(1),
        status: 'pending',
      },
      {
        id: 'i-6',
        learner: 'Jane Doe',
        learnerId: 'l-1',
        course: 'GDPR Essentials',
        courseId: 'c-4',
        sentAt: sent(5),
        status: 'accepted',
      },
    ];
    const bg = fakeBackground(mine);
    const render = await portalTable('invite-history', MARKUP_PRESETS['hookless-fr']);
    startFeature(inviteHistory, bg.deps, life.signal());
    render(mine.map(portalInvite));
    await settle();
    expect(controlIn('First Aid at Work').label).toBe('Revoke invite: Jane Doe, First Aid at Work');
    expect(controlIn('GDPR Essentials').note).toBe('');
    // The row's three-dots menu holds only Cancel ("Annuler"): Reclaim stands in for it on pending rows.
    expect(controlIn('First Aid at Work').host?.getAttribute('data-portal')).toBe('hidden');
    userClick(controlIn('First Aid at Work').button as HTMLElement);
    await settle();
    expect(bg.sent('job.start')[0]?.scope).toEqual({ kind: 'invites', inviteIds: ['i-5'] });
  });
});
