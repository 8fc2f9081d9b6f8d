/**
 * Settings: their defaults and the one way to read them, from Dexie's `meta` table. The
 * background writes them (src/background/settings.ts); extension pages read them directly.
 */
import type { ReclaimDb } from './db';
import { DEFAULT_ORIGINS } from './origins';
import type { Settings } from './types';

export const SETTINGS_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  origins: [...DEFAULT_ORIGINS],
  undoSeconds: 5,
  concurrency: 6,
  minAgeDays: 0,
  renewDays: 3,
  notifyExpiring: true,
  watchHours: 3,
  // Long enough to answer "who revoked what, when" for a licence year's half; the cache only
  // saves reads, and no invite stays pending past 30 days.
  auditRetentionDays: 180,
  cacheRetentionDays: 30,
  rereadAfterMinutes: 60,
  showPortalCancel: false,
};

/** The stored settings over the defaults (a setting never saved has its default). */
export async function readSettings(database: ReclaimDb): Promise<Settings> {
  const row = await database.meta.get(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...((row?.value as Partial<Settings> | undefined) ?? {}) };
}
