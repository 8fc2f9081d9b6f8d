/**
 * Portal origins every context agrees on: the built-in ones and the pattern that grants one.
 * Only the development build has built-in origins: the loopback reference portal, on any port, so
 * its entries carry no port (see build.ts). The production build has none.
 */
import { DEV_BUILD, LOOPBACK_ORIGINS } from './build';

export const DEFAULT_ORIGINS: readonly string[] = DEV_BUILD ? LOOPBACK_ORIGINS : [];

/** Built-in origins are always allowed and cannot be removed (no permission to ask for). */
export const isBuiltInOrigin = (origin: string): boolean => DEFAULT_ORIGINS.includes(origin);

/** The match pattern for one origin: its host permission and its content scripts' matches. */
export const originPattern = (origin: string): string => `${origin}/*`;
