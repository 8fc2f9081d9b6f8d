/**
 * The background's message router: every Request of src/shared/messages.ts, parsed by its
 * schema, answered for what the SENDER may do (never for what the message claims).
 *
 *   extension page  sender.id is ours and sender.url is inside the extension: everything.
 *   content script  sender.id is ours, in a tab, top frame, its page's origin allowed:
 *                   only its own page. Learner scope only for the learner in its URL, course
 *                   scope only for the course in its URL, explicit invite ids only when the
 *                   portal, read just now, shows them belonging to that learner or course; its
 *                   jobs only (those started from the same page), always with the manager's
 *                   Undo window (a page cannot choose one); settings.get answers only what a
 *                   page needs (its Undo window, whether to show the portal's Cancel). It may
 *                   also undo, in its window, a job that covers its page (page-jobs.ts).
 *   anything else   refused.
 * The origin is the one the browser vouches for, `sender.origin`, where it gives one (as uBlock
 * Origin does): a renderer cannot forge it. An opaque origin ("null": a sandboxed page) or one
 * that disagrees with `sender.url` is refused. Without it (Firefox), the URL's origin.
 * Cross-course scope ('courses'), the overview, settings.set, origins.* and audit.csv are for
 * extension pages only. Jobs that invite follow the same rules (invite-routes.ts).
 */
import * as v from 'valibot';
import { courseIdFromUrl, learnerIdFromUrl } from '../portal/page/routes';
import { t } from '../shared/i18n';
import { type Replies, type Reply, Request, type RequestType } from '../shared/messages';
import { type PortalPage, samePage } from '../shared/portal-page';
import type { Job, PortalError, Scope, Settings } from '../shared/types';
import { originAllowed } from './allowed';
import { auditCsv } from './audit-csv';
import type { InviteCache } from './cache';
import { routeInvites } from './invite-routes';
import type { ControlResult } from './jobs/requests';
import type { JobRunner } from './jobs/runner';
import { coveringJob, coversPage } from './page-jobs';
import type { ClientOf } from './portals';
import type { SiteEnabler } from './site-enabler';

/** The parts of webextension-polyfill's MessageSender the router looks at. */
export interface Sender {
  id?: string;
  url?: string;
  /** The sender's origin as the browser knows it (Chromium); "null" when opaque. */
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

export type Caller =
  | { kind: 'extension'; surface: 'popup' | 'options' }
  | { kind: 'content'; origin: string; context: PortalPage | null; surface: 'invite-history' | 'usage' }
  | { kind: 'stranger' };

export function classifySender(
  sender: Sender,
  ext: { id: string; baseUrl: string },
  allowedOrigins: readonly string[],
): Caller {
  if (!sender || sender.id !== ext.id || typeof sender.url !== 'string') return { kind: 'stranger' };
  const vouched = sender.origin;
  if (vouched === 'null') return { kind: 'stranger' };
  if (sender.url.startsWith(ext.baseUrl)) {
    if (vouched !== undefined && vouched !== ext.baseUrl.replace(/\/$/, '')) return { kind: 'stranger' };
    return { kind: 'extension', surface: sender.url.includes('/options/') ? 'options' : 'popup' };
  }
  if (!sender.tab || sender.frameId !== 0) return { kind: 'stranger' };
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return { kind: 'stranger' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'stranger' };
  if (vouched !== undefined && vouched !== url.origin) return { kind: 'stranger' };
  if (!originAllowed(url.origin, allowedOrigins)) return { kind: 'stranger' };
  const learnerId = learnerIdFromUrl(url);
  if (learnerId)
    return {
      kind: 'content',
      origin: url.origin,
      context: { kind: 'learner', learnerId },
      surface: 'invite-history',
    };
  const courseId = courseIdFromUrl(url);
  if (courseId)
    return { kind: 'content', origin: url.origin, context: { kind: 'course', courseId }, surface: 'usage' };
  return { kind: 'content', origin: url.origin, context: null, surface: 'usage' };
}

/** Whether `caller` may see and control `job`: extension pages every job, a page only its own. */
export function mayControl(caller: Caller, job: Job): boolean {
  if (caller.kind === 'extension') return true;
  return caller.kind === 'content' && job.origin === caller.origin && samePage(job.context, caller.context);
}

interface RouterDeps {
  ext: { id: string; baseUrl: string };
  settings(): Promise<Settings>;
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
  addOrigin(origin: string): Promise<Settings>;
  removeOrigin(origin: string): Promise<Settings>;
  /** The popup's "Use Reclaim on <host>" (site-enabler.ts); refused when absent. */
  enableSite?: SiteEnabler['askAndEnable'];
  /** "Forget this portal" (retention.ts): everything stored for it goes. */
  forgetOrigin(origin: string): Promise<Replies['origins.forget']>;
  /** The portal origin extension pages act on (the open portal tab, else the last one seen). */
  portalOrigin(): Promise<string | null>;
  client: ClientOf;
  cache: InviteCache;
  runner: JobRunner;
  /** A content script of a portal tab spoke: that origin is live (wake signed-out jobs, remember it). */
  portalSeen?(origin: string): void;
  /** How long overview.get {refresh} waits for course invites before answering from the cache. */
  overviewBudgetMs?: number;
  /** A cached read older than this is refreshed in the background. */
  staleMs?: number;
  sleep(ms: number): Promise<void>;
}

type Answer<T extends RequestType> = Reply<T>;
type Refusal = { ok: false; error: { kind: 'refused'; message: string } };

const refuse = (message = t('bgRefused')): Refusal => ({
  ok: false,
  error: { kind: 'refused', message },
});
const okv = <T extends RequestType>(value: Replies[T]): Answer<T> => ({ ok: true, value });
const portalError = (error: PortalError) => ({ ok: false as const, error });
const noSuchJob = () => ({
  ok: false as const,
  error: { kind: 'bad-request' as const, message: t('bgNoSuchJob') },
});

function fromControl(r: ControlResult): Answer<'job.get'> {
  return r.ok ? { ok: true, value: r.view } : { ok: false, error: r.error };
}

export function createRouter(deps: RouterDeps) {
  const staleMs = deps.staleMs ?? 15_000;
  /** Why no portal origin is known: none allowed at all, or none seen in a tab yet. */
  const noOrigin = async (): Promise<PortalError> => ({
    kind: 'no-permission',
    message: t((await deps.settings()).origins.length === 0 ? 'bgNoPortal' : 'bgPortalNotSeen'),
  });

  const scopeAllowed = (caller: Caller, scope: Scope): boolean => {
    if (caller.kind === 'extension') return true;
    if (caller.kind !== 'content' || !caller.context) return false;
    switch (scope.kind) {
      case 'learner':
      case 'course':
        return samePage(caller.context, scope);
      case 'invites':
        return true; // checked against the portal while resolving
      default:
        return false;
    }
  };

  const jobFor = async (caller: Caller, jobId: number): Promise<Job | null> => {
    const job = await deps.runner.job(jobId);
    return job && mayControl(caller, job) ? job : null;
  };

  const coveringFor = async (caller: Caller, jobId: number): Promise<Job | null> => {
    const job = await deps.runner.job(jobId);
    return job && job.state === 'waiting' && coversPage(caller, job) ? job : null;
  };

  const originFor = async (caller: Caller): Promise<string | null> =>
    caller.kind === 'content' ? caller.origin : deps.portalOrigin();

  async function invitesGet(
    caller: Caller,
    req: Extract<Request, { type: 'invites.get' }>,
  ): Promise<Answer<'invites.get'>> {
    const target: PortalPage = req.target;
    if (caller.kind === 'content' && !samePage(caller.context, target)) return refuse(t('bgOwnInvitesOnly'));
    const origin = await originFor(caller);
    if (!origin) return portalError(await noOrigin());
    const client = deps.client(origin);
    let error: PortalError | null = null;
    const last = await deps.cache.refreshedAt(origin, target);
    if (req.refresh || last === null) {
      const r = await deps.cache.refresh(origin, target);
      if (!r.ok) error = r.error;
      // A course page shows its seats after a revoke: from the portal's course list, read once if never.
      else if (target.kind === 'course' && !(await deps.cache.seats(origin, target.courseId)))
        await deps.cache.refreshCourses(origin);
    } else if (Date.now() - last > staleMs) {
      // Cached answer now; the fresh one follows as `invites-changed`.
      void deps.cache.refresh(origin, target);
    }
    const portalNow = client.portalNow();
    return okv<'invites.get'>({
      invites: await deps.cache.read(origin, target, portalNow),
      fetchedAt: await deps.cache.refreshedAt(origin, target),
      portalNow,
      error,
      seats: target.kind === 'course' ? await deps.cache.seats(origin, target.courseId) : null,
    });
  }

  async function overviewGet(refresh: boolean, full: boolean): Promise<Answer<'overview.get'>> {
    const origin = await deps.portalOrigin();
    if (!origin) return portalError(await noOrigin());
    const client = deps.client(origin);
    let signedIn: boolean | null = null;
    let error: PortalError | null = null;
    const cached = await deps.cache.overview(origin, client.portalNow());
    const stale = cached.fetchedAt === null || Date.now() - cached.fetchedAt > staleMs;
    if (refresh || stale) {
      const { listed, done } = deps.cache.refreshAll(origin, { full: refresh && full });
      if (refresh || cached.courses.length === 0) {
        const r = await listed;
        if (r.ok) {
          signedIn = true;
          const finished = await Promise.race([
            done,
            deps.sleep(deps.overviewBudgetMs ?? 4000).then(() => null),
          ]);
          if (finished && !finished.ok) error = finished.error;
        } else {
          error = r.error;
          if (r.error.kind === 'signed-out') signedIn = false;
        }
      }
    }
    const portalNow = client.portalNow();
    const now = await deps.cache.overview(origin, portalNow);
    const courses = now.courses.map((c) => ({ ...c, reclaimable: c.pending }));
    return okv<'overview.get'>({ courses, fetchedAt: now.fetchedAt, portalNow, signedIn, error, origin });
  }

  async function handle(caller: Caller, req: Request): Promise<Reply<RequestType>> {
    switch (req.type) {
      case 'invites.get':
        return invitesGet(caller, req);
      case 'overview.get':
        if (caller.kind !== 'extension') return refuse();
        return overviewGet(!!req.refresh, !!req.full);
      case 'preview':
      case 'job.start': {
        if (!scopeAllowed(caller, req.scope)) return refuse(t('bgRefusedPage'));
        const origin = await originFor(caller);
        if (!origin) return portalError(await noOrigin());
        const context = caller.kind === 'content' ? caller.context : null;
        if (req.type === 'preview') {
          const r = await deps.runner.preview(origin, req.scope, context);
          if (!r.ok) return r;
          if (context && r.value.unverified.length > 0) return refuse(t('bgNotOnPage'));
          return okv<'preview'>(r.value.preview);
        }
        // Anything a page starts waits the manager's Undo window: a page cannot shorten it.
        if (caller.kind === 'content' && req.undoSeconds !== undefined) return refuse(t('bgUndoWindowFixed'));
        const settings = await deps.settings();
        const surface =
          caller.kind === 'content' ? caller.surface : caller.kind === 'extension' ? caller.surface : 'popup';
        const r = await deps.runner.start({
          origin,
          scope: req.scope,
          surface,
          undoSeconds: req.undoSeconds ?? settings.undoSeconds,
          concurrency: settings.concurrency,
          context,
        });
        if (r.ok) return okv<'job.start'>(r.view);
        if ('refused' in r) return refuse(r.refused);
        return portalError(r.error);
      }
      case 'invite.plan':
      case 'invite.start':
      case 'learners.suggest': {
        if (caller.kind === 'stranger') return refuse();
        const origin = await originFor(caller);
        return routeInvites(caller, req, origin ?? { error: await noOrigin() }, deps);
      }
      case 'job.undo':
      case 'job.pause':
      case 'job.resume':
      case 'job.cancel':
      case 'job.retryFailed':
      case 'job.get': {
        // A page may undo a job that covers its course or learner in its window (page-jobs.ts).
        const job =
          (await jobFor(caller, req.jobId)) ??
          (req.type === 'job.undo' ? await coveringFor(caller, req.jobId) : null);
        if (!job) return caller.kind === 'stranger' ? refuse() : noSuchJob();
        const runner = deps.runner;
        if (req.type === 'job.get') {
          const view = await runner.view(job.id);
          return view ? okv<'job.get'>(view) : noSuchJob();
        }
        const act = {
          'job.undo': () => runner.undo(job.id),
          'job.pause': () => runner.pause(job.id),
          'job.resume': () => runner.resume(job.id),
          'job.cancel': () => runner.cancel(job.id),
          'job.retryFailed': () => runner.retryFailed(job.id),
        }[req.type];
        return fromControl(await act());
      }
      case 'job.current': {
        if (caller.kind === 'extension') return okv<'job.current'>(await deps.runner.current());
        if (caller.kind !== 'content' || !caller.context) return okv<'job.current'>(null);
        const c = caller;
        return okv<'job.current'>(await deps.runner.current((j) => mayControl(c, j)));
      }
      case 'job.covering': {
        if (caller.kind !== 'content' || !caller.context) return okv<'job.covering'>(null);
        const c = caller;
        const view = await deps.runner.current((j) => j.state === 'waiting' && coversPage(c, j));
        return okv<'job.covering'>(view ? coveringJob(view.job, c) : null);
      }
      case 'settings.get': {
        const settings = await deps.settings();
        // A page needs its Undo window, not the manager's other portals or choices.
        if (caller.kind === 'content')
          return okv<'settings.get'>({
            undoSeconds: settings.undoSeconds,
            renewDays: settings.renewDays,
            showPortalCancel: settings.showPortalCancel,
          });
        return okv<'settings.get'>(settings);
      }
      case 'settings.set':
        if (caller.kind !== 'extension') return refuse();
        return okv<'settings.set'>(await deps.saveSettings(req.settings));
      case 'origins.add':
      case 'origins.remove': {
        if (caller.kind !== 'extension') return refuse();
        try {
          const s =
            req.type === 'origins.add'
              ? await deps.addOrigin(req.origin)
              : await deps.removeOrigin(req.origin);
          return okv<'origins.add'>(s);
        } catch (err) {
          return {
            ok: false,
            error: { kind: 'bad-request', message: err instanceof Error ? err.message : String(err) },
          };
        }
      }
      case 'origins.enable': {
        if (caller.kind !== 'extension' || !deps.enableSite) return refuse();
        try {
          return okv<'origins.enable'>(await deps.enableSite(req.origin, req.tabId ?? null));
        } catch (err) {
          return {
            ok: false,
            error: { kind: 'bad-request', message: err instanceof Error ? err.message : String(err) },
          };
        }
      }
      case 'origins.forget': {
        if (caller.kind !== 'extension') return refuse();
        try {
          return okv<'origins.forget'>(await deps.forgetOrigin(req.origin));
        } catch (err) {
          return {
            ok: false,
            error: { kind: 'bad-request', message: err instanceof Error ? err.message : String(err) },
          };
        }
      }
      case 'audit.csv': {
        if (caller.kind !== 'extension') return refuse();
        const entries = await deps.runner.auditLog();
        return okv<'audit.csv'>({ csv: auditCsv(entries), rows: entries.length });
      }
    }
  }

  /** Entry point for runtime.onMessage: parse, classify the sender, answer. Never throws. */
  return async function route(message: unknown, sender: Sender): Promise<Reply<RequestType>> {
    try {
      const settings = await deps.settings();
      const caller = classifySender(sender, deps.ext, settings.origins);
      if (caller.kind === 'stranger') return refuse();
      const parsed = v.safeParse(Request, message);
      if (!parsed.success) {
        return {
          ok: false,
          error: {
            kind: 'bad-request',
            message: t('bgMalformed', parsed.issues[0]?.message ?? 'invalid'),
          },
        };
      }
      if (caller.kind === 'content') deps.portalSeen?.(caller.origin);
      return await handle(caller, parsed.output);
    } catch (err) {
      console.error('Reclaim router', err);
      return {
        ok: false,
        error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) },
      };
    }
  };
}
