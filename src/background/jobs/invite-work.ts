/**
 * A job that invites, read fresh from the portal into its items before anything is sent, as a
 * revoke's scope is (resolve.ts): reassign, renew, renew expiring, and invite and make room, and
 * the make-room plan shown before it.
 *
 * Nothing here trusts the cache: every invite an item cancels was just read from the portal and
 * was pending there; an accepted one is kept and nothing is sent for it; an address that already
 * holds an invite of the course is told so and sent nothing. Bad input (a malformed address, the
 * same invite or address twice) refuses the whole job: nothing is written, nothing sent.
 */
import type { PortalClient, Result } from '../../portal/api/client';
import { statusWord } from '../../portal/api/errors';
import type { Course, Invite } from '../../portal/api/schemas';
import { addressKey, addressProblem, parseAddressList } from '../../shared/addresses';
import { expiresAt, isPendingAt } from '../../shared/expiry';
import { dateTime, t, tn } from '../../shared/i18n';
import type { InvitePlan, InviteWork } from '../../shared/invite-work';
import type { PortalPage } from '../../shared/portal-page';
import type { InviteReason, Job, PortalError, Scope } from '../../shared/types';
import { eachLimited } from '../pool';
import { inviteItem, pairItem, pairOutcome } from './invite-items';
import { planMakeRoom } from './invite-plan';
import type { InviteStartRequest } from './requests';
import { newJob } from './resolve';
import type { NewItem } from './store';

export type InviteResolution =
  | { ok: true; items: NewItem[]; scope: Scope; reason: InviteReason }
  | { ok: false; error: PortalError }
  | { ok: false; refused: string };

type Refusal = { ok: false; refused: string };
const refuse = (refused: string): Refusal => ({ ok: false, refused });

const DAY = 86_400_000;
const COURSE_READS = 4;

interface CourseRead {
  course: Course;
  /** Pending and accepted invites. */
  active: Invite[];
  /** Every invite, read only when an invite asked for is not among the active ones. */
  all?: Invite[];
}

const live = (i: Invite, now: number) =>
  i.status === 'accepted' || isPendingAt(i.status, expiresAt(i.sentAt), now);

/** The courses named, each with its pending and accepted invites. */
async function readCourses(client: PortalClient, ids: string[]): Promise<Result<Map<string, CourseRead>>> {
  const list = await client.courses();
  if (!list.ok) return list;
  const courses: Course[] = [];
  for (const id of new Set(ids)) {
    const course = list.value.find((c) => c.id === id);
    if (!course) return { ok: false, error: { kind: 'not-found', message: t('engineCourseNotListed') } };
    courses.push(course);
  }
  const read = await eachLimited(courses, COURSE_READS, async (course): Promise<Result<CourseRead>> => {
    const pending = await client.courseInvites(course.id, 'pending');
    if (!pending.ok) return pending;
    const accepted = await client.courseInvites(course.id, 'accepted');
    if (!accepted.ok) return accepted;
    const active = [...pending.value, ...accepted.value].filter((i) => i.course.id === course.id);
    return { ok: true, value: { course, active } };
  });
  if (!read.ok) return read;
  return { ok: true, value: new Map(read.value.map((r) => [r.course.id, r])) };
}

/** A course's page may only act on that course; a learner's page never on a whole course. */
function pageRefusal(context: PortalPage | null, courseIds: readonly string[], wholeCourse: boolean) {
  if (!context) return null;
  if (context.kind === 'learner') return wholeCourse ? t('engineUsageTabOnly') : null;
  return courseIds.every((id) => id === context.courseId) ? null : t('engineOwnCourse');
}

/** One invite to cancel and the address its seat goes to (null: the invite's own learner, a renew). */
interface Pair {
  courseId: string;
  inviteId: string;
  email: string | null;
}

async function pairItems(
  client: PortalClient,
  pairs: readonly Pair[],
  reason: InviteReason,
  context: PortalPage | null,
  now: number,
  reads?: Map<string, CourseRead>,
): Promise<InviteResolution> {
  const ids = new Set<string>();
  const targets = new Set<string>();
  for (const p of pairs) {
    if (ids.has(p.inviteId)) return refuse(t('engineSameInviteTwice'));
    ids.add(p.inviteId);
    if (p.email === null) continue;
    const problem = addressProblem(p.email);
    if (problem) return refuse(t('engineBadAddress', p.email, problem));
    const target = `${p.courseId} ${addressKey(p.email)}`;
    if (targets.has(target)) return refuse(t('engineAddressTwice', p.email));
    targets.add(target);
  }
  const courseIds = pairs.map((p) => p.courseId);
  const refusal = pageRefusal(context, courseIds, false);
  if (refusal) return refuse(refusal);
  let courses = reads;
  if (!courses) {
    const r = await readCourses(client, courseIds);
    if (!r.ok) return r;
    courses = r.value;
  }
  const portalNow = client.portalNow();
  const items: NewItem[] = [];
  for (const p of pairs) {
    const read = courses.get(p.courseId) as CourseRead;
    let invite = read.active.find((i) => i.id === p.inviteId);
    if (!invite) {
      // Not pending or accepted: cancelled or expired (its seat is free), or not this course's.
      if (!read.all) {
        const all = await client.courseInvites(p.courseId, 'all');
        if (!all.ok) return all;
        read.all = all.value.filter((i) => i.course.id === p.courseId);
      }
      invite = read.all.find((i) => i.id === p.inviteId);
    }
    if (!invite || (context?.kind === 'learner' && invite.learner.id !== context.learnerId))
      return refuse(context ? t('engineNotOnPage') : t('engineInviteNotFound'));
    const email = p.email ?? invite.learner.email;
    const holder = read.active.find(
      (i) => live(i, portalNow) && addressKey(i.learner.email) === addressKey(email),
    );
    if (holder && holder.id !== invite.id) {
      const detail = t('engineAlreadyHolds', email, statusWord(holder.status));
      items.push(pairOutcome(invite, email, reason, now, 'already-invited', detail));
    } else if (invite.status === 'accepted') {
      const detail = t('engineKeptNothingSent', email);
      items.push(pairOutcome(invite, email, reason, now, 'kept-accepted', detail));
    } else if (live(invite, portalNow)) {
      items.push(pairItem(invite, email, reason, now));
    } else if (p.email === null && invite.status === 'cancelled') {
      // A renew gives an invite's own learner a new 30 days; one cancelled since (by the manager,
      // on the portal or in another job) was taken back on purpose: nothing is sent.
      const detail = t('engineCancelledBeforeRenew');
      items.push(pairOutcome(invite, email, reason, now, 'already-cancelled', detail));
    } else {
      const freed = invite.status === 'cancelled' ? 'already-cancelled' : 'already-expired';
      items.push(pairItem(invite, email, reason, now, freed));
    }
  }
  return { ok: true, items, scope: { kind: 'invites', inviteIds: [...ids] }, reason };
}

/** The make-room plan for a paste, from the course as it is now. */
export async function planInvites(
  client: PortalClient,
  courseId: string,
  text: string,
  minAgeDays: number,
  context: PortalPage | null,
): Promise<Result<InvitePlan> | Refusal> {
  const refusal = pageRefusal(context, [courseId], true);
  if (refusal) return refuse(refusal);
  const r = await readCourses(client, [courseId]);
  if (!r.ok) return r;
  const read = r.value.get(courseId) as CourseRead;
  const now = client.portalNow();
  const list = parseAddressList(text);
  return {
    ok: true,
    value: planMakeRoom({ course: read.course, invites: read.active, list, minAgeDays, now }),
  };
}

async function makeRoomItems(
  client: PortalClient,
  work: Extract<InviteWork, { kind: 'make-room' }>,
  context: PortalPage | null,
  now: number,
): Promise<InviteResolution> {
  const list = parseAddressList(work.emails.join('\n'));
  const bad = list.malformed[0];
  if (bad) return refuse(t('engineBadAddress', bad.text, bad.reason));
  const refusal = pageRefusal(context, [work.courseId], true);
  if (refusal) return refuse(refusal);
  const r = await readCourses(client, [work.courseId]);
  if (!r.ok) return r;
  const read = r.value.get(work.courseId) as CourseRead;
  const portalNow = client.portalNow();
  const plan = planMakeRoom({
    course: read.course,
    invites: read.active,
    list,
    minAgeDays: work.minAgeDays,
    now: portalNow,
  });
  if (plan.problem) return refuse(plan.problem);
  // Only invites the manager was shown may be revoked: the course changed if the plan now needs another.
  const shown = new Set(work.revokeIds);
  if (plan.revokes.some((v) => !shown.has(v.inviteId))) return refuse(t('enginePlanChanged'));
  const course = { id: plan.courseId, title: plan.courseTitle };
  const items: NewItem[] = plan.toInvite
    .slice(0, plan.free)
    .map((e) => inviteItem(course, e, 'make-room', now));
  for (const v of plan.revokes) {
    const invite = read.active.find((i) => i.id === v.inviteId) as Invite;
    items.push(pairItem(invite, v.for, 'make-room', now));
  }
  for (const e of plan.unseated) {
    const detail = t('engineNoSeat');
    items.push(inviteItem(course, e, 'make-room', now, { state: 'not-invited', detail }));
  }
  for (const h of plan.holding) {
    const detail = t('engineAlreadyHeld', statusWord(h.status), dateTime(Date.parse(h.sentAt)));
    items.push(inviteItem(course, h.email, 'make-room', now, { state: 'already-invited', detail }));
  }
  return { ok: true, items, scope: { kind: 'course', courseId: work.courseId }, reason: 'make-room' };
}

/** The items of a job that invites, read fresh from the portal (or why it is refused). */
export async function resolveInviteWork(
  client: PortalClient,
  work: InviteWork,
  context: PortalPage | null,
  now: number,
): Promise<InviteResolution> {
  switch (work.kind) {
    case 'reassign':
      return pairItems(
        client,
        work.pairs.map((p) => ({ ...p, email: p.email.trim() })),
        'reassign',
        context,
        now,
      );
    case 'renew': {
      const pairs = work.invites.map((i) => ({ ...i, email: null }));
      return pairItems(client, pairs, 'renew', context, now);
    }
    case 'renew-expiring': {
      const refusal = pageRefusal(context, [work.courseId], true);
      if (refusal) return refuse(refusal);
      const r = await readCourses(client, [work.courseId]);
      if (!r.ok) return r;
      const portalNow = client.portalNow();
      const cut = portalNow + work.withinDays * DAY;
      const expiring = (r.value.get(work.courseId) as CourseRead).active.filter(
        (i) => isPendingAt(i.status, expiresAt(i.sentAt), portalNow) && expiresAt(i.sentAt) <= cut,
      );
      if (expiring.length === 0) return refuse(tn('engineNoneExpiring', work.withinDays));
      const pairs = expiring.map((i) => ({ courseId: work.courseId, inviteId: i.id, email: null }));
      return pairItems(client, pairs, 'renew', null, now, r.value);
    }
    case 'make-room':
      return makeRoomItems(client, work, context, now);
  }
}

/**
 * A job that invites, read fresh from the portal: its row as first written, and its items. The
 * job is stamped once the read is done, so reading the portal never eats into its Undo window.
 */
export async function planInviteJob(
  client: PortalClient,
  req: InviteStartRequest,
  now: () => number,
): Promise<{ ok: true; job: Omit<Job, 'id'>; items: NewItem[] } | Exclude<InviteResolution, { ok: true }>> {
  const { work, ...rest } = req;
  const r = await resolveInviteWork(client, work, req.context, now());
  if (!r.ok) return r;
  const toSend = r.items.filter((i) => i.state === 'queued').length;
  const job = newJob({ ...rest, scope: r.scope }, toSend, now());
  job.reason = r.reason;
  return { ok: true, job, items: r.items };
}
