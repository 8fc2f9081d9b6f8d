/**
 * The options page's state (zustand): portal origins and settings. Reads the settings row from
 * Dexie; every change goes through the background (origins.add/remove, settings.set).
 */
import { createContext } from 'preact';
import { useContext, useSyncExternalStore } from 'preact/compat';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { t, tn } from '../shared/i18n';
import { isBuiltInOrigin } from '../shared/origins';
import type { Send } from '../shared/send';
import type { Settings } from '../shared/types';
import { parseOrigin } from './origin';

export interface OptionsDeps {
  send: Send;
  watchSettings(onValue: (settings: Settings) => void, onError: (err: unknown) => void): () => void;
  /** browser.permissions.request for `${origin}/*`; must be called inside the click. */
  requestPermission(origin: string): Promise<boolean>;
  hasPermission(origin: string): Promise<boolean>;
}

export type SettingsPatch = Partial<
  Pick<
    Settings,
    | 'undoSeconds'
    | 'concurrency'
    | 'minAgeDays'
    | 'renewDays'
    | 'notifyExpiring'
    | 'watchHours'
    | 'auditRetentionDays'
    | 'cacheRetentionDays'
    | 'rereadAfterMinutes'
    | 'showPortalCancel'
  >
>;

interface OptionsState {
  settings: Settings | null;
  /** Host permission per added origin (built-in ones are always granted). */
  granted: Record<string, boolean>;
  busy: boolean;
  /** Result of the last add/remove, for the live region. */
  originStatus: { kind: 'ok' | 'error'; text: string } | null;
  saveStatus: { kind: 'ok' | 'error'; text: string } | null;
  loadError: string | null;
}

interface OptionsActions {
  init(signal: AbortSignal): void;
  addOrigin(input: string): Promise<boolean>;
  grantAgain(origin: string): Promise<void>;
  removeOrigin(origin: string): Promise<void>;
  /** Everything Reclaim stored for the portal goes (and an added origin's access with it). */
  forget(origin: string): Promise<void>;
  save(patch: SettingsPatch): Promise<void>;
}

type OptionsStore = StoreApi<OptionsState & OptionsActions>;

/** The background's words for what failed (its own helpers translate them), or ours when it gave none. */
const messageOf = (error: { message: string }): string => error.message || t('optionsSomethingWrong');

export function createOptionsStore(deps: OptionsDeps): OptionsStore {
  return createStore<OptionsState & OptionsActions>()((set, get) => {
    const checkPermissions = async (settings: Settings) => {
      const granted: Record<string, boolean> = {};
      await Promise.all(
        settings.origins.map(async (o) => {
          granted[o] = isBuiltInOrigin(o) ? true : await deps.hasPermission(o).catch(() => false);
        }),
      );
      set({ granted });
    };

    /** Asks for the permission (first, while the click still counts as a user gesture), then tells the background. */
    const grantAndAdd = async (origin: string): Promise<boolean> => {
      let ok: boolean;
      try {
        ok = await deps.requestPermission(origin);
      } catch (err) {
        set({
          originStatus: { kind: 'error', text: t('optionsAskFailed', origin, String(err)) },
        });
        return false;
      }
      if (!ok) {
        set({
          originStatus: {
            kind: 'error',
            text: t('optionsNotGranted', origin),
          },
        });
        return false;
      }
      set({ busy: true });
      const reply = await deps.send({ type: 'origins.add', origin });
      set({ busy: false });
      if (!reply.ok) {
        set({ originStatus: { kind: 'error', text: t('optionsAddFailed', origin, messageOf(reply.error)) } });
        return false;
      }
      set({ settings: reply.value, originStatus: { kind: 'ok', text: t('optionsAdded', origin) } });
      void checkPermissions(reply.value);
      return true;
    };

    return {
      settings: null,
      granted: {},
      busy: false,
      originStatus: null,
      saveStatus: null,
      loadError: null,

      init(signal) {
        const stop = deps.watchSettings(
          (settings) => {
            set({ settings, loadError: null });
            void checkPermissions(settings);
          },
          (err) => set({ loadError: t('optionsLoadFailed', String(err)) }),
        );
        signal.addEventListener('abort', stop, { once: true });
      },

      addOrigin(input) {
        const check = parseOrigin(input);
        if (!check.ok) {
          set({ originStatus: { kind: 'error', text: check.error } });
          return Promise.resolve(false);
        }
        if (get().settings?.origins.includes(check.origin) && get().granted[check.origin]) {
          set({ originStatus: { kind: 'error', text: t('optionsAlreadyListed', check.origin) } });
          return Promise.resolve(false);
        }
        return grantAndAdd(check.origin);
      },

      async grantAgain(origin) {
        await grantAndAdd(origin);
      },

      async removeOrigin(origin) {
        set({ busy: true });
        const reply = await deps.send({ type: 'origins.remove', origin });
        set({ busy: false });
        if (!reply.ok) {
          set({
            originStatus: { kind: 'error', text: t('optionsRemoveFailed', origin, messageOf(reply.error)) },
          });
          return;
        }
        set({ settings: reply.value, originStatus: { kind: 'ok', text: t('optionsRemoved', origin) } });
        void checkPermissions(reply.value);
      },

      async forget(origin) {
        set({ busy: true });
        const reply = await deps.send({ type: 'origins.forget', origin });
        set({ busy: false });
        if (!reply.ok) {
          set({
            originStatus: { kind: 'error', text: t('optionsForgetFailed', origin, messageOf(reply.error)) },
          });
          return;
        }
        const f = reply.value.forgotten;
        set({
          settings: reply.value.settings,
          originStatus: {
            kind: 'ok',
            text: t(
              'optionsForgot',
              origin,
              tn('optionsForgotInvites', f.invites),
              tn('optionsForgotCourses', f.courses),
              tn('optionsForgotRevokes', f.jobs),
              tn('optionsForgotAudit', f.audit),
            ),
          },
        });
        void checkPermissions(reply.value.settings);
      },

      async save(patch) {
        set({ saveStatus: null });
        const reply = await deps.send({ type: 'settings.set', settings: patch });
        if (!reply.ok) {
          set({ saveStatus: { kind: 'error', text: t('optionsNotSaved', messageOf(reply.error)) } });
          return;
        }
        set({ settings: reply.value, saveStatus: { kind: 'ok', text: t('optionsSaved') } });
      },
    };
  });
}

export const OptionsContext = createContext<OptionsStore | null>(null);

export function useOptions<T>(select: (state: OptionsState & OptionsActions) => T): T {
  const store = useContext(OptionsContext);
  if (!store) throw new Error('useOptions outside OptionsContext');
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
