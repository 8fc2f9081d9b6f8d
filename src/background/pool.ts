/** Portal reads a few at a time (the portal limits each session's rate). */
import type { Gate, Result } from '../portal/api/client';

/**
 * Runs `fn` over `list` with at most `limit` at once: every value in the list's order, or the
 * first failure (after which no further element is started).
 */
export async function eachLimited<T, R>(
  list: readonly T[],
  limit: number,
  fn: (x: T) => Promise<Result<R>>,
): Promise<Result<R[]>> {
  const out: R[] = new Array(list.length);
  let next = 0;
  let failure: Extract<Result<R>, { ok: false }> | null = null;
  const worker = async () => {
    while (next < list.length && !failure) {
      const k = next++;
      const r = await fn(list[k] as T);
      if (r.ok) out[k] = r.value;
      else failure ??= r;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return failure ?? { ok: true, value: out };
}

/** A gate (client.ts) that lets at most `width` requests run at once, the rest in arrival order. */
export function createGate(width: number): Gate {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished request hands its place straight to the next one waiting, if any.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (request) => {
    if (running >= width) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await request();
    } finally {
      release();
    }
  };
}
