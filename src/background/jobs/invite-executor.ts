/**
 * The executors of the kinds that send invites: what inviting one address, and cancelling an
 * invite then inviting an address, send and read on the portal (their policies: invite-policy.ts).
 *
 * One address per request: a refusal (no seat, a malformed address) then concerns that address
 * alone, and a lost answer is settled for that address alone.
 */
import type { PortalClient, Result } from '../../portal/api/client';
import type { Invite, InviteAnswer } from '../../portal/api/schemas';
import { addressKey } from '../../shared/addresses';
import type { InviteStatus, JobItem } from '../../shared/types';
import { cancelExecutor } from './cancel-executor';
import type { Executor } from './kinds';

/** An invite request's answer, and a re-read: every invite of the course sent to the item's address. */
export type InviteSent = Result<InviteAnswer>;
export type InviteRead = Result<Invite[]>;

const addressOf = (item: JobItem): string => item.email ?? '';

/**
 * Records, once per invite phase, a portal time that has certainly passed before the first
 * invite request of the item leaves: the re-read tells the item's own invite (sent at or after
 * it) from one someone else sent before. Kept across re-sends: a request whose answer was lost
 * may still apply late, and its invite must still count as this item's.
 */
async function stampInvite(client: PortalClient, item: JobItem): Promise<JobItem> {
  if (item.inviteFrom !== undefined) return item;
  let passed = client.portalPassed();
  if (passed === null) {
    // No answer yet in this worker's life: one read tells where the portal's clock stands.
    await client.session();
    passed = client.portalPassed() ?? client.portalNow();
  }
  return { ...item, inviteFrom: passed };
}

export const inviteExecutor: Executor<InviteSent, InviteRead> = {
  send: (client, item) => client.invite(item.courseId, [addressOf(item)]),

  /** The course's invites of the address, in every status (the portal lists no other way by address). */
  async settle(client, item) {
    const r = await client.courseInvites(item.courseId, 'all');
    if (!r.ok) return r;
    const key = addressKey(addressOf(item));
    return { ok: true, value: r.value.filter((i) => addressKey(i.learner.email) === key) };
  },

  stamp: stampInvite,
};

/** A cancel-then-invite item's answers, by the request it was at. */
export type PairSent = { phase: 'cancel'; answer: Result<unknown> } | { phase: 'invite'; answer: InviteSent };
export type PairRead =
  | { phase: 'cancel'; answer: Result<InviteStatus | null> }
  | { phase: 'invite'; answer: InviteRead };

const inInvitePhase = (item: JobItem): boolean => item.phase === 'invite';

export const cancelThenInviteExecutor: Executor<PairSent, PairRead> = {
  async send(client, item) {
    if (inInvitePhase(item)) return { phase: 'invite', answer: await inviteExecutor.send(client, item) };
    return { phase: 'cancel', answer: await cancelExecutor.send(client, item) };
  },

  async settle(client, item) {
    if (inInvitePhase(item)) return { phase: 'invite', answer: await inviteExecutor.settle(client, item) };
    return { phase: 'cancel', answer: await cancelExecutor.settle(client, item) };
  },

  stamp: (client, item) => (inInvitePhase(item) ? stampInvite(client, item) : item),
};
