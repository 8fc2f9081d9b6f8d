/** The popup store as Preact components reach it. */
import { createContext } from 'preact';
import { useContext, useSyncExternalStore } from 'preact/compat';
import type { PopupActions, PopupState, PopupStore } from './state';

export const StoreContext = createContext<PopupStore | null>(null);

/** Reads a slice of the popup store and re-renders when it changes. */
export function useApp<T>(select: (state: PopupState & PopupActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside StoreContext');
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
