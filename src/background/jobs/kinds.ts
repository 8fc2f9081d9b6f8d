/**
 * Item kinds: what an item does on the portal. Each kind is one executor (the requests it sends
 * and the re-read that settles a lost answer) and one policy function (policy.ts: what each
 * answer means), registered here, in ITEM_KINDS. The rest of the engine (claims, retries,
 * back-off, sign-out, grouped writes, progress) is the same for every kind.
 *
 * An executor's re-read exists so that a request whose answer was lost is never simply sent
 * again: the portal is asked what became of it first, and the policy decides from that.
 */
import type { PortalClient } from '../../portal/api/client';
import type { ItemKind, JobItem } from '../../shared/types';
import { cancelExecutor } from './cancel-executor';
import { cancelPolicy, type KindPolicy, type Step, type Verdict } from './policy';

/** The portal I/O of one kind. */
export interface Executor<Sent, Read> {
  /** Sends the item's request; by then the item is durably 'in-flight' with this try counted. */
  send(client: PortalClient, item: JobItem): Promise<Sent>;
  /** Re-reads the portal to learn whether a request whose answer was lost applied. */
  settle(client: PortalClient, item: JobItem): Promise<Read>;
}

/** A kind as the engine runs it: one step on the portal, read by the kind's policy. */
interface RegisteredKind {
  step(step: Step, client: PortalClient, item: JobItem): Promise<Verdict>;
}

export type KindRegistry = Readonly<Record<string, RegisteredKind>>;

export function registerKind<Sent, Read>(
  executor: Executor<Sent, Read>,
  policy: KindPolicy<Sent, Read>,
): RegisteredKind {
  return {
    async step(step, client, item) {
      if (step === 'send') return policy({ step, answer: await executor.send(client, item) }, item);
      return policy({ step, answer: await executor.settle(client, item) }, item);
    },
  };
}

export const ITEM_KINDS = {
  cancel: registerKind(cancelExecutor, cancelPolicy),
} satisfies Record<ItemKind, RegisteredKind>;
