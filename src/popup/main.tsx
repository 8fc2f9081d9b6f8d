/**
 * Popup entry. Paints at once from the popup's snapshot of the cache (store.ts), then loads its
 * connections to the background and Dexie (live.ts) and refreshes.
 */
import { render } from 'preact';
import { installPageCss } from '../shared/ui/page';
import { App } from './App';
import { downloadText } from './download';
import { createPopupStore, type PopupDeps, StoreContext } from './store';
import { popupCss } from './styles';

performance.mark('reclaim:popup-start');

const load = () => import('./live').then((m) => m.live);

/** A subscription opened once live.ts has loaded; closing it before then cancels it. */
function later(open: (m: Awaited<ReturnType<typeof load>>) => () => void): () => void {
  let close: (() => void) | null = null;
  let cancelled = false;
  void load().then((m) => {
    if (!cancelled) close = open(m);
  });
  return () => {
    cancelled = true;
    close?.();
  };
}

const deps: PopupDeps = {
  send: async (request) => (await load()).send(request),
  readSettings: async () => (await load()).readSettings(),
  connectEvents: (onEvent, onClose) => later((m) => m.connectEvents(onEvent, onClose)),
  watchOverview: (query, onValue, onError) => later((m) => m.watchOverview(query, onValue, onError)),
  watchAudit: (limit, onValue, onError) => later((m) => m.watchAudit(limit, onValue, onError)),
  openTab: (url) => void load().then((m) => m.openTab(url)),
  openOptions: () => void load().then((m) => m.openOptions()),
  storage: localStorage,
  download: (filename, text) => downloadText(document, filename, text),
  now: () => Date.now(),
};

installPageCss(document, popupCss);
const store = createPopupStore(deps);
const root = document.getElementById('app');
if (root) {
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    root,
  );
  performance.mark('reclaim:popup-rendered');
  const life = new AbortController();
  addEventListener('pagehide', () => life.abort(), { once: true });
  void store.getState().init(life.signal);
}
