/**
 * Background service worker: the one caller of the portal and the one writer of the cache.
 * Every listener is registered synchronously at the top level, so an event that wakes a stopped
 * worker is delivered; start-up work (resuming unfinished jobs, header rules, badge) runs from
 * here too, and again on an alarm every 30 s while a job is unfinished. The expiry watch reads
 * each known portal on its own alarm (every `watchHours`) and notifies of expiring invites.
 */
import browser from 'webextension-polyfill';
import { pages } from '../portal/page/routes';
import { DEV_BUILD } from '../shared/build';
import { db as database } from '../shared/db';
import { t } from '../shared/i18n';
import { isSelfDrivenJob } from '../shared/job-states';
import { type BackgroundEvent, EVENTS_PORT } from '../shared/messages';
import type { Settings } from '../shared/types';
import { fallbackOrigin, originAllowed } from './allowed';
import { createBadge } from './badge';
import { InviteCache } from './cache';
import { eventFor } from './events';
import { createExpiryWatch, EXPIRY_WATCH_ALARM, isExpiryNotice, type NoticeAction } from './expiry-watch';
import { JobRunner } from './jobs/runner';
import { ensureOriginRule, installOriginRule } from './origin-rule';
import { addOrigin, ensureOriginsRegistered, originsWithAccess, removeOrigin } from './origins';
import { notificationButtons, openPopupAt } from './platform';
import { createClients } from './portals';
import { forgetPortal, sweep } from './retention';
import { type Caller, classifySender, createRouter } from './router';
import { loadSettings, saveSettings } from './settings';
import { listenForSites } from './sites';

const JOBS_ALARM = 'reclaim-jobs';
/** Drops what the retention settings no longer keep (retention.ts), twice a day. */
const RETENTION_ALARM = 'reclaim-retention';
const LAST_ORIGIN_KEY = 'portal.lastOrigin';

const db = database();
const ext = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('') };
const now = () => Date.now();
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

// ---- events port: every open view gets job progress and cache changes ----

const ports = new Map<browser.Runtime.Port, Caller>();

/** Each view gets what it may see of an event (events.ts): a page only its own learner or course. */
function broadcast(event: BackgroundEvent): void {
  for (const [port, caller] of ports) {
    const told = eventFor(caller, event);
    if (!told) continue;
    try {
      port.postMessage(told);
    } catch {
      ports.delete(port);
    }
  }
}

// ---- portal clients, cache, jobs, badge ----

const signedIn = new Map<string, boolean>();
const client = createClients({
  fetch: (url, init) => fetch(url, init),
  now,
  beforePost: (origin) => ensureOriginRule(origin).catch((err) => console.warn('Reclaim: Origin rule', err)),
  onSession: (origin, state) => {
    if (signedIn.get(origin) === state) return;
    signedIn.set(origin, state);
    broadcast({ type: 'session', origin, signedIn: state });
    // Signed in again (a page's read, the popup's refresh): a job waiting for it goes on now, and
    // the expiry watch no longer says it is signed out there.
    if (state) {
      void runner.wakeSignedOut(origin);
      void watch.signedInAgain(origin).catch((err) => console.warn('Reclaim: expiry watch status', err));
    }
  },
});

const badge = createBadge({
  db,
  now,
  setText: (text) => browser.action.setBadgeText({ text }),
  setColor: (color) => browser.action.setBadgeBackgroundColor({ color }),
  setTitle: (title) => browser.action.setTitle({ title }),
  expiryDays: async () => (await loadSettings()).renewDays,
});

const cache = new InviteCache({
  db,
  client,
  now,
  settings: loadSettings,
  emit: (event) => {
    broadcast(event);
    badge.update();
  },
});

/** Cache changes from job outcomes, announced together (at most 4 a second). */
const changed = new Map<string, { courses: Set<string>; learners: Set<string> }>();
let changedTimer: ReturnType<typeof setTimeout> | null = null;
function announce(origin: string, courseId: string, learnerId: string): void {
  const entry = changed.get(origin) ?? { courses: new Set(), learners: new Set() };
  if (courseId) entry.courses.add(courseId);
  if (learnerId) entry.learners.add(learnerId);
  changed.set(origin, entry);
  if (changedTimer !== null) return;
  changedTimer = setTimeout(() => {
    changedTimer = null;
    for (const [o, e] of changed) {
      broadcast({
        type: 'invites-changed',
        origin: o,
        courseIds: [...e.courses],
        learnerIds: [...e.learners],
      });
    }
    changed.clear();
    badge.update();
  }, 250);
}

const runner = new JobRunner({
  db,
  client,
  now,
  sleep,
  onView: (view) => {
    broadcast({ type: 'job', view });
    badge.job(view);
    if (isSelfDrivenJob(view.job.state)) void ensureAlarm();
  },
  onItemsFinal: async (origin, items) => {
    await cache.applyOutcomes(origin, items);
    for (const item of items) announce(origin, item.courseId, item.learnerId);
  },
  onJobStopped: (job) => {
    // Bring seats and pending counts back in line with the portal (the courses that changed).
    void cache.refreshAll(job.origin).done.then(() => badge.update());
    void clearAlarmIfIdle();
  },
  learnersOf: (origin, ids) => cache.learnersOf(origin, ids),
});

/** The alarm is known to be set (in this worker's life): job views need not ask again. */
let alarmSet = false;

async function ensureAlarm(): Promise<void> {
  if (alarmSet) return;
  const existing = await browser.alarms.get(JOBS_ALARM);
  if (!existing) await browser.alarms.create(JOBS_ALARM, { periodInMinutes: 0.5 });
  alarmSet = true;
}

async function clearAlarmIfIdle(): Promise<void> {
  if (await runner.hasUnfinished()) return;
  alarmSet = false;
  await browser.alarms.clear(JOBS_ALARM);
}

// ---- the expiry watch ----

const RENEW_ALL = 1;
/** Development builds only: what each notification showed, for tests (the API has no getter). */
const shownNotices = new Map<string, browser.Notifications.CreateNotificationOptions>();

const watch = createExpiryWatch({
  db,
  cache,
  client,
  settings: loadSettings,
  reachable: async () => originsWithAccess((await loadSettings()).origins),
  now,
  notify: async (id, words) => {
    const buttons = notificationButtons();
    const options = {
      type: 'basic',
      iconUrl: browser.runtime.getURL('icons/icon-128.png'),
      title: words.title,
      message: words.message,
      contextMessage: buttons ? words.host : t('noticeClickToReview', words.host),
      ...(buttons ? { buttons: [{ title: t('noticeReview') }, { title: t('noticeRenewAll') }] } : {}),
    } as browser.Notifications.CreateNotificationOptions;
    if (DEV_BUILD) shownNotices.set(id, options);
    await browser.notifications.create(id, options);
  },
  clear: async (id) => void (await browser.notifications.clear(id)),
  startRenew: (req) => runner.startInvites(req),
  openUsage: async (origin, courseId) =>
    void (await browser.tabs.create({ url: `${origin}${pages.usage(courseId)}` })),
  openExpiring: () => openPopupAt('#expiring'),
  openJob: () => openPopupAt(''),
  changed: () => badge.update(),
});

function actOnNotice(id: string, action: NoticeAction) {
  if (!isExpiryNotice(id)) return;
  void watch.act(id, action).catch((err) => console.warn('Reclaim: expiry notification', err));
}

/** The watch's alarm, every `watchHours` (made again when the setting changes). */
async function ensureWatchAlarm(): Promise<void> {
  const periodInMinutes = (await loadSettings()).watchHours * 60;
  const existing = await browser.alarms.get(EXPIRY_WATCH_ALARM);
  if (existing?.periodInMinutes === periodInMinutes) return;
  await browser.alarms.create(EXPIRY_WATCH_ALARM, { periodInMinutes });
}

// ---- which portal extension pages act on ----

let lastOrigin: string | null = null;
let lastSeenAt = 0;

/** A portal tab of `origin` is open and its content script (or page load) was seen. */
function portalSeen(origin: string): void {
  if (origin !== lastOrigin) {
    lastOrigin = origin;
    void db.meta.put({ key: LAST_ORIGIN_KEY, value: origin });
  }
  // The manager may just have signed in again: signed-out jobs of this portal check at once, on
  // every load (the sign-in page's own load must not use up the one after signing in).
  void runner.wakeSignedOut(origin);
  // Anything else left behind by a stopped worker: at most every 2 s.
  if (now() - lastSeenAt > 2000) {
    lastSeenAt = now();
    void runner.wake();
  }
}

/** The origin of the open portal tab the manager used last (the active one first), if any. */
async function openPortalTab(allowed: readonly string[]): Promise<string | null> {
  const tabs = await browser.tabs.query({}).catch(() => [] as browser.Tabs.Tab[]);
  const portalTabs = tabs
    .map((t) => {
      try {
        return { tab: t, origin: t.url ? new URL(t.url).origin : null };
      } catch {
        return { tab: t, origin: null };
      }
    })
    .filter(
      (t): t is { tab: browser.Tabs.Tab; origin: string } => !!t.origin && originAllowed(t.origin, allowed),
    );
  portalTabs.sort(
    (a, b) =>
      Number(b.tab.active) - Number(a.tab.active) || (b.tab.lastAccessed ?? 0) - (a.tab.lastAccessed ?? 0),
  );
  return portalTabs[0]?.origin ?? null;
}

/** The portal extension pages act on: the open portal tab, else the last portal seen, else an added one. */
async function portalOrigin(): Promise<string | null> {
  const settings = await loadSettings();
  const fromTab = await openPortalTab(settings.origins);
  if (fromTab) return fromTab;
  if (!lastOrigin) {
    const row = await db.meta.get(LAST_ORIGIN_KEY);
    if (typeof row?.value === 'string') lastOrigin = row.value;
  }
  if (lastOrigin && originAllowed(lastOrigin, settings.origins)) return lastOrigin;
  return fallbackOrigin(settings.origins);
}

// ---- what is stored, and for how long ----

async function sweepNow(): Promise<void> {
  await sweep(db, await loadSettings(), now()).catch((err) => console.warn('Reclaim: retention', err));
  badge.update();
}

/** Saves settings; a retention made shorter applies at once. */
async function saveAndSweep(patch: Partial<Settings>): Promise<Settings> {
  const saved = await saveSettings(patch);
  if (patch.auditRetentionDays !== undefined || patch.cacheRetentionDays !== undefined) await sweepNow();
  if (patch.watchHours !== undefined) await ensureWatchAlarm();
  if (patch.renewDays !== undefined) badge.update();
  return saved;
}

async function forgetOrigin(origin: string) {
  const result = await forgetPortal(
    {
      db,
      busyOn: (covers) => runner.busyOn(covers),
      removeOrigin,
      settings: loadSettings,
      lastOriginKey: LAST_ORIGIN_KEY,
    },
    origin,
  );
  if (lastOrigin && originAllowed(lastOrigin, [new URL(origin).origin])) lastOrigin = null;
  badge.update();
  return result;
}

// ---- listeners (synchronous, top level) ----

const sites = listenForSites(db);

const route = createRouter({
  ext,
  settings: loadSettings,
  saveSettings: saveAndSweep,
  addOrigin,
  removeOrigin,
  enableSite: sites.askAndEnable,
  forgetOrigin,
  portalOrigin,
  client,
  cache,
  runner,
  portalSeen,
  sleep,
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
  route(message, sender),
);

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== EVENTS_PORT) {
    port.disconnect();
    return;
  }
  port.onDisconnect.addListener(() => ports.delete(port));
  void loadSettings().then((settings) => {
    const caller = classifySender(port.sender ?? {}, ext, settings.origins);
    if (caller.kind === 'stranger') {
      port.disconnect();
      return;
    }
    ports.set(port, caller);
    if (caller.kind === 'content') portalSeen(caller.origin);
  });
});

browser.notifications.onClicked.addListener((id) => actOnNotice(id, 'review'));
browser.notifications.onButtonClicked?.addListener((id, button) =>
  actOnNotice(id, button === RENEW_ALL ? 'renew-all' : 'review'),
);
browser.notifications.onClosed.addListener((id, byUser) => {
  if (byUser && isExpiryNotice(id)) void watch.closed(id);
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RETENTION_ALARM) void sweepNow();
  if (alarm.name === EXPIRY_WATCH_ALARM)
    void watch.run().catch((err) => console.warn('Reclaim: expiry watch', err));
  if (alarm.name !== JOBS_ALARM) return;
  void runner.wake().then(() => clearAlarmIfIdle());
});

browser.tabs.onUpdated.addListener((_tabId, info, tab) => {
  if (info.status !== 'complete' || !tab.url) return;
  let origin: string;
  try {
    origin = new URL(tab.url).origin;
  } catch {
    return;
  }
  void loadSettings().then((s) => {
    if (originAllowed(origin, s.origins)) portalSeen(origin);
  });
});

browser.runtime.onStartup.addListener(() => {
  void ensureOriginsRegistered().catch((e) => console.warn('Reclaim: content scripts', e));
});
browser.runtime.onInstalled.addListener(() => void ensureOriginsRegistered().catch((e) => console.warn(e)));

async function start(): Promise<void> {
  const settings = await loadSettings();
  void sweepNow();
  void browser.alarms.get(RETENTION_ALARM).then(async (alarm) => {
    if (!alarm) await browser.alarms.create(RETENTION_ALARM, { periodInMinutes: 12 * 60 });
  });
  void ensureWatchAlarm().catch((err) => console.warn('Reclaim: expiry watch alarm', err));
  // A portal tab that loaded while this worker was starting is otherwise only seen on its next load.
  void openPortalTab(settings.origins)
    .then((origin) => origin && portalSeen(origin))
    .catch(() => undefined);
  await Promise.allSettled((await originsWithAccess(settings.origins)).map((o) => installOriginRule(o)));
  const woken = await runner.wake();
  if (woken > 0) await ensureAlarm();
  else await clearAlarmIfIdle();
  badge.update();
  await runner.pruneFinished().catch((err) => console.warn('Reclaim: pruning finished jobs', err));
}

/**
 * Development builds only (tests): the expiry watch's work as its alarm would run it, and a
 * click on one of its notifications, as the browser would deliver it. Not in production builds.
 */
if (DEV_BUILD) {
  (globalThis as { __reclaimExpiry?: unknown }).__reclaimExpiry = {
    run: () => watch.run(),
    click: (id: string, action: NoticeAction) => watch.act(id, action),
    shown: (id: string) => shownNotices.get(id) ?? null,
  };
}

void start();
