/**
 * Item kinds: what an item does on the portal. Each kind is one executor (the requests it sends
 * and the re-read that settles a lost answer) and one policy function (policy.ts: what each
 * answer means), registered here, in ITEM_KINDS. The rest of the engine (claims, retries,
 * back-off, sign-out, grouped writes, progress) is the same for every kind.
 *
 * An executor's re-read exists so that a request whose answer was lost is never simply sent
 * again: the portal is asked what became of it first, and the policy decides from that. A kind
 * whose re-read needs to know when its request left (an invite: the portal cannot say whose
 * invite it is, only when it was sent) records that with `stamp`, in the same write that marks
 * the item in flight, before the request leaves.
 */
import type { PortalClient } from '../../portal/api/client';
import type { ItemKind, JobItem } from '../../shared/types';
import { cancelExecutor } from './cancel-executor';
import { cancelThenInviteExecutor, inviteExecutor } from './invite-executor';
import { cancelThenInvitePolicy, invitePolicy } from './invite-policy';
import { cancelPolicy, type KindPolicy, type Step, type Verdict } from './policy';

/** The portal I/O of one kind. */
export interface Executor<Sent, Read> {
  /** Sends the item's request; by then the item is durably 'in-flight' with this try counted. */
  send(client: PortalClient, item: JobItem): Promise<Sent>;
  /** Re-reads the portal to learn whether a request whose answer was lost applied. */
  settle(client: PortalClient, item: JobItem): Promise<Read>;
  /** What the item records about its next request, written with its 'in-flight' state before it is sent. */
  stamp?(client: PortalClient, item: JobItem): JobItem | Promise<JobItem>;
}

/** A kind as the engine runs it: one step on the portal, read by the kind's policy. */
interface RegisteredKind {
  step(step: Step, client: PortalClient, item: JobItem): Promise<Verdict>;
  stamp?(client: PortalClient, item: JobItem): JobItem | Promise<JobItem>;
}

export type KindRegistry = Readonly<Record<string, RegisteredKind>>;

export function registerKind<Sent, Read>(
  executor: Executor<Sent, Read>,
  policy: KindPolicy<Sent, Read>,
): RegisteredKind {
  const kind: RegisteredKind = {
    async step(step, client, item) {
      if (step === 'send') return policy({ step, answer: await executor.send(client, item) }, item);
      return policy({ step, answer: await executor.settle(client, item) }, item);
    },
  };
  if (executor.stamp) kind.stamp = executor.stamp.bind(executor);
  return kind;
}

export const ITEM_KINDS = {
  cancel: registerKind(cancelExecutor, cancelPolicy),
  invite: registerKind(inviteExecutor, invitePolicy),
  'cancel-then-invite': registerKind(cancelThenInviteExecutor, cancelThenInvitePolicy),
} satisfies Record<ItemKind, RegisteredKind>;
