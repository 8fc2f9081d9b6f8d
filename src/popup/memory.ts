/**
 * What the popup keeps between openings, in its own localStorage: the portal clock's offset, the
 * origin it showed, the last report it showed, and a snapshot of its course lines. Counting
 * 10,000 cached invites in IndexedDB takes longer than a first paint may, so the popup paints the
 * snapshot at once and replaces it with the live cache read a moment later.
 */
import type { Overview } from '../shared/overview';
import type { PopupDeps } from './state';

type Storage = PopupDeps['storage'];

const OFFSET_KEY = 'reclaim.popup.clockOffset';
const SEEN_KEY = 'reclaim.popup.reportSeen';
const SNAPSHOT_KEY = 'reclaim.popup.snapshot';
const ORIGIN_KEY = 'reclaim.popup.origin';

interface Snapshot {
  minAgeDays: number;
  overview: Overview;
}

export function readSnapshot(storage: Storage): Snapshot | null {
  try {
    const raw = storage.getItem(SNAPSHOT_KEY);
    if (!raw) return null;
    const snap = JSON.parse(raw) as Snapshot;
    return Array.isArray(snap?.overview?.courses) && typeof snap.minAgeDays === 'number' ? snap : null;
  } catch {
    return null;
  }
}

export function saveSnapshot(storage: Storage, snapshot: Snapshot): void {
  storage.setItem(SNAPSHOT_KEY, JSON.stringify(snapshot));
}

/** Portal clock minus the extension clock (ms), as last seen; 0 before any. */
export const readClockOffset = (storage: Storage): number => Number(storage.getItem(OFFSET_KEY)) || 0;
export const saveClockOffset = (storage: Storage, offset: number): void =>
  storage.setItem(OFFSET_KEY, String(offset));

export const readOrigin = (storage: Storage): string | null => storage.getItem(ORIGIN_KEY);
export const saveOrigin = (storage: Storage, origin: string): void => storage.setItem(ORIGIN_KEY, origin);

/** The newest job whose finished report the popup has shown (0: none). */
export const readReportSeen = (storage: Storage): number => Number(storage.getItem(SEEN_KEY)) || 0;
export const saveReportSeen = (storage: Storage, jobId: number): void =>
  storage.setItem(SEEN_KEY, String(jobId));
