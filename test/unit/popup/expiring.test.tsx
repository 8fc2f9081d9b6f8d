/**
 * The popup's Expiring soon view: the portal's pending invites expiring within the expiry window
 * (read by shared/expiring.ts from a cache), soonest first; select all; Renew, Reassign and
 * Revoke each start a job with Undo; its way in and back; and the expiry watch's note.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Opening } from '../../../src/popup/store';
import type { Request } from '../../../src/shared/messages';
import type { CourseOverview, Scope } from '../../../src/shared/types';
import { COURSES, type Fake, fakeDeps, invite, jobView, NOW, settle } from './fakes';
import { buttonNamed, clickAndSettle, mountPopup, unmountPopups } from './mount';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ORIGIN = 'http://127.0.0.1:4310';

let root: HTMLElement;

async function mount(f: Fake, opening: Opening = { expiring: true }) {
  const popup = await mountPopup(f, opening, 20);
  root = popup.root;
  return popup.store;
}

const button = (label: RegExp) => buttonNamed(root, label);
const click = (el: HTMLElement | null | undefined) => clickAndSettle(el, 20);

/** Each row as "name <address> · course · countdown", in screen order. */
const rows = () =>
  [...root.querySelectorAll('li[data-invite-id]')].map((li) =>
    [
      li.querySelector('label')?.textContent,
      li.querySelector('.email')?.textContent,
      li.querySelector('.course')?.textContent,
      li.querySelector('[data-testid="countdown"]')?.textContent,
    ].join(' · '),
  );

afterEach(unmountPopups);

/** Two courses' invites inside a 3-day window, and some that are not the view's. */
const INVITES = [
  invite('i-1', 'c-1', 'Fire Safety', 'Ada Lovelace', 2 * DAY + HOUR),
  invite('i-2', 'c-2', 'GDPR Essentials', 'Bob Stone', 5 * HOUR),
  invite('i-3', 'c-1', 'Fire Safety', 'Cy Later', 4 * DAY), // outside the window
  invite('i-4', 'c-9', 'Elsewhere', 'Di Other', HOUR, 'https://learn.example.com'), // another portal
  invite('i-5', 'c-1', 'Fire Safety', 'Ed Gone', -HOUR), // already expired
  { ...invite('i-6', 'c-2', 'GDPR Essentials', 'Flo Accepted', DAY), status: 'accepted' as const },
];

/** The background's answer to a start: a job in its Undo window with the request's items. */
const answer = (id: number, reason: 'renew' | 'reassign' | undefined, total: number, scope?: Scope) => {
  const view = jobView(id, 'waiting', { total, queued: total });
  return { ...view, job: { ...view.job, reason, scope: scope ?? view.job.scope } };
};
const startAnswer = (req: Request) =>
  req.type === 'job.start' && req.scope.kind === 'invites'
    ? answer(8, undefined, req.scope.inviteIds.length, req.scope)
    : req.type === 'invite.start' && req.work.kind === 'renew'
      ? answer(7, 'renew', req.work.invites.length)
      : req.type === 'invite.start' && req.work.kind === 'reassign'
        ? answer(9, 'reassign', req.work.pairs.length)
        : answer(10, undefined, 0);

describe('popup: Expiring soon', () => {
  it('lists this portal’s pending invites expiring within the window, soonest first, across courses', async () => {
    const f = fakeDeps({ settings: { renewDays: 3 }, invites: INVITES });
    await mount(f);
    expect(root.querySelector('#expiring-title')?.textContent).toBe('Expiring within 3 days');
    expect(rows()).toEqual([
      'Bob Stone · bob.stone@example.com · GDPR Essentials · expires in 5 hours',
      'Ada Lovelace · ada.lovelace@example.com · Fire Safety · expires in 2 days',
    ]);
    expect(f.expiringWatches.at(-1)).toEqual({ now: NOW, origin: ORIGIN, withinDays: 3 });
  });

  it('counts the window on the portal’s clock, and follows the setting', async () => {
    const f = fakeDeps({ settings: { renewDays: 5 }, invites: INVITES });
    // The portal is a day ahead of this computer.
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: NOW,
      portalNow: NOW + DAY,
      signedIn: true,
      error: null,
    });
    await mount(f);
    expect(f.expiringWatches.at(-1)).toEqual({ now: NOW + DAY, origin: ORIGIN, withinDays: 5 });
    // Bob's 5 h are gone on the portal; Cy's 4 days are 3 left there, within 5.
    expect(rows()).toEqual([
      'Ada Lovelace · ada.lovelace@example.com · Fire Safety · expires in 1 day',
      'Cy Later · cy.later@example.com · Fire Safety · expires in 3 days',
    ]);
  });

  it('follows the cache live', async () => {
    const f = fakeDeps({ invites: INVITES });
    await mount(f);
    expect(rows()).toHaveLength(2);
    await act(async () => {
      f.feedInvites(INVITES.filter((i) => i.id !== 'i-2'));
      await settle(20);
    });
    expect(rows().map((r) => r.split(' · ')[0])).toEqual(['Ada Lovelace']);
  });

  it('says so when nothing expires within the window', async () => {
    const f = fakeDeps({ settings: { renewDays: 2 }, invites: [INVITES[2] as (typeof INVITES)[number]] });
    await mount(f);
    expect(rows()).toEqual([]);
    expect(root.querySelector('[data-testid="expiring-empty"]')?.textContent).toBe(
      'No pending invite expires within 2 days.',
    );
    expect(button(/selected/)).toBeUndefined();
  });

  it('select all ticks every row, and Renew selected renews them across courses in one job with Undo', async () => {
    const f = fakeDeps({ invites: INVITES });
    f.handlers['invite.start'] = startAnswer;
    await mount(f);
    expect(button(/^Renew selected/)).toBeUndefined();
    await click(root.querySelector<HTMLInputElement>('#expiring-all'));
    const boxes = [...root.querySelectorAll<HTMLInputElement>('li[data-invite-id] input[type="checkbox"]')];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    await click(button(/^Renew selected \(2\)$/));
    expect(f.sent.filter((r) => r.type === 'invite.start')).toEqual([
      {
        type: 'invite.start',
        work: {
          kind: 'renew',
          invites: [
            { courseId: 'c-2', inviteId: 'i-2' },
            { courseId: 'c-1', inviteId: 'i-1' },
          ],
        },
      },
    ]);
    expect(root.querySelector('#undo-title')?.textContent).toBe('Renewing 2 invites');
    expect(button(/^Undo/)).toBeDefined();
  });

  it('unticking one of all leaves select all half-ticked and the rest selected', async () => {
    const f = fakeDeps({ invites: INVITES });
    f.handlers['job.start'] = startAnswer;
    await mount(f);
    await click(root.querySelector<HTMLInputElement>('#expiring-all'));
    await click(root.querySelector<HTMLInputElement>('li[data-invite-id="i-2"] input[type="checkbox"]'));
    const all = root.querySelector<HTMLInputElement>('#expiring-all');
    expect(all?.checked).toBe(false);
    expect(all?.indeterminate).toBe(true);
    await click(button(/^Revoke selected \(1\)$/));
    expect(f.sent.filter((r) => r.type === 'job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-1'] } },
    ]);
  });

  it('each row renews and revokes its own invite', async () => {
    const f = fakeDeps({ invites: INVITES });
    f.handlers['invite.start'] = startAnswer;
    await mount(f);
    await click(button(/^Renew Ada Lovelace, Fire Safety$/));
    expect(f.sent.filter((r) => r.type === 'invite.start')).toEqual([
      { type: 'invite.start', work: { kind: 'renew', invites: [{ courseId: 'c-1', inviteId: 'i-1' }] } },
    ]);
    await click(button(/^Undo/));

    const g = fakeDeps({ invites: INVITES });
    g.handlers['job.start'] = startAnswer;
    render(null, root);
    root.remove();
    await mount(g);
    await click(button(/^Revoke Bob Stone, GDPR Essentials$/));
    expect(g.sent.filter((r) => r.type === 'job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-2'] } },
    ]);
    expect(root.querySelector('#undo-title')?.textContent).toBe('Revoking 1 pending invite');
  });

  it('Reassign asks for an address, suggests known learners, refuses a non-address, then reassigns', async () => {
    const f = fakeDeps({ invites: INVITES });
    f.handlers['learners.suggest'] = (req) => ({
      learners: [{ name: 'Zed Newman', email: 'zed@example.com' }].filter((l) =>
        l.name.toLowerCase().includes(req.q),
      ),
    });
    f.handlers['invite.start'] = startAnswer;
    await mount(f);
    await click(button(/^Reassign Ada Lovelace, Fire Safety$/));
    const input = root.querySelector<HTMLInputElement>('#reassign-i-1');
    expect(input).not.toBeNull();
    expect(document.activeElement).toBe(input);
    expect(root.querySelector('label[for="reassign-i-1"]')?.textContent).toBe(
      'New address for Ada Lovelace’s seat',
    );
    const type = async (value: string) => {
      await act(async () => {
        if (!input) return;
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await settle(20);
      });
    };
    await type('zed');
    expect(f.sent.filter((r) => r.type === 'learners.suggest')).toEqual([
      { type: 'learners.suggest', q: 'zed' },
    ]);
    expect(
      [...root.querySelectorAll('#reassign-i-1-list option')].map((o) => o.getAttribute('value')),
    ).toEqual(['Zed Newman <zed@example.com>']);
    await click(button(/^Reassign$/));
    expect(root.querySelector('[role="alert"]')?.textContent).toMatch(/^Not an address/);
    expect(f.sent.some((r) => r.type === 'invite.start')).toBe(false);
    await type('Zed Newman <zed@example.com>');
    await click(button(/^Reassign$/));
    expect(f.sent.filter((r) => r.type === 'invite.start')).toEqual([
      {
        type: 'invite.start',
        work: { kind: 'reassign', pairs: [{ courseId: 'c-1', inviteId: 'i-1', email: 'zed@example.com' }] },
      },
    ]);
    expect(root.querySelector('#undo-title')?.textContent).toBe('Reassigning 1 invite');
  });

  it('is reached from the courses by “Expiring soon (N)” only when N > 0, and left by Back to courses', async () => {
    const withExpiring = (a: number, b: number) => ({
      origin: ORIGIN,
      courses: [
        { ...(COURSES[0] as CourseOverview), expiring: a },
        { ...(COURSES[1] as CourseOverview), expiring: b },
      ],
      fetchedAt: NOW,
    });
    const f = fakeDeps({ overview: withExpiring(1, 1), invites: INVITES });
    await mount(f, {});
    expect(root.querySelector('[data-testid="expiring-view"]')).toBeNull();
    expect(f.expiringWatches).toEqual([]); // no rows read while the view is closed
    await click(button(/^Expiring soon \(2\)$/));
    expect(root.querySelector('[data-testid="expiring-view"]')).not.toBeNull();
    expect(document.activeElement?.id).toBe('expiring-title');
    expect(rows()).toHaveLength(2);
    await click(button(/^Back to courses$/));
    expect(root.querySelector('[data-testid="expiring-view"]')).toBeNull();
    expect(root.querySelector('[data-course-id="c-1"]')).not.toBeNull();

    const g = fakeDeps({ overview: withExpiring(0, 0) });
    render(null, root);
    root.remove();
    await mount(g, {});
    expect(button(/^Expiring soon/)).toBeUndefined();
  });

  it('says plainly when the expiry watch is not checking because the manager is signed out', async () => {
    const f = fakeDeps({
      invites: INVITES,
      watchStatus: [{ origin: ORIGIN, at: NOW - 10 * 60_000, outcome: 'signed-out' }],
    });
    await mount(f);
    expect(root.querySelector('[data-testid="watch-note"]')?.textContent).toBe(
      'Reclaim is not checking for expiring invites on 127.0.0.1:4310 until you sign in there again.',
    );
  });

  it('says when the last check failed and why, or when it last checked', async () => {
    const f = fakeDeps({
      watchStatus: [
        { origin: ORIGIN, at: NOW - 2 * HOUR, outcome: 'failed', message: 'the portal had an error' },
      ],
    });
    await mount(f, {});
    expect(root.querySelector('[data-testid="watch-note"]')?.textContent).toBe(
      'The last check for expiring invites on 127.0.0.1:4310 (2 hours ago) failed: the portal had an error.',
    );
    const g = fakeDeps({ watchStatus: [{ origin: ORIGIN, at: NOW - 7 * 60_000, outcome: 'read' }] });
    render(null, root);
    root.remove();
    await mount(g, {});
    expect(root.querySelector('[data-testid="watch-note"]')?.textContent).toBe(
      'Checked for expiring invites 7 minutes ago.',
    );
  });
});
