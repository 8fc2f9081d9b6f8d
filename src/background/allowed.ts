/** Which origins an allowed entry covers is for the popup too, so it is defined in shared/. */
export { originAllowed } from '../shared/origins';

/**
 * The portal to act on when no portal tab is open and none was seen before: only an origin the
 * manager added (https). A built-in loopback entry covers every port, so it names no portal by
 * itself (guessing port 80 would send requests to the wrong server); then there is none.
 */
export function fallbackOrigin(allowed: readonly string[]): string | null {
  for (const entry of allowed) {
    try {
      const url = new URL(entry);
      if (url.protocol === 'https:') return url.origin;
    } catch {
      // not an origin: skip it
    }
  }
  return null;
}
