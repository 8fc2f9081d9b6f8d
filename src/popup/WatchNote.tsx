/**
 * One line on what the expiry watch (background/expiry-watch.ts) last did on the popup's portal:
 * signed out (so it is not checking), its last check failed and why, or when it last checked.
 */
import { t } from '../shared/i18n';
import type { WatchStatus } from '../shared/watch-status';
import { useApp } from './context';
import { ago } from './format';

const hostOf = (origin: string): string => {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
};

/** The note's words (pure); null when the watch never ran on the portal. */
export function watchWords(status: WatchStatus | null, now: number): string | null {
  if (!status) return null;
  const host = hostOf(status.origin);
  if (status.outcome === 'signed-out') return t('popupWatchSignedOut', host);
  if (status.outcome === 'failed')
    return t('popupWatchFailed', host, ago(status.at, now), status.message ?? t('popupWatchNoReason'));
  return t('popupWatchChecked', ago(status.at, now));
}

export function WatchNote() {
  const status = useApp((s) => s.watchStatus);
  const now = useApp((s) => s.now)();
  useApp((s) => s.tick);
  const words = watchWords(status, now);
  if (!words) return null;
  const warn = status?.outcome !== 'read';
  return (
    <p class={warn ? 'rc-note rc-note-warn watch-note' : 'rc-muted watch-note'} data-testid="watch-note">
      {words}
    </p>
  );
}
