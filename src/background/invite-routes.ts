/**
 * The router's requests for jobs that invite: the make-room plan, starting reassign, renew and
 * make room, and address suggestions. Trusted for what the sender may do, as every request is
 * (router.ts): extension pages for any course; a content script only for its own page's course
 * or learner, which invite-work.ts checks against what the portal says, read just now.
 */
import { t } from '../shared/i18n';
import type { Reply, Request } from '../shared/messages';
import type { PortalError, Settings } from '../shared/types';
import type { InviteCache } from './cache';
import { planInvites } from './jobs/invite-work';
import type { JobRunner } from './jobs/runner';
import type { ClientOf } from './portals';
import type { Caller } from './router';

type InviteRequest = Extract<Request, { type: 'invite.plan' | 'invite.start' | 'learners.suggest' }>;

interface InviteRouteDeps {
  client: ClientOf;
  cache: InviteCache;
  runner: JobRunner;
  settings(): Promise<Settings>;
}

/** How many suggestions an address field gets. */
const SUGGESTIONS = 8;

const refuse = (message: string) => ({ ok: false as const, error: { kind: 'refused' as const, message } });

export async function routeInvites(
  caller: Exclude<Caller, { kind: 'stranger' }>,
  req: InviteRequest,
  origin: string | { error: PortalError },
  deps: InviteRouteDeps,
): Promise<Reply<InviteRequest['type']>> {
  if (caller.kind === 'content' && !caller.context) return refuse(t('bgRefusedPage'));
  if (typeof origin !== 'string') return { ok: false, error: origin.error };
  const context = caller.kind === 'content' ? caller.context : null;
  switch (req.type) {
    case 'learners.suggest':
      return { ok: true, value: { learners: await deps.cache.learnersLike(origin, req.q, SUGGESTIONS) } };
    case 'invite.plan': {
      const r = await planInvites(deps.client(origin), req.courseId, req.text, req.minAgeDays, context);
      if (r.ok) return { ok: true, value: r.value };
      return 'refused' in r ? refuse(r.refused) : { ok: false, error: r.error };
    }
    case 'invite.start': {
      // Anything a page starts waits the manager's Undo window: a page cannot shorten it.
      if (caller.kind === 'content' && req.undoSeconds !== undefined) return refuse(t('bgUndoWindowFixed'));
      const settings = await deps.settings();
      const r = await deps.runner.startInvites({
        origin,
        work: req.work,
        surface: caller.surface,
        undoSeconds: req.undoSeconds ?? settings.undoSeconds,
        concurrency: settings.concurrency,
        context,
      });
      if (r.ok) return { ok: true, value: r.view };
      return 'refused' in r ? refuse(r.refused) : { ok: false, error: r.error };
    }
  }
}
