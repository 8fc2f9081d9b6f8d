/**
 * Settings and portal origins, stored in Dexie's `meta` table under SETTINGS_KEY.
 * Owned by the popup/options work; the router and job runner call these.
 */
import { db, SETTINGS_KEY } from '../shared/db';
import { DEFAULT_SETTINGS, type Settings } from '../shared/types';

export async function loadSettings(): Promise<Settings> {
  const row = await db().meta.get(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...((row?.value as Partial<Settings> | undefined) ?? {}) };
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch };
  await db().meta.put({ key: SETTINGS_KEY, value: next });
  return next;
}
