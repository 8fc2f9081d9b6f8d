/** The popup's App on a fake's I/O, as popup/boot.tsx puts it on the page; `unmountPopups` takes every one down. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App } from '../../../src/popup/App';
import { StoreContext } from '../../../src/popup/context';
import { createPopupStore, type Opening } from '../../../src/popup/store';
import { type Fake, settle } from './fakes';

const mounted: { root: HTMLElement; life: AbortController }[] = [];

/** Renders the popup (its first render only: no init, nothing awaited). */
export function renderPopup(f: Fake, opening: Opening = {}) {
  const store = createPopupStore(f.deps, opening);
  const root = document.createElement('div');
  document.body.append(root);
  const life = new AbortController();
  mounted.push({ root, life });
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    root,
  );
  return { store, root, life };
}

/** Renders the popup and starts it (init), then lets `settleTimes` rounds of tasks run. */
export async function mountPopup(f: Fake, opening: Opening = {}, settleTimes = 5) {
  let popup: ReturnType<typeof renderPopup> | undefined;
  await act(async () => {
    popup = renderPopup(f, opening);
    void popup.store.getState().init(popup.life.signal);
    await settle(settleTimes);
  });
  if (!popup) throw new Error('not rendered');
  return popup;
}

export function unmountPopups(): void {
  for (const { root, life } of mounted.splice(0)) {
    life.abort();
    render(null, root);
    root.remove();
  }
}

/** The button in `root` whose accessible name (aria-label, else its text) matches `label`. */
export const buttonNamed = (root: HTMLElement, label: RegExp) =>
  [...root.querySelectorAll('button')].find((b) =>
    label.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
  ) as HTMLButtonElement | undefined;

/** Clicks `el` (it must be there), then lets `settleTimes` rounds of tasks run. */
export async function clickAndSettle(el: HTMLElement | null | undefined, settleTimes = 5): Promise<void> {
  if (!el) throw new Error('nothing to click');
  await act(async () => {
    el.click();
    await settle(settleTimes);
  });
}
