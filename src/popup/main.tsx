/** Popup entry: wires the store to the real browser, Dexie and the background. */
import { liveQuery } from 'dexie';
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { type BackgroundEvent, EVENTS_PORT } from '../shared/messages';
import { send } from '../shared/send';
import { installPageCss } from '../shared/ui/page';
import { App } from './App';
import { readAudit, readOverview, readSettings } from './cache';
import { downloadText } from './download';
import { createPopupStore, type PopupDeps, StoreContext } from './store';
import { popupCss } from './styles';

const deps: PopupDeps = {
  send,
  connectEvents(onEvent, onClose) {
    const port = browser.runtime.connect({ name: EVENTS_PORT });
    port.onMessage.addListener((message: unknown) => onEvent(message as BackgroundEvent));
    port.onDisconnect.addListener(onClose);
    return () => port.disconnect();
  },
  watchOverview({ now, minAgeDays, origin }, onValue, onError) {
    const sub = liveQuery(() => readOverview(now, minAgeDays, origin)).subscribe({
      next: onValue,
      error: onError,
    });
    return () => sub.unsubscribe();
  },
  watchAudit(limit, onValue, onError) {
    const sub = liveQuery(() => readAudit(limit)).subscribe({ next: onValue, error: onError });
    return () => sub.unsubscribe();
  },
  readSettings: () => readSettings(),
  storage: localStorage,
  openTab(url) {
    void browser.tabs.create({ url });
  },
  openOptions() {
    void browser.runtime.openOptionsPage();
  },
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
  const life = new AbortController();
  addEventListener('pagehide', () => life.abort(), { once: true });
  void store.getState().init(life.signal);
}
