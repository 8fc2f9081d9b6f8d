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
