/**
 * The popup's Expiring soon view: its live rows (the portal's pending invites expiring within
 * the expiry window, shared/expiring.ts), the ticks, and its Renew, Reassign and Revoke, each a
 * job started like any other (job-actions.ts `launch`), so it opens in its Undo window. Also the
 * expiry watch's last outcome on the portal, for the popup's note.
 */
import type { StoreApi } from 'zustand/vanilla';
import { t } from '../shared/i18n';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { doingWords } from '../shared/ui/job-words';
import type { StartRequest } from './job-actions';
import { isActive } from './selectors';
import type { PopupActions, PopupDeps, PopupState } from './state';

type Api = StoreApi<PopupState & PopupActions>;
type Launch = (request: StartRequest, doing: string) => Promise<string | null>;

/** The invites ticked in the view that are still among its rows, soonest first. */
export const pickedRows = (s: Pick<PopupState, 'expiring' | 'picked'>) =>
  (s.expiring ?? []).filter((i) => s.picked[i.id]);

export function expiringActions(deps: PopupDeps, set: Api['setState'], get: Api['getState'], launch: Launch) {
  let stopRows: (() => void) | null = null;
  let rowsKey = '';
  let stopStatus: (() => void) | null = null;
  let statusOrigin = '';

  const rowsOf = (ids: string[]) => (get().expiring ?? []).filter((i) => ids.includes(i.id));

  /** Starts a job of the view; once started, its ticks are cleared. */
  const start = async (request: StartRequest, doing: string) => {
    const error = await launch(request, doing);
    if (error) set({ jobError: error });
    else set({ picked: {} });
  };

  /**
   * Keeps the watches in step with the state: the rows while the view is open and no job is
   * active (counted again each tick, with the portal's clock), the watch status while the portal
   * is known. `on` false closes both (the popup is closing).
   */
  const sync = (on: boolean) => {
    const s = get();
    const origin = s.overview?.origin ?? null;
    const withinDays = s.settings?.renewDays ?? null;
    const wantRows = on && s.expiringOpen && origin !== null && withinDays !== null && !isActive(s.job);
    const key = wantRows ? `${origin}|${withinDays}|${s.tick}` : '';
    if (key !== rowsKey || (wantRows && !stopRows)) {
      rowsKey = key;
      stopRows?.();
      stopRows = null;
      if (wantRows && origin !== null && withinDays !== null) {
        stopRows = deps.watchExpiring(
          { now: s.portalNow(), origin, withinDays },
          (expiring) => set({ expiring, expiringError: null }),
          (err) => set({ expiringError: t('expiringCacheError', String(err)) }),
        );
      }
    }
    const wantStatus = on && origin !== null ? origin : '';
    if (wantStatus !== statusOrigin) {
      statusOrigin = wantStatus;
      stopStatus?.();
      stopStatus = null;
      set({ watchStatus: null });
      if (wantStatus) {
        stopStatus = deps.watchWatchStatus(
          wantStatus,
          (watchStatus) => set({ watchStatus }),
          () => set({ watchStatus: null }),
        );
      }
    }
  };

  const actions = {
    openExpiring() {
      set({ expiringOpen: true, inviting: null, jobError: null, notice: null });
    },
    closeExpiring() {
      set({ expiringOpen: false, picked: {}, jobError: null });
    },
    togglePicked(inviteId: string, ticked: boolean) {
      const picked = { ...get().picked };
      if (ticked) picked[inviteId] = true;
      else delete picked[inviteId];
      set({ picked });
    },
    setAllPicked(ticked: boolean) {
      const picked: Record<string, true> = {};
      if (ticked) for (const i of get().expiring ?? []) picked[i.id] = true;
      set({ picked });
    },
    async renewInvites(inviteIds: string[]) {
      const invites = rowsOf(inviteIds).map((i) => ({ courseId: i.courseId, inviteId: i.id }));
      if (invites.length === 0) return;
      await start(
        { type: 'invite.start', work: { kind: 'renew', invites } },
        doingWords('renew', invites.length),
      );
    },
    async revokeInvites(inviteIds: string[]) {
      const rows = rowsOf(inviteIds);
      if (rows.length === 0) return;
      // In the words the job will have once written (shared/ui/job-words.ts names no courses for invites).
      await start(
        { type: 'job.start', scope: { kind: 'invites', inviteIds: rows.map((i) => i.id) } },
        doingWords(undefined, rows.length),
      );
    },
    async reassignInvite(inviteId: string, email: string) {
      const row = rowsOf([inviteId])[0];
      if (!row) return;
      await start(
        {
          type: 'invite.start',
          work: { kind: 'reassign', pairs: [{ courseId: row.courseId, inviteId, email }] },
        },
        doingWords('reassign', 1),
      );
    },
    async suggestLearners(q: string) {
      const query = q.trim().slice(0, 100);
      if (query.length < 2) return [];
      const reply = await deps.send({ type: 'learners.suggest', q: query });
      return reply.ok ? reply.value.learners : [];
    },
  } satisfies Partial<PopupActions>;

  return { actions, sync };
}

/** The expiry window the view uses, as the settings say once read. */
export const expiryWindowOf = (s: Pick<PopupState, 'settings'>): number =>
  s.settings?.renewDays ?? DEFAULT_SETTINGS.renewDays;
