import { describe, expect, it } from 'vitest';
import { InviteIndex } from '../../../src/portal/page/match';
import { portalProfile } from '../../../src/portal/page/profile';
import { columnsOf, findInviteTable, readerFor } from '../../../src/portal/page/tables';
import { MARKUP_PRESETS, type TableMarkup } from '../../portal/assets/table-markup';
import type { Invite } from '../../portal/types';
import { asCached, invite, portalTable } from './portal-table';

const NOW = new Date(2026, 11, 1, 12).getTime();

/** The table's body rows. */
const rowsOf = (table: HTMLTableElement) => [...table.querySelectorAll<HTMLTableRowElement>('tbody > tr')];
function nth<T>(list: ArrayLike<T>, i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`nothing at ${i}`);
  return item;
}
const sent = (daysAgo: number) => new Date(NOW - daysAgo * 86_400_000).toISOString();

const COURSE = 'Fire Safety';
const usageInvites: Invite[] = [
  invite('Jane Doe', COURSE, sent(23.5)),
  invite('Bob Ray', COURSE, sent(29.9)),
  invite('Ann Lee', COURSE, sent(10), 'accepted'),
];
const historyInvites: Invite[] = [
  invite('Jane Doe', 'Fire Safety', sent(23.5)),
  invite('Jane Doe', 'First Aid at Work', sent(1)),
  invite('Jane Doe', 'GDPR Essentials', sent(5), 'accepted'),
];

/** Every way the reference portal can render its tables that Reclaim must read alike. */
const MARKUPS: [string, TableMarkup][] = [
  ['hooks', MARKUP_PRESETS.hooks],
  ['hookless', MARKUP_PRESETS.hookless],
  ['hookless-fr', MARKUP_PRESETS['hookless-fr']],
  [
    'vendor en-alt2, ISO dates, upper case',
    { ...MARKUP_PRESETS.hookless, words: 'en-alt2', dateFormat: 'yyyy-mm-dd', statusCase: 'upper' },
  ],
  ['portal layout without hooks, MMM d', { ...MARKUP_PRESETS.hooks, hooks: false, dateFormat: 'MMM d' }],
  [
    'vendor with the learner’s e-mail and <time>',
    { ...MARKUP_PRESETS.hookless, learnerEmail: true, time: true },
  ],
];

describe.each(MARKUPS)('both invite tables as the portal renders them: %s', (_name, markup) => {
  it.each([
    ['usage', usageInvites],
    ['invite-history', historyInvites],
  ] as const)(
    '%s: found, and every row read as its invite, status and actions cell',
    async (kind, invites) => {
      const render = await portalTable(kind, markup);
      const table = render(invites);
      expect(findInviteTable(document, kind)).toBe(table);
      expect(findInviteTable(document, kind === 'usage' ? 'invite-history' : 'usage')).toBeNull();
      const reader = readerFor(table, kind);
      const index = new InviteIndex(invites.map(asCached), portalProfile.tables[kind]);
      const rows = rowsOf(table);
      expect(rows).toHaveLength(invites.length);
      rows.forEach((row, i) => {
        const inv = invites[i] as Invite;
        const key = reader.read(row, index);
        expect(key).toMatchObject({ inviteId: inv.id, why: null, byHook: markup.hooks, status: inv.status });
        // The actions cell is the one holding the portal's own control.
        expect(key?.actions?.querySelector('button')).not.toBeNull();
        expect(reader.names(row, index, NOW)).toEqual({ inviteId: inv.id });
        const sentDay = new Date(inv.sentAt);
        expect(reader.details(row, NOW).day).toEqual({
          y: sentDay.getFullYear(),
          m: sentDay.getMonth() + 1,
          d: sentDay.getDate(),
        });
      });
      // The empty state is no invite's row.
      const empty = render([]);
      expect(rowsOf(empty).map((r) => reader.read(r, index))).toEqual([null]);
    },
  );
});

describe('reading a table by its header', () => {
  it('finds the columns by their words, wherever they are, with an extra column and a wrapper', async () => {
    const render = await portalTable('usage', MARKUP_PRESETS.hookless);
    const table = render(usageInvites);
    expect(table.parentElement?.className).toBe('tw-table-wrap');
    // status, sent, extra, learner, progress, actions
    expect(columnsOf(table, 'usage')).toEqual({ names: [3], sent: 1, status: 0, actions: 5 });
  });

  it('takes no table whose header lacks a column it needs (the Enrolment Keys list: Name, Key, Uses, State)', () => {
    const keys = document.createElement('table');
    const thead = document.createElement('thead');
    const head = document.createElement('tr');
    for (const text of ['Name', 'Key', 'Uses', 'State'])
      head.append(Object.assign(document.createElement('th'), { textContent: text }));
    thead.append(head);
    keys.append(thead);
    document.body.replaceChildren(keys);
    expect(columnsOf(keys, 'usage')).toBeNull();
    expect(findInviteTable(document, 'usage')).toBeNull();
  });

  it('without its table, a row that lost its status cell reads as nothing Reclaim knows', async () => {
    const render = await portalTable('usage', MARKUP_PRESETS.hookless);
    const table = render(usageInvites);
    const reader = readerFor(table, 'usage');
    const row = nth(rowsOf(table), 0);
    nth(row.cells, 0).textContent = 'On hold';
    expect(reader.read(row, null)?.status).toBeNull();
  });

  it('names no invite for a row until the page’s invites are known, then the rule decides', async () => {
    const render = await portalTable('usage', MARKUP_PRESETS.hookless);
    const twin = invite('Jane Doe', COURSE, sent(3)); // a second learner named Jane Doe
    const table = render([...usageInvites, twin]);
    const reader = readerFor(table, 'usage');
    const rows = rowsOf(table);
    expect(reader.read(nth(rows, 1), null)).toMatchObject({ inviteId: null, why: null, byHook: false });

    const index = new InviteIndex([...usageInvites, twin].map(asCached), portalProfile.tables.usage);
    expect(reader.read(nth(rows, 0), index)).toMatchObject({ inviteId: null, why: 'ambiguous' });
    expect(reader.read(nth(rows, 1), index)).toMatchObject({ inviteId: nth(usageInvites, 1).id });
    const without = new InviteIndex(usageInvites.slice(1).map(asCached), portalProfile.tables.usage);
    expect(reader.read(nth(rows, 0), without)).toMatchObject({ inviteId: null, why: 'missing' });
  });

  it('checks the date in full: a row of the same learner sent on another day is not that invite', async () => {
    const render = await portalTable('usage', MARKUP_PRESETS.hookless);
    const table = render(usageInvites);
    const reader = readerFor(table, 'usage');
    const row = nth(rowsOf(table), 0);
    const reinvited = { ...asCached(nth(usageInvites, 0)), sentAt: sent(2) };
    const index = new InviteIndex([reinvited], portalProfile.tables.usage);
    expect(reader.read(row, index)).toMatchObject({ inviteId: reinvited.id }); // the cheap read: by name
    expect(reader.names(row, index, NOW)).toEqual({ why: 'other-date' }); // the full check
  });
});
