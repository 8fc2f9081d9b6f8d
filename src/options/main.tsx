/** Options page entry: wires the store to the real browser, Dexie and the background. */
import { liveQuery } from 'dexie';
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { db } from '../shared/db';
import { language, t } from '../shared/i18n';
import { originPattern } from '../shared/origins';
import { send } from '../shared/send';
import { readSettings } from '../shared/settings';
import { installPageCss } from '../shared/ui/page';
import { App } from './App';
import { createOptionsStore, OptionsContext } from './store';

const optionsCss = `
body { max-width: 720px; margin: 0 auto; padding: 24px 16px; }
.top { margin-bottom: 16px; }
h1 { font-size: 20px; }
h2 { font-size: 16px; }
.stack { display: flex; flex-direction: column; gap: 12px; }
main.stack { gap: 20px; }
.row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.card { border: 1px solid var(--rc-border); border-radius: var(--rc-radius); padding: 16px; background: var(--rc-bg); }
.origins { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--rc-border); }
.origins li { display: flex; justify-content: space-between; align-items: center; gap: 8px;
  padding: 8px 0; border-bottom: 1px solid var(--rc-border); }
.origin { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.add-origin { display: flex; flex-direction: column; gap: 6px; }
.add-origin label, .field label { font-weight: 600; }
.add-origin .rc-input { flex: 1; min-width: 240px; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field .rc-input { width: 8em; }
.hint { font-size: 12px; }
.advanced { border: 1px solid var(--rc-border); border-radius: var(--rc-radius); padding: 12px; margin: 0; }
.advanced legend { font-weight: 600; padding: 0 4px; }
`;

const store = createOptionsStore({
  send,
  watchSettings(onValue, onError) {
    const sub = liveQuery(() => readSettings(db())).subscribe({ next: onValue, error: onError });
    return () => sub.unsubscribe();
  },
  requestPermission: (origin) => browser.permissions.request({ origins: [originPattern(origin)] }),
  hasPermission: (origin) => browser.permissions.contains({ origins: [originPattern(origin)] }),
});

// The page speaks the catalogue's language: its lang (for screen readers and hyphenation) and title say so.
document.documentElement.lang = language();
document.title = t('optionsTitle');
installPageCss(document, optionsCss);
const root = document.getElementById('app');
if (root) {
  render(
    <OptionsContext.Provider value={store}>
      <App />
    </OptionsContext.Provider>,
    root,
  );
  const life = new AbortController();
  addEventListener('pagehide', () => life.abort(), { once: true });
  store.getState().init(life.signal);
}
