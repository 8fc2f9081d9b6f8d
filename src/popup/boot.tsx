/**
 * Starts the popup: renders at once from its snapshot of the cache (store.ts), and only after
 * that render is on screen loads its connections to the background and Dexie (live.ts), which
 * the refresh and the live cache read wait for. Without a snapshot there is nothing to show
 * first, so they load at once.
 */
import { render } from 'preact';
import { language, t } from '../shared/i18n';
import { App } from './App';
import { StoreContext } from './context';
import type { live as Live } from './live';
import type { PopupDeps, PopupStore } from './state';
import { createPopupStore } from './store';

export type LiveApi = typeof Live;

interface BootOptions {
  root: Element;
  /** Loads live.ts (a dynamic import, so Dexie and the polyfill stay out of the first chunk). */
  importLive(): Promise<LiveApi>;
  /** Resolves once the first render has been painted. */
  afterPaint(): Promise<void>;
  storage: PopupDeps['storage'];
  download: PopupDeps['download'];
  now(): number;
  /** The page's URL hash: `#expiring` opens the Expiring soon view first. */
  hash: string;
}

export function bootPopup(opts: BootOptions, signal: AbortSignal): PopupStore {
  let painted: Promise<void> = Promise.resolve();
  let live: Promise<LiveApi> | null = null;
  const load = () => {
    live ??= painted.then(opts.importLive);
    return live;
  };
  /** A subscription opened once live.ts has loaded; closing it before then cancels it. */
  const later = (open: (m: LiveApi) => () => void): (() => void) => {
    let close: (() => void) | null = null;
    let cancelled = false;
    void load().then((m) => {
      if (!cancelled) close = open(m);
    });
    return () => {
      cancelled = true;
      close?.();
    };
  };

  const deps: PopupDeps = {
    send: async (request) => (await load()).send(request),
    readSettings: async () => (await load()).readSettings(),
    connectEvents: (onEvent, onClose) => later((m) => m.connectEvents(onEvent, onClose)),
    watchOverview: (query, onValue, onError) => later((m) => m.watchOverview(query, onValue, onError)),
    watchExpiring: (query, onValue, onError) => later((m) => m.watchExpiring(query, onValue, onError)),
    watchWatchStatus: (origin, onValue, onError) =>
      later((m) => m.watchWatchStatus(origin, onValue, onError)),
    watchAudit: (limit, onValue, onError) => later((m) => m.watchAudit(limit, onValue, onError)),
    openTab: (url) => void load().then((m) => m.openTab(url)),
    openOptions: () => void load().then((m) => m.openOptions()),
    storage: opts.storage,
    download: opts.download,
    now: opts.now,
  };

  // The page says which language it is in (screen readers pronounce it so), and its title.
  const doc = opts.root.ownerDocument;
  doc.documentElement.lang = language();
  doc.title = t('extName');

  const store = createPopupStore(deps, { expiring: opts.hash === '#expiring' });
  // With a snapshot on screen, loading and parsing the rest waits until it has been painted.
  if (store.getState().overview) painted = opts.afterPaint();
  // Started before the first render, so that render already says the cache is being refreshed.
  void store.getState().init(signal);
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    opts.root,
  );
  return store;
}
