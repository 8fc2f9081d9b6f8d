/**
 * The Origin problem: a `fetch` from the background sends `Origin: chrome-extension://<id>`
 * (Firefox: `moz-extension://<uuid>`) on POST, which the portal (like Rails and Django) refuses
 * as a cross-site request. One declarativeNetRequest SESSION rule per portal origin sets
 * `Origin` to the portal's own origin, and only for this extension's own requests (no tab,
 * initiated by this extension's own origin) to that origin's API, POST only. Pages in tabs are
 * never touched, so the portal's check stays whole for everyone else.
 */
import { API_PREFIX } from '../portal/api/paths';
import { ownRequestInitiator } from './platform';

const queue: { last: Promise<unknown> } = { last: Promise.resolve() };
const installed = new Set<string>();

/** Runs rule edits one at a time (ids are allocated from what is installed). */
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.last.then(fn, fn);
  queue.last = next.catch(() => undefined);
  return next;
}

function ruleFor(id: number, origin: string): chrome.declarativeNetRequest.Rule {
  return {
    id,
    priority: 1,
    action: {
      type: 'modifyHeaders' as chrome.declarativeNetRequest.RuleActionType,
      requestHeaders: [
        { header: 'Origin', operation: 'set' as chrome.declarativeNetRequest.HeaderOperation, value: origin },
      ],
    },
    condition: {
      urlFilter: `|${origin}${API_PREFIX}`,
      requestMethods: ['post' as chrome.declarativeNetRequest.RequestMethod],
      tabIds: [chrome.tabs.TAB_ID_NONE],
      initiatorDomains: [ownRequestInitiator()],
    },
  };
}

const originOf = (rule: chrome.declarativeNetRequest.Rule): string | undefined =>
  rule.action.requestHeaders?.find((h) => h.header.toLowerCase() === 'origin')?.value;

/** Installs (once) the rule for one exact portal origin, e.g. "http://127.0.0.1:4310". */
export function installOriginRule(raw: string): Promise<void> {
  const origin = new URL(raw).origin;
  return serial(async () => {
    const rules = await chrome.declarativeNetRequest.getSessionRules();
    const mine = rules.find((r) => originOf(r) === origin);
    const wanted = ruleFor(mine?.id ?? Math.max(0, ...rules.map((r) => r.id)) + 1, origin);
    if (mine && JSON.stringify(mine.condition) === JSON.stringify(wanted.condition)) {
      installed.add(origin);
      return;
    }
    await chrome.declarativeNetRequest.updateSessionRules({
      removeRuleIds: mine ? [mine.id] : [],
      addRules: [wanted],
    });
    installed.add(origin);
  });
}

/** Removes the rule for one origin (no-op when there is none). */
export function removeOriginRule(raw: string): Promise<void> {
  const origin = new URL(raw).origin;
  return serial(async () => {
    installed.delete(origin);
    const rules = await chrome.declarativeNetRequest.getSessionRules();
    const ids = rules.filter((r) => originOf(r) === origin).map((r) => r.id);
    if (ids.length > 0) await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
  });
}

/** Cheap check before a request: installs the rule on first use of an origin in this worker's life. */
export function ensureOriginRule(origin: string): Promise<void> {
  return installed.has(origin) ? Promise.resolve() : installOriginRule(origin);
}
