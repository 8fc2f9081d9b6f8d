/**
 * The popup's header line: how old what it shows is (selectors.ts `shownAge`), whether it is
 * being refreshed, and why the last refresh failed, e.g. "Updated 3 h ago · couldn't refresh:
 * the portal had an error". A failure never reads as fresh, and nothing known reads as unknown.
 */
import { rereadAfterMs } from '../shared/freshness';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { useApp } from './context';
import { ago, plural } from './format';
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
    if (refreshing) return 'Reading your courses from the portal…';
    return failure ?? 'Nothing read from the portal yet.';
  }
  const updated = `Updated ${ago(age.at, now)}`;
  if (refreshing) return age.stale ? `${updated} — refreshing…` : `${updated}, checking for changes…`;
  const unread = age.unread > 0 ? ` · ${plural(age.unread, 'course', 'courses')} not read yet` : '';
  if (failure) return `${updated} · ${lowerFirst(failure)}${unread}`;
  return `${updated}${age.stale ? ' — stale' : ''}${unread}`;
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
          Try again
        </button>
      ) : (
        <button
          type="button"
          class="rc-btn rc-btn-quiet"
          disabled={refreshing}
          title="Read every course from the portal again, changed or not"
          onClick={() => void refresh(true)}
        >
          Refresh all
        </button>
      )}
    </div>
  );
}
