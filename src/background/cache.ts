/**
 * The invite cache in Dexie: refreshed from the portal per learner, per course and in full.
 * The background is its only writer. Views get cached data at once; a refresh replaces the
 * cached set for what it read (stale entries: cancelled, expired, gone, leave the cache) and
 * announces `invites-changed`.
 */
import type { Result } from '../portal/api/client';
import type { Course, Invite } from '../portal/api/schemas';
import { inviteKey, type ReclaimDb } from '../shared/db';
import { expiresAt, isPendingAt } from '../shared/expiry';
import type { BackgroundEvent } from '../shared/messages';
import { type Overview, readOriginOverview } from '../shared/overview';
import type { PortalPage } from '../shared/portal-page';
import type { CachedCourse, CachedInvite, ItemState, JobItem } from '../shared/types';
import { eachLimited } from './pool';
import type { ClientOf } from './portals';

/** Outcomes after which the portal no longer lists the invite: it leaves the cache. */
const GONE: ReadonlySet<ItemState> = new Set<ItemState>([
  'revoked',
  'already-cancelled',
  'already-expired',
  'not-found',
]);

interface CacheDeps {
  db: ReclaimDb;
  client: ClientOf;
  now(): number;
  emit(event: BackgroundEvent): void;
}

const refreshKey = (origin: string, t: PortalPage) =>
  `refreshed:${origin}|${t.kind}|${t.kind === 'learner' ? t.learnerId : t.courseId}`;

/** How many courses are read at once during a full refresh. */
const COURSE_CONCURRENCY = 2;

function toCached(origin: string, invite: Invite, fetchedAt: number): CachedInvite {
  return {
    key: inviteKey(origin, invite.id),
    origin,
    id: invite.id,
    courseId: invite.course.id,
    courseTitle: invite.course.title,
    learnerId: invite.learner.id,
    learnerName: invite.learner.name,
    learnerEmail: invite.learner.email,
    sentAt: invite.sentAt,
    expiresAt: expiresAt(invite.sentAt),
    status: invite.status,
    progress: invite.progress ?? null,
    fetchedAt,
  };
}

/** What the cache keeps: pending invites not yet expired (portal clock) and accepted ones. */
function live(invite: Invite, portalNow: number): boolean {
  return invite.status === 'accepted' || isPendingAt(invite.status, expiresAt(invite.sentAt), portalNow);
}

export class InviteCache {
  private readonly inflight = new Map<string, Promise<Result<void>>>();

  constructor(private readonly deps: CacheDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * Cached invites of a learner or course, oldest first, without pending ones that have expired
   * by `portalNow` (they leave the cache on the next refresh of what holds them).
   */
  async read(origin: string, target: PortalPage, portalNow: number): Promise<CachedInvite[]> {
    const rows =
      target.kind === 'learner'
        ? await this.db.invites.where('[origin+learnerId]').equals([origin, target.learnerId]).toArray()
        : await this.db.invites.where('[origin+courseId]').equals([origin, target.courseId]).toArray();
    return rows
      .filter((r) => r.status !== 'pending' || isPendingAt(r.status, r.expiresAt, portalNow))
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  }

  async refreshedAt(origin: string, target: PortalPage): Promise<number | null> {
    const row = await this.db.meta.get(refreshKey(origin, target));
    return typeof row?.value === 'number' ? row.value : null;
  }

  /** Re-reads one learner or course from the portal (concurrent calls for the same target share one read). */
  refresh(origin: string, target: PortalPage): Promise<Result<void>> {
    const key = refreshKey(origin, target);
    let running = this.inflight.get(key);
    if (!running) {
      running = (
        target.kind === 'learner'
          ? this.refreshLearner(origin, target.learnerId)
          : this.refreshCourse(origin, target.courseId)
      ).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  private async refreshLearner(origin: string, learnerId: string): Promise<Result<void>> {
    const client = this.deps.client(origin);
    const r = await client.learnerInvites(learnerId);
    if (!r.ok) return r;
    const fetchedAt = this.deps.now();
    const portalNow = client.portalNow();
    const fresh = r.value
      .filter((i) => i.learner.id === learnerId && live(i, portalNow))
      .map((i) => toCached(origin, i, fetchedAt));
    const courseIds = new Set(fresh.map((i) => i.courseId));
    await this.db.transaction('rw', this.db.invites, this.db.meta, async () => {
      const old = await this.db.invites.where('[origin+learnerId]').equals([origin, learnerId]).toArray();
      for (const o of old) courseIds.add(o.courseId);
      const keep = new Set(fresh.map((i) => i.key));
      await this.db.invites.bulkDelete(old.filter((o) => !keep.has(o.key)).map((o) => o.key));
      await this.db.invites.bulkPut(fresh);
      await this.db.meta.put({ key: refreshKey(origin, { kind: 'learner', learnerId }), value: fetchedAt });
    });
    this.deps.emit({ type: 'invites-changed', origin, courseIds: [...courseIds], learnerIds: [learnerId] });
    return { ok: true, value: undefined };
  }

  private async refreshCourse(origin: string, courseId: string): Promise<Result<void>> {
    const client = this.deps.client(origin);
    const pending = await client.courseInvites(courseId, 'pending');
    if (!pending.ok) return pending;
    const accepted = await client.courseInvites(courseId, 'accepted');
    if (!accepted.ok) return accepted;
    const fetchedAt = this.deps.now();
    const portalNow = client.portalNow();
    const fresh = [...pending.value, ...accepted.value]
      .filter((i) => i.course.id === courseId && live(i, portalNow))
      .map((i) => toCached(origin, i, fetchedAt));
    const learnerIds = new Set(fresh.map((i) => i.learnerId));
    await this.db.transaction('rw', this.db.invites, this.db.courses, this.db.meta, async () => {
      const old = await this.db.invites.where('[origin+courseId]').equals([origin, courseId]).toArray();
      for (const o of old) learnerIds.add(o.learnerId);
      const keep = new Set(fresh.map((i) => i.key));
      await this.db.invites.bulkDelete(old.filter((o) => !keep.has(o.key)).map((o) => o.key));
      await this.db.invites.bulkPut(fresh);
      await this.db.meta.put({ key: refreshKey(origin, { kind: 'course', courseId }), value: fetchedAt });
      const course = await this.db.courses.get(inviteKey(origin, courseId));
      if (course) {
        const p = fresh.filter((i) => i.status === 'pending').length;
        const assigned = fresh.length;
        await this.db.courses.put({
          ...course,
          pending: p,
          seats: {
            total: course.seats.total,
            assigned,
            available: Math.max(0, course.seats.total - assigned),
          },
          invitesFetchedAt: fetchedAt,
        });
      }
    });
    this.deps.emit({ type: 'invites-changed', origin, courseIds: [courseId], learnerIds: [...learnerIds] });
    return { ok: true, value: undefined };
  }

  /** Re-reads the course list (seats, pending counts); courses gone from the portal leave the cache. */
  async refreshCourses(origin: string): Promise<Result<Course[]>> {
    const r = await this.deps.client(origin).courses();
    if (!r.ok) return r;
    const fetchedAt = this.deps.now();
    const ids = new Set(r.value.map((c) => c.id));
    await this.db.transaction('rw', this.db.courses, this.db.invites, async () => {
      const old = await this.db.courses.where('origin').equals(origin).toArray();
      const byKey = new Map(old.map((c) => [c.key, c]));
      const gone = old.filter((c) => !ids.has(c.id));
      for (const c of gone) await this.db.invites.where('[origin+courseId]').equals([origin, c.id]).delete();
      await this.db.courses.bulkDelete(gone.map((c) => c.key));
      const rows: CachedCourse[] = r.value.map((c) => {
        const key = inviteKey(origin, c.id);
        const prev = byKey.get(key);
        const row: CachedCourse = {
          key,
          origin,
          id: c.id,
          title: c.title,
          seats: c.seats,
          pending: c.pending,
          fetchedAt,
        };
        if (prev?.invitesFetchedAt !== undefined) row.invitesFetchedAt = prev.invitesFetchedAt;
        return row;
      });
      await this.db.courses.bulkPut(rows);
    });
    return r;
  }

  /**
   * Full refresh: the course list, then every course's pending and accepted invites.
   * `listed` settles once the course list is in; `done` once every course was read.
   */
  refreshAll(origin: string): { listed: Promise<Result<Course[]>>; done: Promise<Result<void>> } {
    const listed = this.refreshCourses(origin);
    const done = listed.then(async (r): Promise<Result<void>> => {
      if (!r.ok) return r;
      const read = await eachLimited(r.value, COURSE_CONCURRENCY, (c) =>
        this.refresh(origin, { kind: 'course', courseId: c.id }),
      );
      return read.ok ? { ok: true, value: undefined } : read;
    });
    return { listed, done };
  }

  /** The per-course overview of one portal, from the cache only (no age filter). */
  overview(origin: string, portalNow: number): Promise<Overview> {
    return readOriginOverview(this.db, origin, portalNow, 0);
  }

  /** Job items reached their outcomes: bring the cached invites (and course counts) in line, in one transaction. */
  async applyOutcomes(origin: string, items: readonly JobItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.transaction('rw', this.db.invites, this.db.courses, async () => {
      const keys = items.map((item) => inviteKey(origin, item.inviteId));
      const cached = await this.db.invites.bulkGet(keys);
      const accepted: string[] = [];
      const removed: string[] = [];
      /** Seats returned per course: revoked invites the cache still had as pending. */
      const returned = new Map<string, number>();
      items.forEach((item, k) => {
        const key = keys[k] as string;
        // An item that cancelled before inviting left its invite gone whatever came of the invite.
        const gone = item.seatFreed ?? (GONE.has(item.state) ? item.state : null);
        if (item.state === 'kept-accepted') {
          if (cached[k]) accepted.push(key);
        } else if (gone) {
          removed.push(key);
          if (gone === 'revoked' && cached[k]?.status === 'pending')
            returned.set(item.courseId, (returned.get(item.courseId) ?? 0) + 1);
        }
      });
      if (accepted.length > 0)
        await this.db.invites.bulkUpdate(
          accepted.map((key) => ({ key, changes: { status: 'accepted' as const } })),
        );
      if (removed.length > 0) await this.db.invites.bulkDelete(removed);
      if (returned.size === 0) return;
      const courseKeys = [...returned.keys()].map((id) => inviteKey(origin, id));
      const courses = await this.db.courses.bulkGet(courseKeys);
      const updated: CachedCourse[] = [];
      for (const course of courses) {
        if (!course) continue;
        const n = returned.get(course.id) ?? 0;
        const assigned = Math.max(0, course.seats.assigned - n);
        updated.push({
          ...course,
          pending: Math.max(0, course.pending - n),
          seats: { total: course.seats.total, assigned, available: course.seats.total - assigned },
        });
      }
      if (updated.length > 0) await this.db.courses.bulkPut(updated);
    });
  }

  /**
   * Learners of `origin` the cache knows whose name or address contains `q` (any case), each
   * once, at most `limit`: suggestions for the address of a reassign.
   */
  async learnersLike(origin: string, q: string, limit: number): Promise<{ name: string; email: string }[]> {
    const needle = q.trim().toLowerCase();
    const found = new Map<string, { name: string; email: string }>();
    if (!needle) return [];
    await this.db.invites
      .where('origin')
      .equals(origin)
      .until(() => found.size >= limit)
      .each((i) => {
        const key = i.learnerEmail.toLowerCase();
        if (found.has(key)) return;
        if (key.includes(needle) || i.learnerName.toLowerCase().includes(needle))
          found.set(key, { name: i.learnerName, email: i.learnerEmail });
      });
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Invite id -> learner id, for the invites the cache knows. */
  async learnersOf(origin: string, inviteIds: string[]): Promise<Map<string, string>> {
    const rows = await this.db.invites.bulkGet(inviteIds.map((id) => inviteKey(origin, id)));
    const out = new Map<string, string>();
    for (const r of rows) if (r) out.set(r.id, r.learnerId);
    return out;
  }
}
