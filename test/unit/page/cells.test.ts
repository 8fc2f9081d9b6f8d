import { describe, expect, it } from 'vitest';
import { dateReader, dayOf, daysBetween, plain, statusReader } from '../../../src/portal/page/cells';
import { portalProfile } from '../../../src/portal/page/profile';
import { dateText, MARKUP_PRESETS, statusText, type TableMarkup } from '../../portal/assets/table-markup';

const readStatus = statusReader(portalProfile);
const readDate = dateReader(portalProfile);
const NOW = new Date(2026, 11, 1, 12).getTime(); // 1 Dec 2026, local time

describe('status cells', () => {
  it('reads the statuses in every case and both languages the portal writes', () => {
    for (const words of ['en', 'fr'] as const)
      for (const statusCase of ['lower', 'title', 'upper'] as const)
        for (const status of ['pending', 'accepted'] as const) {
          const m: TableMarkup = { ...MARKUP_PRESETS.hooks, words, statusCase };
          expect(readStatus(statusText(status, m)), `${words} ${statusCase} ${status}`).toBe(status);
        }
    expect(readStatus('  En attente ')).toBe('pending');
    expect(readStatus('ACCEPTÉE')).toBe('accepted');
    expect(readStatus('Pending (reminded twice)')).toBe('pending');
  });

  it('reads nothing into a status it does not know, or a word that only starts like one', () => {
    expect(readStatus('on hold')).toBeNull();
    expect(readStatus('✓')).toBeNull();
    expect(readStatus('')).toBeNull();
    expect(readStatus(null)).toBeNull();
    expect(readStatus('pendingish')).toBeNull();
  });
});

describe('date cells', () => {
  const sent = new Date(2026, 10, 17, 14, 5); // 17 Nov 2026 14:05, local time
  const iso = sent.toISOString();

  it('reads every format the portal writes, in English and French, as the day it was sent', () => {
    for (const words of ['en', 'fr'] as const)
      for (const dateFormat of ['portal', 'd MMM yyyy', 'yyyy-mm-dd', 'dd/mm/yyyy', 'MMM d'] as const) {
        const text = dateText(iso, { ...MARKUP_PRESETS.hooks, words, dateFormat });
        expect(readDate(text, NOW), `${words} ${dateFormat}: ${text}`).toEqual({ y: 2026, m: 11, d: 17 });
      }
  });

  it('reads the usual ways people write a date', () => {
    expect(readDate('17 Nov 2026', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('17 November 2026, 2:05 pm', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('November 17, 2026', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('1er janv. 2026', NOW)).toEqual({ y: 2026, m: 1, d: 1 });
    expect(readDate('17 nov. 2026 à 14h05', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('17.11.2026', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('2026-11-17T14:05:00Z', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('17/11/26', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
  });

  it('puts a date without a year in the year that makes it the latest one not after today', () => {
    expect(readDate('Nov 17', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('Dec 2', NOW)).toEqual({ y: 2026, m: 12, d: 2 }); // tomorrow: a time zone away
    expect(readDate('Dec 20', NOW)).toEqual({ y: 2025, m: 12, d: 20 });
    expect(readDate('déc. 20', NOW)).toEqual({ y: 2025, m: 12, d: 20 });
  });

  it('reads no date from text that holds none, or an impossible one', () => {
    for (const text of ['', 'yesterday', '—', 'Nov', '31 Nov 2026', '45/11/2026', '2026-13-01', null])
      expect(readDate(text, NOW), String(text)).toBeNull();
  });

  it('reads numbers-only dates month first where a profile says so', () => {
    const us = dateReader({ ...portalProfile, numericDates: 'month-first' });
    expect(us('11/17/2026', NOW)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(readDate('11/17/2026', NOW)).toBeNull(); // day first: there is no 17th month
  });

  it('counts calendar days between days, and takes an instant’s day in the browser’s zone', () => {
    expect(daysBetween({ y: 2026, m: 11, d: 30 }, { y: 2026, m: 12, d: 2 })).toBe(2);
    expect(daysBetween({ y: 2026, m: 12, d: 31 }, { y: 2026, m: 12, d: 30 })).toBe(-1);
    expect(dayOf(iso)).toEqual({ y: 2026, m: 11, d: 17 });
    expect(dayOf('not a date')).toBeNull();
  });
});

describe('plain text', () => {
  it('compares case-blind, with single spaces and straight apostrophes', () => {
    expect(plain('  Date   d’invitation\n')).toBe("date d'invitation");
    expect(plain(null)).toBe('');
  });
});
