/**
 * The audit log as CSV (RFC 4180): header row, CRLF line ends, fields quoted when needed, a
 * UTF-8 BOM so spreadsheets read accents, and cells that a spreadsheet would take for a
 * formula prefixed with an apostrophe: those starting with = + - @, their full-width forms
 * ＝ ＋ － ＠ (some spreadsheets read them as the ASCII ones), a tab or a carriage return.
 */
import { type MessageKey, t } from '../shared/i18n';
import type { AuditEntry, AuditOutcome, InviteReason } from '../shared/types';

/**
 * One row per request outcome. An invite's row names the address (as learner and e-mail) and the
 * invite created; `action` tells a cancel from an invite (rows from before invites: cancels), and
 * `reason` why a job sent invites (reassign, renew, make-room; empty for a revoke). The file is
 * for people (a spreadsheet), so its header and words are in the reader's language; the column
 * order is the same in every language.
 */
const AUDIT_HEADER: readonly MessageKey[] = [
  'csvWhen',
  'csvOrigin',
  'csvInviteId',
  'csvLearner',
  'csvEmail',
  'csvCourse',
  'csvOutcome',
  'csvDetail',
  'csvJob',
  'csvAction',
  'csvReason',
];

const OUTCOME_WORDS: Record<AuditOutcome, MessageKey> = {
  revoked: 'csvOutcomeRevoked',
  'already-cancelled': 'csvOutcomeAlreadyCancelled',
  'already-expired': 'csvOutcomeAlreadyExpired',
  'kept-accepted': 'csvOutcomeKeptAccepted',
  'not-found': 'csvOutcomeNotFound',
  invited: 'csvOutcomeInvited',
  'already-invited': 'csvOutcomeAlreadyInvited',
  'not-invited': 'csvOutcomeNotInvited',
  failed: 'csvOutcomeFailed',
};

const ACTION_WORDS: Record<NonNullable<AuditEntry['action']>, MessageKey> = {
  cancel: 'csvActionCancel',
  invite: 'csvActionInvite',
};

const REASON_WORDS: Record<InviteReason, MessageKey> = {
  reassign: 'csvReasonReassign',
  renew: 'csvReasonRenew',
  'make-room': 'csvReasonMakeRoom',
};

/** The reader's word for a stored value; a value this version has no word for is written as stored. */
const wordFor = <V extends string>(words: Record<V, MessageKey>, value: V): string =>
  Object.hasOwn(words, value) ? t(words[value]) : value;

const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => [
    new Date(e.at).toISOString(),
    e.origin,
    e.inviteId,
    e.learnerName,
    e.learnerEmail,
    e.courseTitle,
    wordFor(OUTCOME_WORDS, e.outcome),
    e.detail ?? '',
    e.jobId === null ? '' : String(e.jobId),
    wordFor(ACTION_WORDS, e.action ?? 'cancel'),
    e.reason ? wordFor(REASON_WORDS, e.reason) : '',
  ]);
  const header = AUDIT_HEADER.map((key) => t(key));
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
