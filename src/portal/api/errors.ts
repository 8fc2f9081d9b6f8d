/** How the portal's answers read as Reclaim's typed errors (portal contract, "Errors"). */
import { type BaseIssue, getDotPath } from 'valibot';
import { t } from '../../shared/i18n';
import type { InviteStatus, PortalError } from '../../shared/types';

/** An invite's status as a word: "pending", "accepted" / "en attente", "acceptée". */
export function statusWord(status: InviteStatus): string {
  switch (status) {
    case 'pending':
      return t('errorStatusPending');
    case 'accepted':
      return t('errorStatusAccepted');
    case 'cancelled':
      return t('errorStatusCancelled');
    case 'expired':
      return t('errorStatusExpired');
  }
}

/** The first few schema issues of an answer, for the manager and the logs. */
export function describeIssues(issues: readonly BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Retry-After in ms: seconds, or an HTTP date on the portal's clock. */
export function parseRetryAfter(header: string | null, portalNow: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  if (!Number.isNaN(at)) return Math.max(0, at - portalNow);
  return null;
}

/** The manager's session has ended, whatever shape the portal gave that answer. */
export function signedOutError(httpStatus: number | undefined): PortalError {
  const error: PortalError = {
    kind: 'signed-out',
    message: t('errorSignedOut'),
  };
  if (httpStatus) error.httpStatus = httpStatus;
  return error;
}

/** The error of a non-2xx answer: its HTTP status, the body's error code and invite status, Retry-After. */
export function errorFor(
  status: number,
  code: string | null,
  inviteStatus: InviteStatus | undefined,
  retryAfterMs: number | null,
): PortalError {
  const httpStatus = status;
  if (status === 401) return signedOutError(status);
  if (status === 403) {
    return {
      kind: 'forbidden',
      httpStatus,
      message: code === 'csrf' ? t('errorCsrf') : t('errorRefused'),
    };
  }
  if (status === 404) return { kind: 'not-found', httpStatus, message: t('errorUnknownInvite') };
  if (status === 409 && code === 'not_pending') {
    if (!inviteStatus) {
      return {
        kind: 'malformed',
        httpStatus,
        message: t('errorNotPendingNoStatus'),
      };
    }
    return {
      kind: 'not-pending',
      httpStatus,
      status: inviteStatus,
      message: t('errorAlready', statusWord(inviteStatus)),
    };
  }
  if (status === 409 && code === 'no_seats')
    return { kind: 'no-seats', httpStatus, message: t('errorNoSeats') };
  if (status === 400 && code === 'invalid_emails')
    return { kind: 'invalid-emails', httpStatus, message: t('errorInvalidEmail') };
  if (status === 429) {
    const wait = retryAfterMs ?? 1000;
    return {
      kind: 'rate-limited',
      httpStatus,
      retryAfterMs: wait,
      message: t('errorSlowDown', Math.ceil(wait / 1000)),
    };
  }
  if (status >= 500) return { kind: 'server-error', httpStatus, message: t('errorServer', String(status)) };
  return {
    kind: 'forbidden',
    httpStatus,
    message: code ? t('errorRefusedHttpCode', String(status), code) : t('errorRefusedHttp', String(status)),
  };
}
