/** Saving settings: the background is the only writer of the settings row (shared/settings.ts reads it). */
import { db } from '../shared/db';
import { readSettings, SETTINGS_KEY } from '../shared/settings';
import type { Settings } from '../shared/types';

export function loadSettings(): Promise<Settings> {
  return readSettings(db());
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch };
  await db().meta.put({ key: SETTINGS_KEY, value: next });
  return next;
}
