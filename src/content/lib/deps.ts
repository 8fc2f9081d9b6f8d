/** What the in-page controls need from the extension, injectable so unit tests run without one. */
import type { Send } from '../../shared/send';
import type { Gate } from './gate';

/** The part of a runtime port the controls use (webextension-polyfill's Port fits). */
export interface EventPort {
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  disconnect(): void;
}

export interface ContentDeps {
  send: Send;
  /** Opens the background's events port. */
  connect(): EventPort;
  /** Only a real user gesture may start or undo a revoke. */
  isTrusted(event: Event): boolean;
  /** What a click that starts a revoke must pass besides: the manager could see the button (gate.ts). */
  gate: Gate;
  /** Reloads the page (the summary's "Refresh table"). */
  reload(): void;
}

export const isTrustedEvent = (event: Event): boolean => event.isTrusted === true;
