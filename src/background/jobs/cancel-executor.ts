/** The executor of the cancel kind: what cancelling one invite sends and reads on the portal. */
import type { Result } from '../../portal/api/client';
import type { InviteStatus } from '../../shared/types';
import type { Executor } from './kinds';

export const cancelExecutor: Executor<Result<unknown>, Result<InviteStatus | null>> = {
  send: (client, item) => client.cancel(item.inviteId),

  /** The invite's status among its learner's invites (the one list that always holds it), null when absent. */
  async settle(client, item) {
    const r = await client.learnerInvites(item.learnerId);
    if (!r.ok) return r;
    return { ok: true, value: r.value.find((i) => i.id === item.inviteId)?.status ?? null };
  },
};
