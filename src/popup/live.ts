/**
 * The popup's connections to the rest of Reclaim: the background (messages, events port) and
 * the Dexie cache. Loaded after the first paint, so parsing Dexie and the message schemas does
 * not delay the rows painted from the popup's snapshot.
 */
import { liveQuery } from 'dexie';
import browser from 'webextension-polyfill';
import { db } from '../shared/db';
import { expiringWithin } from '../shared/expiring';
import { type BackgroundEvent, EVENTS_PORT } from '../shared/messages';
import { readOverview } from '../shared/overview';
import { send } from '../shared/send';
import { readSettings } from '../shared/settings';
import { type WatchStatus, watchStatusKey } from '../shared/watch-status';
import { readAudit } from './cache';
import type { PopupDeps } from './state';

export const live = {
  send,
  readSettings: () => readSettings(db()),
  connectEvents(onEvent, onClose) {
    const port = browser.runtime.connect({ name: EVENTS_PORT });
    port.onMessage.addListener((message: unknown) => onEvent(message as BackgroundEvent));
    port.onDisconnect.addListener(onClose);
    return () => port.disconnect();
  },
  watchOverview({ now, minAgeDays, origin, renewDays }, onValue, onError) {
    const sub = liveQuery(() => readOverview(now, minAgeDays, origin, db(), renewDays)).subscribe({
      next: onValue,
      error: onError,
    });
    return () => sub.unsubscribe();
  },
  watchExpiring({ now, origin, withinDays }, onValue, onError) {
    const sub = liveQuery(() => expiringWithin(db(), origin, now, withinDays)).subscribe({
      next: onValue,
      error: onError,
    });
    return () => sub.unsubscribe();
  },
  watchWatchStatus(origin, onValue, onError) {
    const sub = liveQuery(() => db().meta.get(watchStatusKey(origin))).subscribe({
      next: (row) => onValue((row?.value as WatchStatus | undefined) ?? null),
      error: onError,
    });
    return () => sub.unsubscribe();
  },
  watchAudit(limit, onValue, onError) {
    const sub = liveQuery(() => readAudit(limit)).subscribe({ next: onValue, error: onError });
    return () => sub.unsubscribe();
  },
  openTab(url) {
    void browser.tabs.create({ url });
  },
  openOptions() {
    void browser.runtime.openOptionsPage();
  },
} satisfies Pick<
  PopupDeps,
  | 'send'
  | 'readSettings'
  | 'connectEvents'
  | 'watchOverview'
  | 'watchExpiring'
  | 'watchWatchStatus'
  | 'watchAudit'
  | 'openTab'
  | 'openOptions'
>;
