/**
 * Whether a concrete portal origin (with its port) is one the manager allows.
 *
 * An allowed entry without an explicit port covers every port of that scheme and host, as the
 * browser's match patterns do: "http://127.0.0.1" covers the reference portal on any port.
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    let a: URL;
    try {
      a = new URL(entry);
    } catch {
      return false;
    }
    if (a.protocol !== url.protocol || a.hostname !== url.hostname) return false;
    return a.port === '' || a.port === url.port;
  });
}

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
