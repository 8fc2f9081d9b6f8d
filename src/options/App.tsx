/** Reclaim's options: portal origins, then the bulk-revoke settings. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { isBuiltInOrigin } from '../shared/origins';
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
        aria-label={`Forget ${origin}`}
        onClick={() => setAsking(true)}
      >
        Forget…
      </button>
    );
  }
  return (
    <span class="row">
      <span>Remove everything Reclaim stored for {origin}, audit log included?</span>
      <button
        type="button"
        class="rc-btn rc-btn-danger"
        disabled={busy}
        onClick={() => void forget(origin).then(() => setAsking(false))}
      >
        Forget this portal
      </button>
      <button type="button" class="rc-btn" ref={keep} onClick={() => setAsking(false)}>
        Keep
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
      <h2 id="origins-title">Portal addresses</h2>
      <p class="rc-muted">
        Reclaim works only on these sites. The reference portal on this computer is built in; add your
        training portal’s address (any https site, including your organisation’s own domain). Reclaim asks
        your browser for access to that site when you add it, and gives the access back when you remove it.
      </p>
      {settings === null ? (
        <p class="rc-muted">Loading…</p>
      ) : (
        <ul class="origins" aria-label="Allowed portal addresses">
          {settings.origins.map((o) => (
            <li key={o} data-origin={o}>
              <span class="origin">{o}</span>
              {isBuiltInOrigin(o) ? (
                <span class="row">
                  <span class="rc-muted">built in</span>
                  <Forget origin={o} />
                </span>
              ) : (
                <span class="row">
                  <Forget origin={o} />
                  {granted[o] === false && (
                    <button type="button" class="rc-btn" disabled={busy} onClick={() => void grantAgain(o)}>
                      Grant access again
                    </button>
                  )}
                  <button
                    type="button"
                    class="rc-btn rc-btn-danger"
                    disabled={busy}
                    aria-label={`Remove ${o}`}
                    onClick={() => void removeOrigin(o)}
                  >
                    Remove
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="add-origin" onSubmit={onSubmit} noValidate>
        <label for="new-origin">Add a portal address</label>
        <div class="row">
          <input
            id="new-origin"
            class="rc-input"
            type="url"
            inputMode="url"
            autoComplete="url"
            placeholder="https://learn.example.com"
            value={input}
            aria-describedby="origin-status"
            onInput={(e) => setInput(e.currentTarget.value)}
          />
          <button type="submit" class="rc-btn rc-btn-primary" disabled={busy}>
            Add
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
  label: string;
  hint: string;
  min: number;
  max: number;
  /** Shown under Advanced: a setting few managers need to change. */
  advanced?: true;
}

const FIELDS: FieldSpec[] = [
  {
    key: 'undoSeconds',
    label: 'Undo delay (seconds)',
    hint: 'How long you have to undo a revoke before anything is sent (0 to 30).',
    min: 0,
    max: 30,
  },
  {
    key: 'concurrency',
    label: 'Requests at once',
    hint: 'The most requests Reclaim sends to the portal at the same time, to cancel or send invites and to read courses (1 to 16; 6 unless your portal’s administrator asks for fewer).',
    min: 1,
    max: 16,
    advanced: true,
  },
  {
    key: 'minAgeDays',
    label: 'Age filter default (days)',
    hint: 'The popup’s “only invites sent more than N days ago” filter; 0 turns it off (0 to 30).',
    min: 0,
    max: 30,
  },
  {
    key: 'renewDays',
    label: 'Expiry window (days)',
    hint: 'Pending invites that expire within this many days count as expiring: “Renew expiring (N)” renews them, and the popup’s Expiring soon view, the toolbar badge and the expiry notifications show them (1 to 29).',
    min: 1,
    max: 29,
  },
  {
    key: 'watchHours',
    label: 'Check each portal for expiring invites every N hours',
    hint: 'While you are signed in to a portal, Reclaim reads it this often to find invites about to expire; it only reads, never sends (1 to 24).',
    min: 1,
    max: 24,
  },
  {
    key: 'auditRetentionDays',
    label: 'Keep the audit log (days)',
    hint: 'Audit entries and finished revokes older than this are deleted (1 to 3650).',
    min: 1,
    max: 3650,
  },
  {
    key: 'cacheRetentionDays',
    label: 'Keep cached invites (days)',
    hint: 'Courses and invites read from the portal are deleted when not read again for this long (1 to 365).',
    min: 1,
    max: 365,
  },
  {
    key: 'rereadAfterMinutes',
    label: 'Read unchanged courses again after (minutes)',
    hint: 'A refresh reads only the courses whose counts changed, and any course last read longer ago than this (1 to 1440).',
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

  // Show the stored values until the manager edits a field.
  useEffect(() => {
    if (settings) {
      setValues(Object.fromEntries(FIELDS.map((f) => [f.key, String(settings[f.key])])));
      setPortalCancel(settings.showPortalCancel);
      setNotify(settings.notifyExpiring);
    }
  }, [settings]);

  const field = (f: FieldSpec) => (
    <div key={f.key} class="field">
      <label for={`setting-${f.key}`}>{f.label}</label>
      <input
        id={`setting-${f.key}`}
        class="rc-input"
        type="number"
        min={f.min}
        max={f.max}
        step={1}
        value={values[f.key] ?? ''}
        aria-describedby={`setting-${f.key}-hint`}
        onInput={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })}
      />
      <p id={`setting-${f.key}-hint`} class="rc-muted hint">
        {f.hint}
      </p>
    </div>
  );

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const patch: SettingsPatch = { showPortalCancel: portalCancel, notifyExpiring: notify };
    for (const f of FIELDS) {
      const n = Number(values[f.key]);
      if (!Number.isInteger(n) || n < f.min || n > f.max) {
        setError(`${f.label}: a whole number from ${f.min} to ${f.max}.`);
        document.getElementById(`setting-${f.key}`)?.focus();
        return;
      }
      patch[f.key] = n;
    }
    setError(null);
    void save(patch);
  };

  return (
    <section aria-labelledby="settings-title" class="card stack">
      <h2 id="settings-title">Revoke and renew</h2>
      <form class="stack" onSubmit={onSubmit} noValidate>
        {FIELDS.filter((f) => !f.advanced).map(field)}
        <Toggle
          id="notifyExpiring"
          checked={notify}
          onChange={setNotify}
          label="Tell me by a notification when invites are about to expire"
          hint="Once per portal for invites newly within the expiry window, with Review and Renew all. Never the same invites twice."
        />
        <Toggle
          id="showPortalCancel"
          checked={portalCancel}
          onChange={setPortalCancel}
          label="Show the portal's own Cancel buttons"
          hint="On the portal's tables, Reclaim's Revoke stands in for the portal's Cancel on each pending row. Tick this to see both."
        />
        <fieldset class="advanced stack" aria-describedby="advanced-why">
          <legend>Advanced</legend>
          <p id="advanced-why" class="rc-muted hint">
            How hard Reclaim works your portal. A busy or rate-limited portal may answer better to fewer
            requests at once; Reclaim already slows down by itself when the portal asks it to.
          </p>
          {FIELDS.filter((f) => f.advanced).map(field)}
        </fieldset>
        <div class="row">
          <button type="submit" class="rc-btn rc-btn-primary" disabled={!settings}>
            Save settings
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
        <h1>Reclaim options</h1>
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
