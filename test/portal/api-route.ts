/** What an API route is and what its handler gets: shared by api.ts, api-routes.ts and writes.ts. */
import type { IncomingMessage } from 'node:http';
import type { RouteKind } from './faults';
import type { Answer } from './http';
import type { Session } from './sessions';
import type { PortalState } from './state';

export interface ApiCall {
  state: PortalState;
  session: Session;
  match: RegExpExecArray;
  url: URL;
  req: IncomingMessage;
  /** A POST's body, read before any drop so that a dropped write is journaled with it. */
  body: string;
  /** A GET, or a write with the session's token and no foreign Origin. */
  csrfOk: boolean;
}

/** The journal entry a write made, so the pipeline can mark its answer dropped or malformed. */
export interface Marked {
  dropped?: 'before' | 'after';
  malformed?: true;
}

export interface Handled {
  answer: Answer;
  entry?: Marked;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** The path with its ids as {id}: the request counters' key. */
  pattern: string;
  re: RegExp;
  kind: RouteKind;
  /** Reads throw HttpError; writes answer every refusal themselves, so it is journaled. */
  run(call: ApiCall): Handled;
  /** A write whose connection is dropped before it runs: journals it, changes nothing. */
  droppedBefore?(call: ApiCall): void;
}

/** The path parameter `i` of a call, decoded. */
export const param = (call: ApiCall, i = 1) => decodeURIComponent(call.match[i] as string);
