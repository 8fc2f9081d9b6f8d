/**
 * One augmentation's life on a page (after Refined GitHub's feature registration): it runs
 * where its URL matches and its table is present, and everything it adds hangs off an
 * AbortSignal, aborted when the URL stops matching (another learner or course), when the table
 * goes away (tab switch) or when the page is hidden for good.
 *
 * ONE MutationObserver per page drives it all: the page's script replaces rows, switches tabs
 * and pages with history.pushState, and every such change arrives here as one batch of records,
 * handled synchronously before the browser paints (and before the page's script runs again).
 */
import type { InviteTableKind } from '../../portal/page/profile';
import { anyTable, findInviteTable } from '../../portal/page/tables';
import type { PortalPage } from '../../shared/portal-page';
import { Controller } from './controller';
import type { ContentDeps } from './deps';
import { createNotice, type Notice, unreadableNotice } from './notice';
import { bindTable, type TableView } from './table-view';

export interface FeatureSpec {
  /** For logs, e.g. 'usage'. */
  id: string;
  /** Which invite table it augments (found by its hook, or by what its header says). */
  table: InviteTableKind;
  /** The learner or course this URL shows, or null where the feature does not run. */
  target(url: URL): PortalPage | null;
  /** Whether this URL's tab shows the invite table (so its absence means the page changed shape). */
  expectsTable(url: URL): boolean;
}

/** How long an expected table may be missing (first render, tab switch) before the notice shows. */
export const SHAPE_GRACE_MS = 2500;

export function startFeature(spec: FeatureSpec, deps: ContentDeps, signal: AbortSignal): void {
  let ctx: { key: string; ctl: Controller; abort: AbortController } | null = null;
  let bound: { table: HTMLTableElement; view: TableView; abort: AbortController } | null = null;
  /** Tables whose rows we could not read: no controls on them, ever. */
  const unreadable = new WeakSet<Element>();
  let notice: Notice | null = null;
  /** Rows the bound table left without controls, in a sentence (null: none). */
  let leftOut: string | null = null;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let graceOver = false;
  let dead = false;

  const unbind = () => {
    bound?.abort.abort();
    bound = null;
    leftOut = null;
  };
  const endGrace = () => {
    clearTimeout(graceTimer);
    graceTimer = undefined;
    graceOver = false;
  };
  const drop = () => {
    unbind();
    ctx?.abort.abort();
    ctx = null;
    hideNotice();
    endGrace();
  };

  function showNotice(near: Element | null, text = unreadableNotice()): void {
    notice ??= createNotice(near ?? document.body);
    notice.say(text);
    if (notice.host.isConnected) return;
    if (near?.isConnected) near.before(notice.host);
    else document.body.prepend(notice.host);
  }
  function hideNotice(): void {
    notice?.host.remove();
  }

  let href = '';
  let url = new URL(location.href);
  function step(records: readonly MutationRecord[] | null): void {
    if (location.href !== href) {
      href = location.href;
      url = new URL(href);
    }
    const target = spec.target(url);
    const key = target ? JSON.stringify(target) : null;
    if (key !== (ctx?.key ?? null)) drop();
    if (!target || !key) return;

    const table = bound?.table.isConnected ? bound.table : findInviteTable(document, spec.table);
    if (!ctx) {
      // Created on first need (the table, or its tab), then kept across tabs and pages.
      if (!table && !spec.expectsTable(url)) return;
      const abort = new AbortController();
      ctx = { key, ctl: new Controller(target, deps, abort.signal), abort };
    }
    if (bound && bound.table !== table) unbind();
    if (table && !bound && !unreadable.has(table)) {
      const abort = new AbortController();
      leftOut = null;
      const hooks = {
        onBroken: () => {
          unreadable.add(table);
          // Abort after this batch: the binding is still walking its rows.
          queueMicrotask(() => {
            if (bound?.table === table) unbind();
          });
          showNotice(table);
        },
        report: (text: string | null) => {
          leftOut = text;
          if (text) showNotice(table, text);
          else hideNotice();
        },
      };
      bound = { table, view: bindTable(table, spec.table, ctx.ctl, deps, abort.signal, hooks), abort };
    } else if (bound && records) {
      bound.view.handle(records);
    }

    // The page's shape: a readable table, another tab, or something we do not recognise.
    if (table && unreadable.has(table)) {
      showNotice(table);
    } else if (table && leftOut && bound) {
      endGrace();
      showNotice(table, leftOut);
    } else if (table || !spec.expectsTable(url)) {
      endGrace();
      hideNotice();
    } else if (graceOver) {
      showNotice(anyTable(document));
    } else
      graceTimer ??= setTimeout(() => {
        graceOver = true;
        guarded(null);
      }, SHAPE_GRACE_MS);
  }

  /**
   * Never an exception loop: the first error stops the feature, loudly, with the notice.
   *
   * The observer is off while we write (controls moved into rows, the bar, the notice), so our
   * own writes cost no mutation records and no second callback; the page cannot run meanwhile.
   * Records the page queued before a call from outside the observer (a URL event fired inside
   * the page's own script) are taken first, not lost.
   */
  function guarded(records: readonly MutationRecord[] | null): void {
    if (dead || signal.aborted) return;
    const queued = observer.takeRecords();
    const all = queued.length === 0 ? records : [...(records ?? []), ...queued];
    observer.disconnect();
    try {
      step(all);
    } catch (err) {
      dead = true;
      console.error(`Reclaim (${spec.id}) stopped on this page:`, err);
      drop();
      showNotice(anyTable(document));
      return;
    }
    if (!signal.aborted) observe();
  }

  const observer = new MutationObserver((records) => guarded(records));
  const observe = () => observer.observe(document.documentElement, { childList: true, subtree: true });
  observe();
  // pushState fires no event a content script can hear, but the page re-renders with it; these
  // catch a URL that changes on its own (back/forward, or the Navigation API where there is one).
  window.addEventListener('popstate', () => guarded(null), { signal });
  const nav = (window as { navigation?: EventTarget }).navigation;
  nav?.addEventListener('currententrychange', () => guarded(null), { signal });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    drop();
    notice?.host.remove();
  });
  guarded(null);
}

/** Runs a feature for the page's life, stopping on pagehide and starting again from the bfcache. */
export function runFeature(spec: FeatureSpec, deps: ContentDeps): void {
  let run = new AbortController();
  startFeature(spec, deps, run.signal);
  window.addEventListener('pagehide', () => run.abort());
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    run = new AbortController();
    startFeature(spec, deps, run.signal);
  });
}
