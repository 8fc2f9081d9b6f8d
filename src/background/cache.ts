/**
 * The invite cache in Dexie: refreshed from the portal per learner, per course, and across the
 * portal (the course list, then the courses that changed: shared/freshness.ts). The background
 * is its only writer. Views get cached data at once; a refresh replaces the cached set for what
 * it read (stale entries: cancelled, expired, gone, leave the cache) and announces
 * `invites-changed`.
 */
import type { Gate, Result } from '../portal/api/client';
import type { Course, Invite } from '../portal/api/schemas';
import { inviteKey, invitesOfCourse, type ReclaimDb } from '../shared/db';
import { expiresAt, isPendingAt } from '../shared/expiry';
import { needsRead, rereadAfterMs } from '../shared/freshness';
import type { BackgroundEvent } from '../shared/messages';
import { cachedCounts, type Overview, readOriginOverview } from '../shared/overview';
import type { PortalPage } from '../shared/portal-page';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { CachedCourse, CachedInvite, ItemState, JobItem, Settings } from '../shared/types';
import { createGate, eachLimited } from './pool';
import type { ClientOf } from './portals';

/** Outcomes after which the portal no longer lists the invite: it leaves the cache. */
const GONE: ReadonlySet<ItemState> = new Set<ItemState>([
  'revoked',
  'already-cancelled',
  'already-expired',
  'not-found',
]);

type RefreshSettings = Pick<Settings, 'concurrency' | 'rereadAfterMinutes'>;

interface CacheDeps {
  db: ReclaimDb;
  client: ClientOf;
  now(): number;
  emit(event: BackgroundEvent): void;
  /** What a portal-wide refresh follows: requests in flight (the job concurrency), re-read age. */
  settings?(): Promise<RefreshSettings>;
}

/** The course list as read, and the courses whose invites a refresh must read (freshness.ts). */
interface Listed {
  courses: Course[];
  due: string[];
}

const REFRESHED = 'refreshed:';
const refreshKey = (origin: string, t: PortalPage) =>
  `${REFRESHED}${origin}|${t.kind}|${t.kind === 'learner' ? t.learnerId : t.courseId}`;

/** The origin a meta key marking when a learner or course was last read belongs to, else null. */
export function refreshedOrigin(key: string): string | null {
  if (!key.startsWith(REFRESHED)) return null;
  const end = key.indexOf('|', REFRESHED.length);
  return end < 0 ? null : key.slice(REFRESHED.length, end);
}

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
        : await invitesOfCourse(this.db, origin, target.courseId).toArray();
    return rows
      .filter((r) => r.status !== 'pending' || isPendingAt(r.status, r.expiresAt, portalNow))
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  }

  async refreshedAt(origin: string, target: PortalPage): Promise<number | null> {
    const row = await this.db.meta.get(refreshKey(origin, target));
    return typeof row?.value === 'number' ? row.value : null;
  }

  /**
   * Re-reads one learner or course from the portal (concurrent calls for the same target share
   * one read); a course's page requests go through `gate`.
   */
  refresh(origin: string, target: PortalPage, gate?: Gate): Promise<Result<void>> {
    const key = refreshKey(origin, target);
    let running = this.inflight.get(key);
    if (!running) {
      running = (
        target.kind === 'learner'
          ? this.refreshLearner(origin, target.learnerId)
          : this.refreshCourse(origin, target.courseId, gate)
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

  private async refreshCourse(origin: string, courseId: string, gate?: Gate): Promise<Result<void>> {
    const client = this.deps.client(origin);
    const [pending, accepted] = await Promise.all([
      client.courseInvites(courseId, 'pending', gate),
      client.courseInvites(courseId, 'accepted', gate),
    ]);
    if (!pending.ok) return pending;
    if (!accepted.ok) return accepted;
    const fetchedAt = this.deps.now();
    const portalNow = client.portalNow();
    const fresh = [...pending.value, ...accepted.value]
      .filter((i) => i.course.id === courseId && live(i, portalNow))
      .map((i) => toCached(origin, i, fetchedAt));
    const learnerIds = new Set(fresh.map((i) => i.learnerId));
    await this.db.transaction('rw', this.db.invites, this.db.courses, this.db.meta, async () => {
      const old = await invitesOfCourse(this.db, origin, courseId).toArray();
      for (const o of old) learnerIds.add(o.learnerId);
      const keep = new Set(fresh.map((i) => i.key));
      await this.db.invites.bulkDelete(old.filter((o) => !keep.has(o.key)).map((o) => o.key));
      await this.db.invites.bulkPut(fresh);
      await this.db.meta.put({ key: refreshKey(origin, { kind: 'course', courseId }), value: fetchedAt });
      const course = await this.db.courses.get(inviteKey(origin, courseId));
      if (course) {
        const p = fresh.filter((i) => i.status === 'pending').length;
        const assigned = fresh.length;
        const { readDue: _done, ...rest } = course;
        await this.db.courses.put({
          ...rest,
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

  /**
   * Re-reads the course list (seats, pending counts); courses gone from the portal leave the
   * cache. Each listed course is checked against the cache (shared/freshness.ts): those whose
   * invites must be read are `due`, and stay marked so until they are.
   */
  async refreshCourses(origin: string): Promise<Result<Listed>> {
    const client = this.deps.client(origin);
    const r = await client.courses();
    if (!r.ok) return r;
    const fetchedAt = this.deps.now();
    const portalNow = client.portalNow();
    const maxAgeMs = rereadAfterMs((await this.settings()).rereadAfterMinutes);
    const ids = new Set(r.value.map((c) => c.id));
    const due: string[] = [];
    await this.db.transaction('rw', this.db.courses, this.db.invites, async () => {
      const old = await this.db.courses.where('origin').equals(origin).toArray();
      const byKey = new Map(old.map((c) => [c.key, c]));
      const gone = old.filter((c) => !ids.has(c.id));
      for (const c of gone) await invitesOfCourse(this.db, origin, c.id).delete();
      await this.db.courses.bulkDelete(gone.map((c) => c.key));
      const rows: CachedCourse[] = await Promise.all(
        r.value.map(async (c) => {
          const key = inviteKey(origin, c.id);
          const prev = byKey.get(key);
          const readAt = prev?.invitesFetchedAt ?? null;
          const recent = readAt !== null && !prev?.readDue && fetchedAt - readAt <= maxAgeMs;
          const readDue = needsRead(
            {
              listed: c,
              listedTotalBefore: prev?.seats.total ?? null,
              // Counted only where the answer can still be "unchanged".
              cached: recent
                ? await cachedCounts(this.db, origin, c.id, portalNow)
                : { pending: 0, accepted: 0 },
              readAt,
              readDue: prev?.readDue === true,
            },
            fetchedAt,
            maxAgeMs,
          );
          if (readDue) due.push(c.id);
          const row: CachedCourse = {
            key,
            origin,
            id: c.id,
            title: c.title,
            seats: c.seats,
            pending: c.pending,
            fetchedAt,
          };
          if (readAt !== null) row.invitesFetchedAt = readAt;
          if (readDue) row.readDue = true;
          return row;
        }),
      );
      await this.db.courses.bulkPut(rows);
    });
    // In the portal's order, as the list gave them.
    const order = new Map(r.value.map((c, k) => [c.id, k]));
    due.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    return { ok: true, value: { courses: r.value, due } };
  }

  /**
   * A refresh across the portal: the course list, then the invites of every course that is due
   * (or, with `full`, of every course), at most `concurrency` requests at once. `listed` settles
   * once the course list is in; `done` once every course to read was read. Only the manager's
   * Refresh all asks for `full`: whatever refreshes on its own (a popup opening, a job ending,
   * the badge, notifications) reads an unchanged course at most once per `rereadAfterMinutes`.
   */
  refreshAll(
    origin: string,
    opts: { full?: boolean } = {},
  ): { listed: Promise<Result<Course[]>>; done: Promise<Result<void>> } {
    const listing = this.refreshCourses(origin);
    const done = listing.then(async (r): Promise<Result<void>> => {
      if (!r.ok) return r;
      const { concurrency } = await this.settings();
      const gate = createGate(Math.max(1, concurrency));
      const ids = opts.full ? r.value.courses.map((c) => c.id) : r.value.due;
      // Courses are written one transaction after another, slower than they are read: twice as
      // many courses as requests at once keep the gate full while others wait for their write.
      const read = await eachLimited(ids, 2 * Math.max(1, concurrency), (courseId) =>
        this.refresh(origin, { kind: 'course', courseId }, gate),
      );
      return read.ok ? { ok: true, value: undefined } : read;
    });
    const listed = listing.then((r): Result<Course[]> => (r.ok ? { ok: true, value: r.value.courses } : r));
    return { listed, done };
  }

  private async settings(): Promise<RefreshSettings> {
    return (await this.deps.settings?.()) ?? DEFAULT_SETTINGS;
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
