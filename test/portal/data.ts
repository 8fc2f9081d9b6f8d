/**
 * The reference portal's data: managers, courses, learners and invites, the seat accounting
 * and the 30-day expiry, plus seeded data sets (demo, bench, plain generated).
 *
 * Expiry is applied lazily but exactly: every read first calls `settle(now)`, which turns every
 * pending invite with sentAt + 30 x 24 h <= now into expired (a min-heap on expiry time).
 * Expired stays expired even if the clock is later set back.
 */
import type { DataSpec, Invite, InviteStatus, Learner, Seats, SimCourseState } from './types';

export const INVITE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

export interface Manager {
  id: string;
  name: string;
  email: string;
  password: string;
}

export const MANAGERS: readonly Manager[] = [
  { id: 'm-1', name: 'Morgan Ellis', email: 'manager@example.test', password: 'demo' },
  { id: 'm-2', name: 'Priya Shah', email: 'other@example.test', password: 'demo' },
];

export interface CourseRec {
  id: string;
  title: string;
  ownerId: string;
  total: number;
  counts: Record<InviteStatus, number>;
  invites: InviteRec[];
  /** invites is sorted newest first. */
  sorted: boolean;
}

export interface LearnerRec {
  id: string;
  name: string;
  email: string;
  invites: InviteRec[];
}

export interface InviteRec {
  id: string;
  course: CourseRec;
  learner: LearnerRec;
  sentAt: number;
  status: InviteStatus;
  progress: number | null;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class ExpiryHeap {
  private items: InviteRec[] = [];
  push(inv: InviteRec): void {
    const a = this.items;
    a.push(inv);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pi = a[p] as InviteRec;
      if (pi.sentAt <= inv.sentAt) break;
      a[i] = pi;
      i = p;
    }
    a[i] = inv;
  }
  peek(): InviteRec | undefined {
    return this.items[0];
  }
  pop(): InviteRec | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && (a[r] as InviteRec).sentAt < (a[l] as InviteRec).sentAt ? r : l;
      if ((a[c] as InviteRec).sentAt >= last.sentAt) break;
      a[i] = a[c] as InviteRec;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

export function seatsOf(c: CourseRec): Seats {
  const assigned = c.counts.pending + c.counts.accepted;
  return { total: c.total, assigned, available: c.total - assigned };
}

export function inviteJson(inv: InviteRec): Invite {
  return {
    id: inv.id,
    course: { id: inv.course.id, title: inv.course.title },
    learner: learnerJson(inv.learner),
    sentAt: new Date(inv.sentAt).toISOString(),
    status: inv.status,
    progress: inv.status === 'accepted' ? inv.progress : null,
  };
}

export function learnerJson(l: LearnerRec): Learner {
  return { id: l.id, name: l.name, email: l.email };
}

const zeroCounts = (): Record<InviteStatus, number> => ({
  pending: 0,
  accepted: 0,
  cancelled: 0,
  expired: 0,
});

export class Store {
  courses: CourseRec[] = [];
  courseById = new Map<string, CourseRec>();
  learners: LearnerRec[] = [];
  learnerById = new Map<string, LearnerRec>();
  learnerByEmail = new Map<string, LearnerRec>();
  inviteById = new Map<string, InviteRec>();
  private heap = new ExpiryHeap();
  private nextInvite = 1;
  private nextLearner = 1;

  addCourse(title: string, total: number, ownerId = 'm-1'): CourseRec {
    const c: CourseRec = {
      id: `c-${this.courses.length + 1}`,
      title,
      ownerId,
      total,
      counts: zeroCounts(),
      invites: [],
      sorted: true,
    };
    this.courses.push(c);
    this.courseById.set(c.id, c);
    return c;
  }

  addLearner(name: string, email: string): LearnerRec {
    const l: LearnerRec = { id: `l-${this.nextLearner++}`, name, email, invites: [] };
    this.learners.push(l);
    this.learnerById.set(l.id, l);
    this.learnerByEmail.set(email.toLowerCase(), l);
    return l;
  }

  /** Adds an invite as it stands; a pending one is queued for expiry. */
  addInvite(
    course: CourseRec,
    learner: LearnerRec,
    sentAt: number,
    status: InviteStatus,
    progress: number | null = null,
  ): InviteRec {
    const inv: InviteRec = {
      id: `i-${this.nextInvite++}`,
      course,
      learner,
      sentAt: Math.floor(sentAt),
      status,
      progress: status === 'accepted' ? (progress ?? 0) : null,
    };
    course.invites.push(inv);
    course.sorted = false;
    course.counts[status]++;
    learner.invites.push(inv);
    this.inviteById.set(inv.id, inv);
    if (status === 'pending') this.heap.push(inv);
    return inv;
  }

  setStatus(inv: InviteRec, status: InviteStatus): void {
    if (inv.status === status) return;
    inv.course.counts[inv.status]--;
    inv.course.counts[status]++;
    inv.status = status;
    if (status === 'accepted') inv.progress = inv.progress ?? 0;
  }

  /** Expires every pending invite whose 30 days are up at `now`. */
  settle(now: number): void {
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.sentAt + INVITE_LIFETIME_MS > now) return;
      this.heap.pop();
      if (top.status === 'pending') this.setStatus(top, 'expired');
    }
  }

  /** The course's invites, newest first (ties by id number). */
  courseInvites(c: CourseRec): InviteRec[] {
    if (!c.sorted) {
      c.invites.sort((a, b) => b.sentAt - a.sentAt || idNum(b.id) - idNum(a.id));
      c.sorted = true;
    }
    return c.invites;
  }

  /** A course's state with the seat identity recounted from its invites. */
  courseState(c: CourseRec): SimCourseState {
    const recount = zeroCounts();
    for (const inv of c.invites) recount[inv.status]++;
    const seats = seatsOf(c);
    const identityHolds =
      recount.pending === c.counts.pending &&
      recount.accepted === c.counts.accepted &&
      recount.cancelled === c.counts.cancelled &&
      recount.expired === c.counts.expired &&
      seats.assigned === recount.pending + recount.accepted &&
      seats.available === seats.total - seats.assigned &&
      seats.available >= 0;
    return { id: c.id, title: c.title, ownerId: c.ownerId, seats, counts: { ...c.counts }, identityHolds };
  }
}

export function idNum(id: string): number {
  return Number(id.slice(id.indexOf('-') + 1));
}

// ---------------------------------------------------------------- seeded data

const FIRST = [
  'Jane',
  'Oliver',
  'Amelia',
  'Noah',
  'Isla',
  'George',
  'Ava',
  'Arthur',
  'Mia',
  'Leo',
  'Ivy',
  'Oscar',
  'Freya',
  'Harry',
  'Florence',
  'Muhammad',
  'Lily',
  'Archie',
  'Grace',
  'Henry',
  'Sophia',
  'Theo',
  'Willow',
  'Jack',
  'Evie',
  'Charlie',
  'Poppy',
  'Thomas',
  'Ella',
  'James',
  'Aisha',
  'Samuel',
  'Chloe',
  'Daniel',
  'Ruby',
  'Joseph',
  'Zara',
  'Lucas',
  'Hannah',
  'Ethan',
  'Priya',
  'Ryan',
  'Megan',
  'Kwame',
  'Sofia',
  'Tomasz',
  'Niamh',
  'Rhys',
  'Eilidh',
  'Callum',
];
const LAST = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Thomas',
  'Clarke',
  'Jackson',
  'Wood',
  'Harris',
  'Edwards',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Hughes',
  'Moore',
  'Clark',
  'King',
  'Harrison',
  'Lewis',
  'Baker',
  'Lee',
  'Allen',
  'Morris',
  'Khan',
  'Scott',
  'Watson',
  'Davis',
  'Parker',
  'James',
  'Bennett',
  'Young',
  'Phillips',
  'Richardson',
  'Mitchell',
  'Nowak',
  'Okafor',
  "O'Brien",
  'Campbell',
  'Murphy',
  'Kelly',
];
const COURSE_TITLES = [
  'Fire Safety',
  'First Aid at Work',
  'Manual Handling',
  'GDPR Essentials',
  'Lone Working',
  'Food Hygiene',
  'Working at Height',
  'Display Screen Equipment',
  'COSHH Awareness',
  'Equality and Diversity',
  'Safeguarding Adults',
  'Infection Control',
  'Cyber Security Basics',
  'Anti-Bribery',
  'Slips, Trips and Falls',
  'Asbestos Awareness',
  'Mental Health Awareness',
  'Conflict Resolution',
  'Health and Safety Induction',
  'Electrical Safety',
];

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)] as T;
}

function makeLearners(store: Store, n: number, r: () => number): void {
  const seen = new Set<string>();
  while (store.learners.length < n) {
    const first = pick(FIRST, r);
    const last = pick(LAST, r);
    const base = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    let email = `${base}@example.test`;
    for (let k = 2; seen.has(email); k++) email = `${base}${k}@example.test`;
    seen.add(email);
    store.addLearner(`${first} ${last}`, email);
  }
}

export interface Seeded {
  store: Store;
  spec: Required<Pick<DataSpec, 'seed'>> & DataSpec;
}

/**
 * Seeds a data set relative to `now`.
 * - preset 'demo' (also the default when no number is given): the story of the demo.
 * - preset 'bench': 20 courses x 1000 pending + 100 accepted, 5000 learners (each overridable).
 * - preset 'scale': 200 courses x 225 pending + 25 accepted (50,000 invites), 5000 learners.
 * - no preset but numbers: a plain generated set (3 courses x 10 pending + 5 accepted by default).
 */
export function seed(spec: DataSpec, now: number): Store {
  const s = spec.seed ?? 1;
  const hasNumbers =
    spec.courses !== undefined ||
    spec.learners !== undefined ||
    spec.pendingPerCourse !== undefined ||
    spec.acceptedPerCourse !== undefined ||
    spec.seatsPerCourse !== undefined ||
    spec.maxAgeDays !== undefined;
  const store =
    spec.preset === 'bench'
      ? generated(spec, now, s, { courses: 20, learners: 5000, pending: 1000, accepted: 100 })
      : spec.preset === 'scale'
        ? generated(spec, now, s, { courses: 200, learners: 5000, pending: 225, accepted: 25 })
        : spec.preset === 'demo' || !hasNumbers
          ? demo(now, s)
          : generated(spec, now, s, { courses: 3, learners: 50, pending: 10, accepted: 5 });
  const r = prng(s ^ 0x5eed);
  for (let i = 0; i < (spec.foreignCourses ?? 0); i++) {
    const c = store.addCourse(`${pick(COURSE_TITLES, r)} (Site B)`, 10, 'm-2');
    for (let k = 0; k < 3 && k < store.learners.length; k++) {
      store.addInvite(c, store.learners[k] as LearnerRec, now - r() * 20 * DAY, 'pending');
    }
    store.addInvite(
      c,
      store.learners[3 % store.learners.length] as LearnerRec,
      now - 40 * DAY,
      'accepted',
      60,
    );
  }
  store.settle(now);
  return store;
}

function generated(
  spec: DataSpec,
  now: number,
  s: number,
  d: { courses: number; learners: number; pending: number; accepted: number },
): Store {
  const r = prng(s);
  const store = new Store();
  const nCourses = spec.courses ?? d.courses;
  const pending = spec.pendingPerCourse ?? d.pending;
  const accepted = spec.acceptedPerCourse ?? d.accepted;
  const nLearners = Math.max(1, spec.learners ?? Math.max(d.learners, pending + accepted));
  const maxAge = (spec.maxAgeDays ?? 29.9) * DAY;
  makeLearners(store, nLearners, r);
  for (let i = 0; i < nCourses; i++) {
    const base = COURSE_TITLES[i % COURSE_TITLES.length] as string;
    const title = i < COURSE_TITLES.length ? base : `${base} ${Math.floor(i / COURSE_TITLES.length) + 1}`;
    const total = Math.max(spec.seatsPerCourse ?? pending + accepted + 10, pending + accepted);
    const c = store.addCourse(title, total);
    // Consecutive learners from a random offset: distinct within a course while they last.
    let li = Math.floor(r() * nLearners);
    const next = (): LearnerRec => store.learners[li++ % nLearners] as LearnerRec;
    for (let k = 0; k < accepted; k++) {
      store.addInvite(c, next(), now - (1 + r() * 120) * DAY, 'accepted', Math.floor(r() * 101));
    }
    for (let k = 0; k < pending; k++) store.addInvite(c, next(), now - r() * maxAge, 'pending');
  }
  return store;
}

/** Jane Doe's pending invites: course index -> age in days. */
const JANE_PENDING_AGE: Record<number, number> = { 0: 27.5, 3: 12, 4: 0.1 };

/** The demo story: six small courses, pending invites of every age, Jane Doe in several courses. */
function demo(now: number, s: number): Store {
  const r = prng(s);
  const store = new Store();
  const jane = store.addLearner('Jane Doe', 'jane.doe@example.test');
  makeLearners(store, 140, r);
  const plan: { title: string; pending: number; accepted: number; spare: number }[] = [
    { title: 'Fire Safety', pending: 9, accepted: 14, spare: 7 },
    { title: 'First Aid at Work', pending: 38, accepted: 34, spare: 8 },
    { title: 'Manual Handling', pending: 7, accepted: 9, spare: 4 },
    { title: 'GDPR Essentials', pending: 12, accepted: 20, spare: 3 },
    { title: 'Lone Working', pending: 4, accepted: 5, spare: 1 },
    { title: 'Food Hygiene', pending: 6, accepted: 8, spare: 0 },
  ];
  const others = store.learners.slice(1);
  plan.forEach((p, ci) => {
    const c = store.addCourse(p.title, p.pending + p.accepted + p.spare);
    let li = Math.floor(r() * others.length);
    const next = (): LearnerRec => others[li++ % others.length] as LearnerRec;
    let pending = p.pending;
    let accepted = p.accepted;
    // Jane: pending in Fire Safety, GDPR and Lone Working; accepted in First Aid.
    const janeAge = JANE_PENDING_AGE[ci];
    if (janeAge !== undefined) {
      store.addInvite(c, jane, now - janeAge * DAY, 'pending');
      pending--;
    } else if (ci === 1) {
      store.addInvite(c, jane, now - 45 * DAY, 'accepted', 80);
      accepted--;
    }
    for (let k = 0; k < accepted; k++) {
      store.addInvite(c, next(), now - (3 + r() * 150) * DAY, 'accepted', Math.floor(r() * 101));
    }
    // Every course: one expiring within a day, one sent today, the rest spread over 30 days.
    for (let k = 0; k < pending; k++) {
      const age = k === 0 ? 29.3 + r() * 0.6 : k === 1 ? r() * 0.5 : r() * 29.9;
      store.addInvite(c, next(), now - age * DAY, 'pending');
    }
    // History: a cancelled invite and one that expired (they hold no seat and are never listed as pending).
    store.addInvite(c, next(), now - (5 + r() * 20) * DAY, 'cancelled');
    store.addInvite(c, next(), now - (31 + r() * 30) * DAY, 'pending');
  });
  return store;
}

/** Invites matching a filter, any status, in id order (for /__sim/invites). */
export function filterInvites(
  store: Store,
  f: { courseId?: string | null; learnerId?: string | null; status?: string | null },
): InviteRec[] {
  const out: InviteRec[] = [];
  const source = f.courseId
    ? (store.courseById.get(f.courseId)?.invites ?? [])
    : f.learnerId
      ? (store.learnerById.get(f.learnerId)?.invites ?? [])
      : store.inviteById.values();
  for (const inv of source) {
    if (f.learnerId && inv.learner.id !== f.learnerId) continue;
    if (f.status && inv.status !== f.status) continue;
    out.push(inv);
  }
  return out.sort((a, b) => idNum(a.id) - idNum(b.id));
}
