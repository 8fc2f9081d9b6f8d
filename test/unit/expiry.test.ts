import { describe, expect, it } from 'vitest';
import {
  expiresAt,
  formatCountdown,
  INVITE_LIFETIME_MS,
  isExpired,
  isUrgent,
  msUntilLabelChanges,
} from '../../src/shared/expiry';

const DAY = 24 * 3600 * 1000;
const sent = '2026-11-01T09:00:00.000Z';
const sentMs = Date.parse(sent);

describe('expiry', () => {
  it('expires exactly 30 x 24 h after sentAt', () => {
    expect(INVITE_LIFETIME_MS).toBe(30 * DAY);
    expect(expiresAt(sent)).toBe(sentMs + 30 * DAY);
    expect(isExpired(sent, sentMs + 30 * DAY - 1)).toBe(false);
    expect(isExpired(sent, sentMs + 30 * DAY)).toBe(true);
  });

  it('labels the time left, rounding down', () => {
    expect(formatCountdown(sent, sentMs)).toBe('expires in 30 days');
    expect(formatCountdown(sent, sentMs + 23 * DAY + 1)).toBe('expires in 6 days');
    expect(formatCountdown(sent, sentMs + 28 * DAY + 1)).toBe('expires in 1 day');
    expect(formatCountdown(sent, sentMs + 29 * DAY + 3600_000 * 19 - 1)).toBe('expires in 5 hours');
    expect(formatCountdown(sent, sentMs + 30 * DAY - 12 * 60_000)).toBe('expires in 12 minutes');
    expect(formatCountdown(sent, sentMs + 30 * DAY)).toBe('expired');
  });

  it('is urgent under 3 days and not after expiry', () => {
    expect(isUrgent(sent, sentMs + 27 * DAY)).toBe(false);
    expect(isUrgent(sent, sentMs + 27 * DAY + 1)).toBe(true);
    expect(isUrgent(sent, sentMs + 30 * DAY)).toBe(false);
    // Within a renew window of 5 days instead.
    expect(isUrgent(sent, sentMs + 25 * DAY, 5)).toBe(false);
    expect(isUrgent(sent, sentMs + 25 * DAY + 1, 5)).toBe(true);
  });

  it('says when the label next changes', () => {
    expect(msUntilLabelChanges(sent, sentMs + 23 * DAY + 1)).toBe(DAY - 1);
    expect(msUntilLabelChanges(sent, sentMs + 30 * DAY)).toBe(Number.POSITIVE_INFINITY);
  });
});
