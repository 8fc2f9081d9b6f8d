/**
 * What Reclaim knows about the portal's two invite tables, as data: one profile of the portal.
 * The code that reads tables (tables.ts, cells.ts, match.ts) takes a profile; a portal with other
 * words, other date habits or another rule for which invite a row shows is a second profile here,
 * not code elsewhere.
 *
 * The DOM hooks are a shortcut where a portal renders them (the reference portal does by
 * default); without them a table is read as a person reads it: found by its header words, its
 * columns by their header text, each row's invite by what the row names among the page's own
 * invites from the API.
 *
 * Examples (reference portal, `/__sim/markup` presets):
 *   hooks:       <table data-table="usage"> <tr data-invite-id="i-7"> <td data-col="status">pending
 *   hookless:    <div class="tw-table-wrap"><table class="tw-table"> <th>State</th><th>Date</th>...
 *                <td class="tw-cell"><span class="tw-pill">Pending</span></td>
 *   hookless-fr: <th>Statut</th><th>Date d'invitation</th> ... En attente ... 17/11/2026
 */
import type { InviteStatus } from '../../shared/types';

/** The two invite tables: a course's Usage tab, a learner's Invite History tab. */
export type InviteTableKind = 'usage' | 'invite-history';

/** The columns Reclaim reads. */
export type Column = 'learner' | 'course' | 'sent' | 'status' | 'actions';

export interface TableRule {
  /** Columns the header must name for a table to be this one (the actions column may go unnamed). */
  needs: readonly Column[];
  /**
   * The column that tells which of the page's invites a row is: on a course's page a learner holds
   * at most one pending or accepted invite of it, on a learner's page at most one per course, so
   * the learner (name or e-mail) or the course title names the invite.
   */
  names: 'learner' | 'course';
}

export interface PortalProfile {
  hooks: {
    table: Record<InviteTableKind, string>;
    /** The row attribute that holds the invite's id. */
    inviteId: string;
    /** The cell attribute that names its column (values as in `Column`). */
    column: string;
    /** The sent cell's machine-readable date. */
    sentTime: string;
  };
  /** Header texts of each column, in every language the portal speaks (compared case-blind). */
  headers: Record<Column, readonly string[]>;
  /** Status texts (compared case-blind; a cell may add words after them). */
  statuses: Record<InviteStatus, readonly string[]>;
  /** Month names and their short forms, January first. */
  months: readonly (readonly string[])[];
  /** How a date written in numbers only reads: 17/11/2026 (day first) or 11/17/2026. */
  numericDates: 'day-first' | 'month-first';
  tables: Record<InviteTableKind, TableRule>;
}

/** The training portal of the contract (portal-contract.md), in English and French. */
export const portalProfile: PortalProfile = {
  hooks: {
    table: { usage: 'table[data-table="usage"]', 'invite-history': 'table[data-table="invite-history"]' },
    inviteId: 'data-invite-id',
    column: 'data-col',
    sentTime: 'time[datetime]',
  },
  headers: {
    learner: [
      'learner',
      'learner name',
      'name',
      'user',
      'e-mail',
      'email',
      'apprenant',
      'nom',
      'utilisateur',
    ],
    course: ['course', 'course name', 'course title', 'training', 'cours', 'formation', 'nom du cours'],
    sent: [
      'sent',
      'sent on',
      'date sent',
      'invited',
      'invited on',
      'date invited',
      'date',
      'envoyée le',
      'envoyé le',
      "date d'invitation",
      'invité le',
      'invitée le',
    ],
    status: ['status', 'state', 'statut', 'état'],
    actions: ['actions', 'action', ''],
  },
  statuses: {
    pending: ['pending', 'en attente'],
    accepted: ['accepted', 'acceptée', 'accepté', 'acceptee'],
    cancelled: ['cancelled', 'canceled', 'annulée', 'annulé'],
    expired: ['expired', 'expirée', 'expiré'],
  },
  months: [
    ['january', 'jan', 'janvier', 'janv'],
    ['february', 'feb', 'février', 'févr', 'fevrier', 'fevr'],
    ['march', 'mar', 'mars'],
    ['april', 'apr', 'avril', 'avr'],
    ['may', 'mai'],
    ['june', 'jun', 'juin'],
    ['july', 'jul', 'juillet', 'juil'],
    ['august', 'aug', 'août', 'aout'],
    ['september', 'sep', 'sept', 'septembre'],
    ['october', 'oct', 'octobre'],
    ['november', 'nov', 'novembre'],
    ['december', 'dec', 'décembre', 'déc', 'decembre'],
  ],
  numericDates: 'day-first',
  tables: {
    usage: { needs: ['learner', 'sent', 'status'], names: 'learner' },
    'invite-history': { needs: ['course', 'sent', 'status'], names: 'course' },
  },
};
