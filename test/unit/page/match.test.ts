import { describe, expect, it } from 'vitest';
import { dateFits, type InviteFacts, InviteIndex } from '../../../src/portal/page/match';
import { portalProfile } from '../../../src/portal/page/profile';

const usage = portalProfile.tables.usage;
const history = portalProfile.tables['invite-history'];

const inv = (
  id: string,
  learnerName: string,
  courseTitle = 'Fire Safety',
  sentAt = '2026-11-17T14:05:00Z',
): InviteFacts => ({
  id,
  learnerName,
  learnerEmail: `${learnerName.toLowerCase().replace(/\W+/g, '.')}@example.test`,
  courseTitle,
  sentAt,
});

const idOf = (found: InviteFacts | string) => (typeof found === 'string' ? found : found.id);

describe('the row-to-invite rule on a course’s page: the learner names the invite', () => {
  const index = new InviteIndex(
    [inv('i-1', 'Jane Doe'), inv('i-2', 'Bob Ray'), inv('i-3', 'Ann Lee')],
    usage,
  );

  it('finds the one invite by the learner’s name, e-mail, or both as one cell shows them', () => {
    expect(idOf(index.find('jane doe'))).toBe('i-1');
    expect(idOf(index.find('bob.ray@example.test'))).toBe('i-2');
    expect(idOf(index.find('ann leeann.lee@example.test'))).toBe('i-3'); // name and e-mail in two elements
    expect(idOf(index.find('ann lee ann.lee@example.test'))).toBe('i-3');
  });

  it('missing: a name no invite of the page has, a learner renamed since, or an empty cell', () => {
    expect(index.find('cy twombly')).toBe('missing');
    expect(index.find('jane smith')).toBe('missing'); // renamed on the page, not in the API yet
    expect(index.find('jane')).toBe('missing'); // a part of a name is not the name
    expect(index.find('')).toBe('unreadable');
  });

  it('ambiguous: two learners of the same name, or one learner’s name another’s e-mail', () => {
    const twins = new InviteIndex(
      [inv('i-1', 'Jane Doe'), inv('i-2', 'Jane Doe'), inv('i-3', 'Bob Ray')],
      usage,
    );
    expect(twins.find('jane doe')).toBe('ambiguous');
    expect(idOf(twins.find('bob ray'))).toBe('i-3');
    const odd = new InviteIndex(
      [inv('i-1', 'Jane Doe'), { ...inv('i-2', 'Jo'), learnerName: 'jane.doe@example.test' }],
      usage,
    );
    expect(odd.find('jane.doe@example.test')).toBe('ambiguous');
  });
});

describe('invites that left the list while the page still shows them', () => {
  it('name a row only where no current invite has that name', () => {
    const revoked = inv('i-1', 'Jane Doe');
    const index = new InviteIndex([inv('i-2', 'Bob Ray')], usage, [revoked]);
    expect(idOf(index.find('jane doe'))).toBe('i-1');
    const reinvited = new InviteIndex([inv('i-3', 'Jane Doe')], usage, [revoked]);
    expect(idOf(reinvited.find('jane doe'))).toBe('i-3');
  });
});

describe('the row-to-invite rule on a learner’s page: the course names the invite', () => {
  it('finds the invite by the course title, and says ambiguous for two courses of one title', () => {
    const index = new InviteIndex(
      [
        inv('i-1', 'Jane Doe', 'Fire Safety'),
        inv('i-2', 'Jane Doe', 'First Aid'),
        inv('i-3', 'Jane Doe', 'First Aid'),
      ],
      history,
    );
    expect(idOf(index.find('fire safety'))).toBe('i-1');
    expect(index.find('first aid')).toBe('ambiguous');
    expect(index.find('jane doe')).toBe('missing'); // the learner is not what names it here
    expect(index.find('fire safety 2')).toBe('missing');
  });
});

describe('a row’s date against its invite’s', () => {
  const sent = new Date(2026, 10, 17, 23, 30).toISOString(); // late on the 17th, local time
  const invite = inv('i-1', 'Jane Doe', 'Fire Safety', sent);

  it('fits the same day or the next or previous one (another time zone’s day), and no other', () => {
    expect(dateFits({ y: 2026, m: 11, d: 17 }, invite)).toBe(true);
    expect(dateFits({ y: 2026, m: 11, d: 18 }, invite)).toBe(true);
    expect(dateFits({ y: 2026, m: 11, d: 16 }, invite)).toBe(true);
    expect(dateFits({ y: 2026, m: 11, d: 19 }, invite)).toBe(false);
    expect(dateFits({ y: 2025, m: 11, d: 17 }, invite)).toBe(false);
  });

  it('leaves a row without a readable date to its name (the API’s sent date is used)', () => {
    expect(dateFits(null, invite)).toBe(true);
  });
});
