/**
 * The audit log as CSV (RFC 4180): header row, CRLF line ends, fields quoted when needed, a
 * UTF-8 BOM so spreadsheets read accents, and cells that a spreadsheet would take for a
 * formula prefixed with an apostrophe: those starting with = + - @, their full-width forms
 * ＝ ＋ － ＠ (some spreadsheets read them as the ASCII ones), a tab or a carriage return.
 */
import type { AuditEntry } from '../shared/types';

/**
 * One row per request outcome. An invite's row names the address (as learner and e-mail) and the
 * invite created; `action` tells a cancel from an invite (rows from before invites: cancels), and
 * `reason` why a job sent invites (reassign, renew, make-room; empty for a revoke).
 */
const AUDIT_HEADER = [
  'when',
  'origin',
  'invite id',
  'learner',
  'e-mail',
  'course',
  'outcome',
  'detail',
  'job',
  'action',
  'reason',
];

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
    e.outcome,
    e.detail ?? '',
    e.jobId === null ? '' : String(e.jobId),
    e.action ?? 'cancel',
    e.reason ?? '',
  ]);
  return `\uFEFF${[AUDIT_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
