/**
 * Resolving a revoke's scope fresh from the portal into a Preview and the job's cancel items.
 *
 * Nothing here trusts the cache: every invite a job will cancel was just read from the portal
 * and was pending there (and not yet expired by the portal's clock). Accepted invites are
 * counted as kept and never become something to cancel.
 */
import type { PortalClient, Result } from '../../portal/api/client';
import type { Course, Invite } from '../../portal/api/schemas';
import { ageInDays, expiresAt, isPendingAt } from '../../shared/expiry';
import { t } from '../../shared/i18n';
import type { PortalPage } from '../../shared/portal-page';
import type { ItemState, Job, Preview, PreviewCourse, Scope } from '../../shared/types';
import { eachLimited } from '../pool';
import type { StartRequest } from './requests';
import type { NewItem } from './store';

export interface Resolution {
  preview: Preview;
  /** Items of the job: 'queued' for each invite to cancel; final states for explicit ids that are not pending. */
  items: NewItem[];
  /** Accepted invites the scope touched (kept). */
  keptAccepted: number;
  /** Ids asked for (scope 'invites') that the portal did not show in the checked set. */
  unverified: string[];
}

interface ResolveOptions {
  origin: string;
  /** The page a content script asked from: the invites must belong to it. */
  context: PortalPage | null;
  /** For scope 'invites' from extension pages: which learner each id belongs to (from the cache). */
  learnersOf?: (inviteIds: string[]) => Promise<Map<string, string>>;
  now: () => number;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** How many courses a scope reads from the portal at once. */
const COURSE_READS = 4;

/** The item that cancels `invite`: queued, or already decided (`state`, with why). */
export function cancelItem(
  invite: Invite,
  state: ItemState,
  now: number,
  error: string | null = null,
): NewItem {
  return {
    kind: 'cancel',
    inviteId: invite.id,
    courseId: invite.course.id,
    courseTitle: invite.course.title,
    learnerId: invite.learner.id,
    learnerName: invite.learner.name,
    learnerEmail: invite.learner.email,
    state,
    tries: 0,
    error,
    updatedAt: now,
  };
}

function oldEnough(invite: Invite, minAgeDays: number | undefined, portalNow: number): boolean {
  return !minAgeDays || ageInDays(invite.sentAt, portalNow) >= minAgeDays;
}

function isLivePending(invite: Invite, portalNow: number): boolean {
  return isPendingAt(invite.status, expiresAt(invite.sentAt), portalNow);
}

export async function resolveScope(
  client: PortalClient,
  scope: Scope,
  opts: ResolveOptions,
): Promise<Result<Resolution>> {
  const now = opts.now();
  const toRevoke: Invite[] = [];
  const kept: Invite[] = [];
  const explicit: NewItem[] = [];
  const unverified: string[] = [];
  const titles = new Map<string, string>();
  const keptByCourse = new Map<string, number>();
  let portalNow = client.portalNow();

  const sortInvite = (invite: Invite) => {
    titles.set(invite.course.id, invite.course.title);
    if (invite.status === 'accepted') {
      if (oldEnough(invite, scope.minAgeDays, portalNow)) kept.push(invite);
    } else if (isLivePending(invite, portalNow) && oldEnough(invite, scope.minAgeDays, portalNow)) {
      toRevoke.push(invite);
    }
  };

  if (scope.kind === 'learner') {
    const r = await client.learnerInvites(scope.learnerId);
    if (!r.ok) return r;
    portalNow = client.portalNow();
    for (const invite of r.value) if (invite.learner.id === scope.learnerId) sortInvite(invite);
  } else if (scope.kind === 'course' || scope.kind === 'courses') {
    const list = await client.courses();
    if (!list.ok) return list;
    const wanted = scope.kind === 'course' ? [scope.courseId] : scope.courseIds;
    const courses: Course[] = wanted === 'all' ? list.value : list.value.filter((c) => wanted.includes(c.id));
    if (scope.kind === 'course' && courses.length === 0) {
      return { ok: false, error: { kind: 'not-found', message: t('engineCourseNotListed') } };
    }
    // Courses are read a few at a time; their invites are sorted in the portal's course order.
    const read = await eachLimited(courses, COURSE_READS, async (course) => {
      const pending = await client.courseInvites(course.id, 'pending');
      if (!pending.ok) return pending;
      if (!scope.minAgeDays) return ok({ pending: pending.value, accepted: [] as Invite[] });
      const accepted = await client.courseInvites(course.id, 'accepted');
      if (!accepted.ok) return accepted;
      return ok({ pending: pending.value, accepted: accepted.value });
    });
    if (!read.ok) return read;
    portalNow = client.portalNow();
    courses.forEach((course, k) => {
      const r = read.value[k];
      if (!r) return;
      titles.set(course.id, course.title);
      for (const invite of r.pending) if (invite.course.id === course.id) sortInvite(invite);
      if (scope.minAgeDays) {
        for (const invite of r.accepted) if (invite.course.id === course.id) sortInvite(invite);
      } else {
        // Accepted = assigned - pending (the portal's seat identity): no need to list them.
        const acceptedCount = Math.max(0, course.seats.assigned - course.pending);
        keptByCourse.set(course.id, acceptedCount);
      }
    });
  } else {
    // Explicit invite ids: read the set they must belong to, fresh.
    const wanted = [...new Set(scope.inviteIds)];
    const found = new Map<string, Invite>();
    if (opts.context) {
      const r =
        opts.context.kind === 'learner'
          ? await client.learnerInvites(opts.context.learnerId)
          : await client.courseInvites(opts.context.courseId, 'all');
      if (!r.ok) return r;
      const ctx = opts.context;
      for (const invite of r.value) {
        const belongs =
          ctx.kind === 'learner' ? invite.learner.id === ctx.learnerId : invite.course.id === ctx.courseId;
        if (belongs) found.set(invite.id, invite);
      }
    } else {
      const learners = (await opts.learnersOf?.(wanted)) ?? new Map<string, string>();
      for (const learnerId of new Set(learners.values())) {
        const r = await client.learnerInvites(learnerId);
        if (!r.ok) return r;
        for (const invite of r.value) found.set(invite.id, invite);
      }
    }
    portalNow = client.portalNow();
    for (const id of wanted) {
      const invite = found.get(id);
      if (!invite) {
        unverified.push(id);
        continue;
      }
      titles.set(invite.course.id, invite.course.title);
      if (!oldEnough(invite, scope.minAgeDays, portalNow)) continue;
      if (invite.status === 'accepted') {
        kept.push(invite);
        explicit.push(cancelItem(invite, 'kept-accepted', now, t('engineAcceptedKept')));
      } else if (invite.status === 'cancelled') {
        explicit.push(cancelItem(invite, 'already-cancelled', now));
      } else if (!isLivePending(invite, portalNow)) {
        explicit.push(cancelItem(invite, 'already-expired', now));
      } else {
        toRevoke.push(invite);
      }
    }
  }

  for (const invite of kept)
    keptByCourse.set(invite.course.id, (keptByCourse.get(invite.course.id) ?? 0) + 1);
  const perCourse = new Map<string, PreviewCourse>();
  const line = (courseId: string) => {
    let c = perCourse.get(courseId);
    if (!c) {
      c = {
        courseId,
        courseTitle: titles.get(courseId) ?? courseId,
        toRevoke: 0,
        keptAccepted: 0,
        seatsReturned: 0,
      };
      perCourse.set(courseId, c);
    }
    return c;
  };
  for (const invite of toRevoke) {
    const c = line(invite.course.id);
    c.toRevoke++;
    c.seatsReturned++;
  }
  for (const [courseId, n] of keptByCourse) if (n > 0) line(courseId).keptAccepted += n;

  const preview: Preview = {
    origin: opts.origin,
    scope,
    inviteIds: toRevoke.map((i) => i.id),
    keptAcceptedIds: kept.map((i) => i.id),
    courses: [...perCourse.values()].sort((a, b) => a.courseTitle.localeCompare(b.courseTitle)),
    now: portalNow,
  };
  const items = [...toRevoke.map((i) => cancelItem(i, 'queued', now)), ...explicit];
  let keptAccepted = 0;
  for (const n of keptByCourse.values()) keptAccepted += n;
  return ok({ preview, items, keptAccepted, unverified });
}

/**
 * The job a start request writes: every item to cancel queued, explicit ids the portal did not
 * show as not-found (nothing is sent for them); a job with nothing to send is done at once.
 */
export function planJob(
  req: StartRequest,
  resolution: Resolution,
  now: number,
): { job: Omit<Job, 'id'>; items: NewItem[]; toSend: number } {
  const items: NewItem[] = [
    ...resolution.items,
    ...resolution.unverified.map(
      (inviteId): NewItem => ({
        kind: 'cancel',
        inviteId,
        courseId: '',
        courseTitle: '',
        learnerId: '',
        learnerName: '',
        learnerEmail: '',
        state: 'not-found',
        tries: 0,
        error: t('engineInviteUnknown'),
        updatedAt: now,
      }),
    ),
  ];
  const toSend = items.filter((i) => i.state === 'queued').length;
  const job = newJob(req, toSend, now);
  job.keptAcceptedAtStart = resolution.keptAccepted;
  return { job, items, toSend };
}

/** A job as it is first written: in its Undo window, or done at once when it has nothing to send. */
export function newJob(req: StartRequest, toSend: number, now: number): Omit<Job, 'id'> {
  const job: Omit<Job, 'id'> = {
    origin: req.origin,
    scope: req.scope,
    state: toSend > 0 ? 'waiting' : 'done',
    surface: req.surface,
    createdAt: now,
    startAt: now + Math.round(req.undoSeconds * 1000),
    finishedAt: toSend > 0 ? null : now,
    concurrency: req.concurrency,
    message: null,
  };
  if (req.context) job.context = req.context;
  return job;
}
