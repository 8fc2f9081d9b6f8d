/**
 * The row-to-invite rule for tables without the invite hook: a row names its invite among the
 * page's own invites (the background's, from the portal's API) by the learner (on a course's
 * page) or the course (on a learner's page). A name must fit exactly one invite; a row whose
 * date is another day than that invite's is not that invite.
 */
import { type Day, dayOf, daysBetween, plain } from './cells';
import type { TableRule } from './profile';

/** What the matching rule needs of an invite (the background's cached invites fit). */
export interface InviteFacts {
  id: string;
  learnerName: string;
  learnerEmail: string;
  courseTitle: string;
  sentAt: string;
}

/** Why a row names no invite for sure. */
export type Unmatched =
  /** No invite of this page has that name. */
  | 'missing'
  /** More than one invite of this page has that name. */
  | 'ambiguous'
  /** The row's date is another day than its invite's. */
  | 'other-date'
  /** Another row of the table names the same invite. */
  | 'repeated'
  /** The cell that names the invite is empty or missing. */
  | 'unreadable';

/** The texts a row may show for an invite: on a course's page the learner's name, e-mail or both. */
function namesOf(invite: InviteFacts, rule: TableRule): string[] {
  if (rule.names === 'course') return [plain(invite.courseTitle)];
  const name = plain(invite.learnerName);
  const email = plain(invite.learnerEmail);
  // A cell that shows both, in two elements, reads as one text with or without a space.
  return [name, email, `${name} ${email}`, `${name}${email}`, `${email} ${name}`];
}

/**
 * The page's invites by the texts that name them. `departed`: invites the page still shows that
 * have left the background's list since (Reclaim revoked them, or they were accepted or expired,
 * and the portal has not re-read its table yet); they name a row only where no current invite
 * has that name.
 */
export class InviteIndex {
  private readonly byName = new Map<string, InviteFacts | null>(); // null: more than one invite

  constructor(invites: Iterable<InviteFacts>, rule: TableRule, departed: Iterable<InviteFacts> = []) {
    this.add(invites, rule, this.byName);
    const gone = new Map<string, InviteFacts | null>();
    this.add(departed, rule, gone);
    for (const [name, invite] of gone) if (!this.byName.has(name)) this.byName.set(name, invite);
  }

  private add(invites: Iterable<InviteFacts>, rule: TableRule, into: Map<string, InviteFacts | null>): void {
    for (const invite of invites) {
      for (const name of new Set(namesOf(invite, rule))) {
        if (!name) continue;
        const had = into.get(name);
        into.set(name, had === undefined || had?.id === invite.id ? invite : null);
      }
    }
  }

  /** The invite a row's naming text (already `plain`) names, or why none. */
  find(text: string): InviteFacts | Unmatched {
    if (!text) return 'unreadable';
    const invite = this.byName.get(text);
    return invite === undefined ? 'missing' : invite === null ? 'ambiguous' : invite;
  }
}

/** Whether a row's date can be its invite's (a day apart at most: the portal may print another zone's day). */
export function dateFits(rowDay: Day | null, invite: InviteFacts): boolean {
  if (!rowDay) return true; // no readable date: the name decides, the API's sentAt is used
  const sent = dayOf(invite.sentAt);
  return sent !== null && Math.abs(daysBetween(sent, rowDay)) <= 1;
}
