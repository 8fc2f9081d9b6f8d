/**
 * The popup's header line: how old what it shows is (selectors.ts `shownAge`), whether it is
 * being refreshed, and why the last refresh failed, e.g. "Updated 3 h ago · couldn't refresh:
 * the portal had an error". A failure never reads as fresh, and nothing known reads as unknown.
 */
import { rereadAfterMs } from '../shared/freshness';
import { t, tn } from '../shared/i18n';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { useApp } from './context';
import { ago } from './format';
import { type ShownAge, shownAge } from './selectors';

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** The header's words (pure). `age` is null when no course list was ever read. */
export function freshnessLine(
  age: ShownAge | null,
  now: number,
  refreshing: boolean,
  failure: string | null,
): string {
  if (!age || age.at === null) {
    if (refreshing) return t('popupReadingCourses');
    return failure ?? t('popupNothingRead');
  }
  const when = ago(age.at, now);
  if (refreshing) return t(age.stale ? 'popupFreshRefreshing' : 'popupFreshChecking', when);
  // Separate facts, each a phrase of its own, one after the other.
  const parts = failure
    ? [t('popupFreshUpdated', when), lowerFirst(failure)]
    : [t(age.stale ? 'popupFreshStale' : 'popupFreshUpdated', when)];
  if (age.unread > 0) parts.push(tn('popupFreshUnread', age.unread));
  return parts.join(' · ');
}

export function Freshness() {
  const overview = useApp((s) => s.overview);
  const refreshing = useApp((s) => s.refreshing);
  const refreshError = useApp((s) => s.refreshError);
  const refresh = useApp((s) => s.refresh);
  const minutes = useApp((s) => s.settings?.rereadAfterMinutes ?? DEFAULT_SETTINGS.rereadAfterMinutes);
  const now = useApp((s) => s.now)();
  useApp((s) => s.tick);
  const age = overview ? shownAge(overview, now, rereadAfterMs(minutes)) : null;
  return (
    <div class="freshness">
      <p class={refreshError ? 'failed' : 'rc-muted'} role="status" data-testid="freshness">
        {freshnessLine(age, now, refreshing, refreshError)}
      </p>
      {refreshError ? (
        <button
          type="button"
          class="rc-btn rc-btn-quiet"
          disabled={refreshing}
          onClick={() => void refresh()}
        >
          {t('popupTryAgain')}
        </button>
      ) : (
        <button
          type="button"
          class="rc-btn rc-btn-quiet"
          disabled={refreshing}
          title={t('popupRefreshAllTitle')}
          onClick={() => void refresh(true)}
        >
          {t('popupRefreshAll')}
        </button>
      )}
    </div>
  );
}
