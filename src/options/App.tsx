/** Reclaim's options: portal origins, then the bulk-revoke settings. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type MessageKey, t } from '../shared/i18n';
import { isBuiltInOrigin } from '../shared/origins';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { EXAMPLE_ORIGIN } from './origin';
import { type SettingsPatch, useOptions } from './store';

/**
 * "Forget this portal", asked once more in place: it removes the portal's cache, revokes, audit
 * entries and, for an added portal, its access, and cannot be undone.
 */
function Forget({ origin }: { origin: string }) {
  const busy = useOptions((s) => s.busy);
  const forget = useOptions((s) => s.forget);
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // The button pressed is replaced: the focus goes to the safe answer.
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        class="rc-btn"
        disabled={busy}
        aria-label={t('optionsForgetLabel', origin)}
        onClick={() => setAsking(true)}
      >
        {t('optionsForgetButton')}
      </button>
    );
  }
  return (
    <span class="row">
      <span>{t('optionsForgetAsk', origin)}</span>
      <button
        type="button"
        class="rc-btn rc-btn-danger"
        disabled={busy}
        onClick={() => void forget(origin).then(() => setAsking(false))}
      >
        {t('optionsForgetConfirm')}
      </button>
      <button type="button" class="rc-btn" ref={keep} onClick={() => setAsking(false)}>
        {t('optionsKeep')}
      </button>
    </span>
  );
}

function Origins() {
  const settings = useOptions((s) => s.settings);
  const granted = useOptions((s) => s.granted);
  const busy = useOptions((s) => s.busy);
  const status = useOptions((s) => s.originStatus);
  const addOrigin = useOptions((s) => s.addOrigin);
  const removeOrigin = useOptions((s) => s.removeOrigin);
  const grantAgain = useOptions((s) => s.grantAgain);
  const [input, setInput] = useState('');

  const onSubmit = (e: Event) => {
    e.preventDefault();
    // The permission prompt needs this user gesture: addOrigin asks before anything else.
    void addOrigin(input).then((added) => {
      if (added) setInput('');
    });
  };

  return (
    <section aria-labelledby="origins-title" class="card stack">
      <h2 id="origins-title">{t('optionsOriginsTitle')}</h2>
      <p class="rc-muted">{t('optionsOriginsIntro')}</p>
      {settings === null ? (
        <p class="rc-muted">{t('optionsLoading')}</p>
      ) : (
        <ul class="origins" aria-label={t('optionsOriginsList')}>
          {settings.origins.map((o) => (
            <li key={o} data-origin={o}>
              <span class="origin">{o}</span>
              {isBuiltInOrigin(o) ? (
                <span class="row">
                  <span class="rc-muted">{t('optionsBuiltIn')}</span>
                  <Forget origin={o} />
                </span>
              ) : (
                <span class="row">
                  <Forget origin={o} />
                  {granted[o] === false && (
                    <button type="button" class="rc-btn" disabled={busy} onClick={() => void grantAgain(o)}>
                      {t('optionsGrantAgain')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="rc-btn rc-btn-danger"
                    disabled={busy}
                    aria-label={t('optionsRemoveLabel', o)}
                    onClick={() => void removeOrigin(o)}
                  >
                    {t('optionsRemove')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="add-origin" onSubmit={onSubmit} noValidate>
        <label for="new-origin">{t('optionsAddLabel')}</label>
        <div class="row">
          <input
            id="new-origin"
            class="rc-input"
            type="url"
            inputMode="url"
            autoComplete="url"
            placeholder={EXAMPLE_ORIGIN}
            value={input}
            aria-describedby="origin-status"
            onInput={(e) => setInput(e.currentTarget.value)}
          />
          <button type="submit" class="rc-btn rc-btn-primary" disabled={busy}>
            {t('optionsAdd')}
          </button>
        </div>
      </form>
      <p
        id="origin-status"
        role="status"
        class={
          status ? (status.kind === 'error' ? 'rc-note rc-note-danger' : 'rc-note rc-note-ok') : undefined
        }
      >
        {status?.text ?? ''}
      </p>
    </section>
  );
}

interface FieldSpec {
  key: Exclude<keyof SettingsPatch, 'showPortalCancel' | 'notifyExpiring'>;
  /** The catalogue's words, looked up when the page is drawn. */
  label: MessageKey;
  /** Says what the setting does; its range ($1 to $2) and default ($3) are filled in. */
  hint: MessageKey;
  min: number;
  max: number;
  /** Shown under Advanced: a setting few managers need to change. */
  advanced?: true;
}

const FIELDS: FieldSpec[] = [
  {
    key: 'undoSeconds',
    label: 'optionsUndoLabel',
    hint: 'optionsUndoHint',
    min: 0,
    max: 30,
  },
  {
    key: 'concurrency',
    label: 'optionsConcurrencyLabel',
    hint: 'optionsConcurrencyHint',
    min: 1,
    max: 16,
    advanced: true,
  },
  {
    key: 'minAgeDays',
    label: 'optionsMinAgeLabel',
    hint: 'optionsMinAgeHint',
    min: 0,
    max: 30,
  },
  {
    key: 'renewDays',
    label: 'optionsRenewDaysLabel',
    hint: 'optionsRenewDaysHint',
    min: 1,
    max: 29,
  },
  {
    key: 'watchHours',
    label: 'optionsWatchLabel',
    hint: 'optionsWatchHint',
    min: 1,
    max: 24,
  },
  {
    key: 'auditRetentionDays',
    label: 'optionsAuditKeepLabel',
    hint: 'optionsAuditKeepHint',
    min: 1,
    max: 3650,
  },
  {
    key: 'cacheRetentionDays',
    label: 'optionsCacheKeepLabel',
    hint: 'optionsCacheKeepHint',
    min: 1,
    max: 365,
  },
  {
    key: 'rereadAfterMinutes',
    label: 'optionsRereadLabel',
    hint: 'optionsRereadHint',
    min: 1,
    max: 1440,
  },
];

/** A setting that is on or off: its tick box, label and hint. */
function Toggle(props: {
  id: 'notifyExpiring' | 'showPortalCancel';
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
  hint: string;
}) {
  const id = `setting-${props.id}`;
  return (
    <div class="field">
      <label>
        <input
          id={id}
          type="checkbox"
          checked={props.checked}
          aria-describedby={`${id}-hint`}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />{' '}
        {props.label}
      </label>
      <p id={`${id}-hint`} class="rc-muted hint">
        {props.hint}
      </p>
    </div>
  );
}

function SettingsForm() {
  const settings = useOptions((s) => s.settings);
  const save = useOptions((s) => s.save);
  const status = useOptions((s) => s.saveStatus);
  const [values, setValues] = useState<Record<string, string>>({});
  const [portalCancel, setPortalCancel] = useState(false);
  const [notify, setNotify] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Fields the manager changed since the last save: stored values arriving later (a save's
  // answer, another tab's change) never overwrite them.
  const edited = useRef(new Set<string>());

  // Show the stored values, except in fields the manager is editing.
  useEffect(() => {
    if (!settings) return;
    const mine = edited.current;
    setValues((shown) =>
      Object.fromEntries(
        FIELDS.map((f) => [f.key, mine.has(f.key) ? (shown[f.key] ?? '') : String(settings[f.key])]),
      ),
    );
    if (!mine.has('showPortalCancel')) setPortalCancel(settings.showPortalCancel);
    if (!mine.has('notifyExpiring')) setNotify(settings.notifyExpiring);
  }, [settings]);

  const field = (f: FieldSpec) => (
    <div key={f.key} class="field">
      <label for={`setting-${f.key}`}>{t(f.label)}</label>
      <input
        id={`setting-${f.key}`}
        class="rc-input"
        type="number"
        min={f.min}
        max={f.max}
        step={1}
        value={values[f.key] ?? ''}
        aria-describedby={`setting-${f.key}-hint`}
        onInput={(e) => {
          edited.current.add(f.key);
          setValues({ ...values, [f.key]: e.currentTarget.value });
        }}
      />
      <p id={`setting-${f.key}-hint`} class="rc-muted hint">
        {t(f.hint, f.min, f.max, DEFAULT_SETTINGS[f.key])}
      </p>
    </div>
  );

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const patch: SettingsPatch = { showPortalCancel: portalCancel, notifyExpiring: notify };
    for (const f of FIELDS) {
      const n = Number(values[f.key]);
      if (!Number.isInteger(n) || n < f.min || n > f.max) {
        setError(t('optionsFieldRange', t(f.label), f.min, f.max));
        document.getElementById(`setting-${f.key}`)?.focus();
        return;
      }
      patch[f.key] = n;
    }
    setError(null);
    edited.current.clear();
    void save(patch);
  };

  return (
    <section aria-labelledby="settings-title" class="card stack">
      <h2 id="settings-title">{t('optionsSettingsTitle')}</h2>
      <form class="stack" onSubmit={onSubmit} noValidate>
        {FIELDS.filter((f) => !f.advanced).map(field)}
        <Toggle
          id="notifyExpiring"
          checked={notify}
          onChange={(on) => {
            edited.current.add('notifyExpiring');
            setNotify(on);
          }}
          label={t('optionsNotifyLabel')}
          hint={t('optionsNotifyHint')}
        />
        <Toggle
          id="showPortalCancel"
          checked={portalCancel}
          onChange={(on) => {
            edited.current.add('showPortalCancel');
            setPortalCancel(on);
          }}
          label={t('optionsPortalCancelLabel')}
          hint={t('optionsPortalCancelHint')}
        />
        <fieldset class="advanced stack" aria-describedby="advanced-why">
          <legend>{t('optionsAdvanced')}</legend>
          <p id="advanced-why" class="rc-muted hint">
            {t('optionsAdvancedWhy')}
          </p>
          {FIELDS.filter((f) => f.advanced).map(field)}
        </fieldset>
        <div class="row">
          <button type="submit" class="rc-btn rc-btn-primary" disabled={!settings}>
            {t('optionsSave')}
          </button>
        </div>
      </form>
      <p
        role="status"
        class={
          error || status?.kind === 'error'
            ? 'rc-note rc-note-danger'
            : status
              ? 'rc-note rc-note-ok'
              : undefined
        }
      >
        {error ?? status?.text ?? ''}
      </p>
    </section>
  );
}

export function App() {
  const loadError = useOptions((s) => s.loadError);
  return (
    <>
      <header class="top">
        <h1>{t('optionsTitle')}</h1>
      </header>
      <main class="stack">
        {loadError && (
          <p class="rc-note rc-note-danger" role="alert">
            {loadError}
          </p>
        )}
        <Origins />
        <SettingsForm />
      </main>
    </>
  );
}
