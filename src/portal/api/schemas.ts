/**
 * Schemas for every answer of the portal's JSON API (see the portal contract).
 * Nothing is acted on unless it passed one of these. Where a shape is also a domain type of
 * src/shared/types.ts, the schema is checked against it (`satisfies`).
 */
import * as v from 'valibot';
import {
  INVITE_STATUSES,
  type InviteStatus as InviteStatusType,
  type Seats as SeatsType,
} from '../../shared/types';

const InviteStatus = v.picklist(INVITE_STATUSES) satisfies v.GenericSchema<unknown, InviteStatusType>;

const Id = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.minLength(1));
const IsoDate = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
);

const Seats = v.object({
  total: v.pipe(v.number(), v.integer(), v.minValue(0)),
  assigned: v.pipe(v.number(), v.integer(), v.minValue(0)),
  available: v.pipe(v.number(), v.integer(), v.minValue(0)),
}) satisfies v.GenericSchema<unknown, SeatsType>;

const Learner = v.object({ id: Id, name: v.string(), email: v.string() });

export const Invite = v.object({
  id: Id,
  course: v.object({ id: Id, title: v.string() }),
  learner: Learner,
  sentAt: IsoDate,
  status: InviteStatus,
  progress: v.nullish(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
});
export type Invite = v.InferOutput<typeof Invite>;

export const Session = v.object({
  manager: v.object({ id: Id, name: v.string(), email: v.string() }),
  csrfToken: v.pipe(v.string(), v.minLength(1)),
});
export type Session = v.InferOutput<typeof Session>;

export const Course = v.object({
  id: Id,
  title: v.string(),
  seats: Seats,
  pending: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type Course = v.InferOutput<typeof Course>;

export const CourseList = v.object({ items: v.array(Course) });

const PageMeta = {
  page: v.pipe(v.number(), v.integer(), v.minValue(1)),
  pageSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
  total: v.pipe(v.number(), v.integer(), v.minValue(0)),
};

export const InvitePage = v.object({ items: v.array(Invite), ...PageMeta });
export const LearnerInvites = v.object({ items: v.array(Invite) });

export const CancelAnswer = v.object({ invite: Invite, seats: Seats });
export type CancelAnswer = v.InferOutput<typeof CancelAnswer>;

/** The answer to sending invites: one new invite per new address, the addresses skipped and why. */
export const InviteAnswer = v.object({
  items: v.array(Invite),
  skipped: v.array(v.object({ email: v.string(), reason: v.string() })),
  seats: Seats,
});
export type InviteAnswer = v.InferOutput<typeof InviteAnswer>;

export const ErrorBody = v.object({
  error: v.string(),
  status: v.optional(InviteStatus),
});
