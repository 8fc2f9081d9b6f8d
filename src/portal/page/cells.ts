/**
 * Reading a cell's text as a person does: the words of a header or a status, and a date in the
 * formats people write ("17 Nov 2026", "17 Nov 2026, 14:05", "2026-11-17", "17/11/2026",
 * "Nov 17", "17 nov. 2026", `<time datetime>`), each by the words of a profile.
 */
import type { InviteStatus } from '../../shared/types';
import type { PortalProfile } from './profile';

/** Text as Reclaim compares it: lower case, single spaces, straight apostrophes, no ends. */
export function plain(text: string | null | undefined): string {
  if (!text) return '';
  return text.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();
}

/** A status cell's text -> the status, or null when it says none of the profile's words. */
export function statusReader(
  profile: PortalProfile,
): (text: string | null | undefined) => InviteStatus | null {
  const exact = new Map<string, InviteStatus>();
  for (const [status, words] of Object.entries(profile.statuses) as [InviteStatus, readonly string[]][])
    for (const word of words) exact.set(plain(word), status);
  // Longest first, so "en attente de ..." is not read as a shorter word it starts with.
  const prefixes = [...exact.entries()].sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    const quick = exact.get(text?.trim().toLowerCase() ?? '');
    if (quick) return quick;
    const t = plain(text);
    const hit = exact.get(t) ?? prefixes.find(([word]) => t.startsWith(`${word} `))?.[1];
    return hit ?? null;
  };
}

/** A calendar day in the browser's time zone (month 1-12). */
export interface Day {
  y: number;
  m: number;
  d: number;
}

/** The calendar day of an instant, in the browser's time zone. */
export function dayOf(instant: string | number): Day | null {
  const t = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(t)) return null;
  const date = new Date(t);
  return { y: date.getFullYear(), m: date.getMonth() + 1, d: date.getDate() };
}

/** Whole days from `a` to `b` (calendar days, whatever the time zone's hours). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

function day(y: number, m: number, d: number): Day | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 ? { y, m, d } : null; // not 31 Nov
}

const ISO = /(\d{4})-(\d{1,2})-(\d{1,2})/;
const NUMERIC = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b/;
const TIME = /\b\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm)?/g;

/**
 * A date cell's text -> its calendar day, or null when it holds no date the profile knows. A
 * date without a year ("Nov 17") is taken in the year that puts it nearest before `now`
 * (invites are sent in the past).
 */
export function dateReader(
  profile: PortalProfile,
): (text: string | null | undefined, now: number) => Day | null {
  const months = new Map<string, number>();
  profile.months.forEach((names, i) => {
    for (const name of names) months.set(plain(name).replace(/\.$/, ''), i + 1);
  });
  return (text, now) => {
    const t = plain(text);
    if (!t) return null;
    const iso = ISO.exec(t);
    if (iso) return day(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    const num = NUMERIC.exec(t);
    if (num) {
      const [a, b] = [Number(num[1]), Number(num[2])];
      const y = num[3]?.length === 2 ? 2000 + Number(num[3]) : Number(num[3]);
      return profile.numericDates === 'day-first' ? day(y, b, a) : day(y, a, b);
    }
    let month: number | undefined;
    let d: number | undefined;
    let y: number | undefined;
    for (const token of t.replace(TIME, ' ').split(/[\s,]+/)) {
      const word = token.replace(/\.$/, '');
      if (/^\d{4}$/.test(word)) y ??= Number(word);
      else if (/^\d{1,2}(?:st|nd|rd|th|er)?$/.test(word)) d ??= Number.parseInt(word, 10);
      else if (months.has(word)) month ??= months.get(word);
    }
    if (month === undefined || d === undefined) return null;
    if (y !== undefined) return day(y, month, d);
    const today = dayOf(now);
    if (!today) return null;
    const guess = day(today.y, month, d);
    // More than a day ahead of today (time zones aside): last year's.
    return guess && daysBetween(today, guess) > 1 ? day(today.y - 1, month, d) : guess;
  };
}
