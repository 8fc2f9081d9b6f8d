/**
 * "Use Reclaim on <host>": on an https site Reclaim does not work on yet, a small offer above the
 * popup's views. One click asks the browser for that site's access and enables Reclaim there (the
 * background's site-enabler.ts, through the options page's own addOrigin). Nothing is shown where
 * Reclaim works already, on the browser's own pages or on plain http sites (shared/sites.ts
 * decides). It also says what the toolbar button's "Enable Reclaim on this site" did last, for a
 * couple of minutes (the menu opens the popup to say it).
 */
import { useEffect, useState } from 'preact/hooks';
import { type MessageKey, t } from '../shared/i18n';
import type { Reply } from '../shared/messages';
import { type SiteMenuResult, type TabSite, tabSite } from '../shared/sites';
import type { SiteAccess } from './site-access';

/** An outcome as the popup words it: a menu result without its time, or this popup's own click's. */
type Outcome = SiteMenuResult extends infer R ? (R extends unknown ? Omit<R, 'at'> : never) : never;
type Status = Outcome | { outcome: 'asking'; host: string };

/** Why a tab's site cannot have Reclaim, as the catalogue's key for it. */
const UNSUITABLE: Record<Extract<Outcome, { outcome: 'unsuitable' }>['why'], MessageKey> = {
  'no-address': 'siteNoAddress',
  'not-web': 'siteNotWeb',
  'not-https': 'siteNotHttps',
};

/** How long the popup says what the toolbar menu item did. */
const MENU_RESULT_SHOWN_MS = 2 * 60_000;

function say(status: Status): string {
  switch (status.outcome) {
    case 'asking':
      return t('siteAsking', status.host);
    case 'on':
      if (status.wasOn) return t('siteWasOn', status.host);
      return t(status.injected ? 'siteOnHere' : 'siteOnThere', status.host);
    case 'not-granted':
      return t('siteNotGranted', status.host);
    case 'failed':
      return t('siteFailed', status.host, status.message);
    case 'unsuitable':
      return t(UNSUITABLE[status.why]);
  }
}

const noteClass = (status: Status): string =>
  status.outcome === 'on'
    ? 'rc-note rc-note-ok'
    : status.outcome === 'asking'
      ? 'rc-note'
      : status.outcome === 'unsuitable'
        ? 'rc-note rc-note-warn'
        : 'rc-note rc-note-danger';

/** The popup's tab as Reclaim sees it: its id and what its site is to Reclaim. */
async function readTab(api: SiteAccess): Promise<{ id: number | null; site: TabSite }> {
  const { id, url } = await api.activeTab();
  const allowed = await api.allowedOrigins();
  const first = tabSite(url, allowed, false);
  const access = first.kind === 'unsuitable' ? false : await api.hasAccess(first.origin);
  return { id, site: tabSite(url, allowed, access) };
}

/** After the browser answered: enabled by the background (from this click's ask, or now). */
async function settle(
  api: SiteAccess,
  site: { origin: string; host: string; tabId: number | undefined },
  asked: Promise<Reply<'origins.enable'>>,
  granted: Promise<boolean>,
): Promise<Outcome> {
  const { origin, host, tabId } = site;
  try {
    if (!(await granted)) return { outcome: 'not-granted', host };
    const first = await asked;
    const reply =
      first.ok && first.value.on ? first : await api.send({ type: 'origins.enable', origin, tabId });
    if (!reply.ok) return { outcome: 'failed', host, message: reply.error.message };
    if (!reply.value.on) return { outcome: 'not-granted', host };
    // The offer was made because Reclaim did not work there: the click is what enabled it.
    return { outcome: 'on', host, wasOn: false, injected: reply.value.injected };
  } catch (err) {
    return { outcome: 'failed', host, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The browser side, loaded after the first render; none outside an extension page (a plain DOM). */
const loadSiteAccess = async (): Promise<SiteAccess | null> =>
  typeof chrome === 'object' && chrome.runtime?.id ? (await import('./site-access')).siteAccess : null;

export function EnableSite({
  load = loadSiteAccess,
  now = Date.now,
}: {
  load?: () => Promise<SiteAccess | null>;
  now?: () => number;
}) {
  const [api, setApi] = useState<SiteAccess | null>(null);
  const [tab, setTab] = useState<{ id: number | null; site: TabSite } | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [menuResult, setMenuResult] = useState<SiteMenuResult | null>(null);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void load()
      .then(async (loaded) => {
        if (gone || !loaded) return;
        setApi(loaded);
        stop = loaded.watchMenuResult(setMenuResult);
        const read = await readTab(loaded);
        if (!gone) setTab(read);
      })
      .catch((err) => console.warn('Reclaim: reading the tab’s site', err));
    return () => {
      gone = true;
      stop?.();
    };
  }, [load]);

  const onClick = () => {
    if (!api || tab?.site.kind !== 'offer') return;
    const site = { origin: tab.site.origin, host: tab.site.host, tabId: tab.id ?? undefined };
    // Both before anything is awaited: the request needs this click's user gesture, and in
    // Firefox the popup closes when the browser's prompt opens, so the background hears first.
    const asked = api.send({ type: 'origins.enable', origin: site.origin, tabId: site.tabId });
    let granted: Promise<boolean>;
    try {
      granted = api.request(site.origin);
    } catch (err) {
      granted = Promise.reject(err);
    }
    setStatus({ outcome: 'asking', host: site.host });
    void settle(api, site, asked, granted).then(async (outcome) => {
      setStatus(outcome);
      if (outcome.outcome === 'on') setTab(await readTab(api));
    });
  };

  const menuNote =
    menuResult && now() - menuResult.at < MENU_RESULT_SHOWN_MS ? (
      <section class={`${noteClass(menuResult)} stack`} aria-labelledby="site-menu-title">
        <h2 id="site-menu-title">{t('siteMenu')}</h2>
        <p>{say(menuResult)}</p>
      </section>
    ) : null;

  const offer = tab?.site.kind === 'offer' ? tab.site : null;
  // Always rendered: `data-site` says what the tab's site is to Reclaim ('reading' until known).
  // The click's outcome goes to a live region that is on screen with the offer, before it speaks.
  return (
    <div
      class="stack"
      style={menuNote || offer || status ? { marginBottom: '10px' } : undefined}
      data-testid="enable-site"
      data-site={tab?.site.kind ?? 'reading'}
    >
      {menuNote}
      {(offer || status) && (
        <section class={`${status ? noteClass(status) : 'rc-note'} stack`} aria-label={t('siteMenu')}>
          {offer && (
            <>
              <h2>{t('siteNotYet', offer.host)}</h2>
              <p class="rc-muted">{t('siteHint')}</p>
              <p>
                <button
                  type="button"
                  class="rc-btn rc-btn-primary"
                  disabled={status?.outcome === 'asking'}
                  onClick={onClick}
                >
                  {t('siteUse', offer.host)}
                </button>
              </p>
            </>
          )}
          <p role="status">{status ? say(status) : ''}</p>
        </section>
      )}
    </div>
  );
}
