/**
 * Portal origins every context agrees on: the built-in ones and the pattern that grants one.
 * The reference portal runs on loopback on any port, so its entries carry no port.
 */
export const DEFAULT_ORIGINS = ['http://127.0.0.1', 'http://localhost'] as const;

/** Built-in origins are always allowed and cannot be removed (no permission to ask for). */
export const isBuiltInOrigin = (origin: string): boolean =>
  (DEFAULT_ORIGINS as readonly string[]).includes(origin);

/** The match pattern for one origin: its host permission and its content scripts' matches. */
export const originPattern = (origin: string): string => `${origin}/*`;
