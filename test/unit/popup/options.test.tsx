import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/options/App';
import { parseOrigin } from '../../../src/options/origin';
import { createOptionsStore, OptionsContext, type OptionsDeps } from '../../../src/options/store';
import type { Request } from '../../../src/shared/messages';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { Settings } from '../../../src/shared/types';
import { installI18n } from '../../i18n';

describe('portal address check', () => {
  it('accepts https origins, white-label domains and ports, and normalises them', () => {
    expect(parseOrigin('https://learn.example.com')).toEqual({
      ok: true,
      origin: 'https://learn.example.com',
    });
    expect(parseOrigin('  https://Training.ACME-Corp.co.uk/ ')).toEqual({
      ok: true,
      origin: 'https://training.acme-corp.co.uk',
    });
    expect(parseOrigin('learn.example.com')).toEqual({ ok: true, origin: 'https://learn.example.com' });
    expect(parseOrigin('https://learn.example.com:8443')).toEqual({
      ok: true,
      origin: 'https://learn.example.com:8443',
    });
    expect(parseOrigin('https://learn.example.com:443')).toEqual({
      ok: true,
      origin: 'https://learn.example.com',
    });
  });

  it('refuses anything but a bare https origin', () => {
    for (const bad of [
      '',
      'http://learn.example.com',
      'ftp://learn.example.com',
      'https://learn.example.com/manager',
      'https://learn.example.com?x=1',
      'https://learn.example.com/#top',
      'https://*.example.com',
      'https://user:pw@learn.example.com',
      'https://intranet',
      'not a url at all',
    ]) {
      expect(parseOrigin(bad).ok, bad).toBe(false);
    }
  });
});

/** What the fake background says it removed when a portal is forgotten. */
type Forgotten = { invites: number; courses: number; jobs: number; items: number; audit: number };

function fakeOptions(
  granted: boolean,
  forgotten: Forgotten = { invites: 12, courses: 2, jobs: 3, items: 30, audit: 30 },
) {
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const calls: string[] = [];
  const sent: Request[] = [];
  const deps: OptionsDeps = {
    async send(generic) {
      const request: Request = generic;
      sent.push(request);
      calls.push(request.type);
      if (request.type === 'origins.add')
        settings = { ...settings, origins: [...settings.origins, request.origin] };
      if (request.type === 'origins.remove') {
        settings = { ...settings, origins: settings.origins.filter((o) => o !== request.origin) };
      }
      if (request.type === 'settings.set') settings = { ...settings, ...request.settings };
      if (request.type === 'origins.forget') {
        settings = { ...settings, origins: settings.origins.filter((o) => o !== request.origin) };
        return { ok: true, value: { settings, forgotten } as never };
      }
      return { ok: true, value: settings as never };
    },
    watchSettings(onValue) {
      onValue(settings);
      return () => {};
    },
    requestPermission(origin) {
      calls.push(`request ${origin}`);
      return Promise.resolve(granted);
    },
    hasPermission: async () => granted,
  };
  return { deps, calls, sent };
}

describe('options store', () => {
  it('asks for the permission inside the click, before anything async, then tells the background', async () => {
    const f = fakeOptions(true);
    const store = createOptionsStore(f.deps);
    store.getState().init(new AbortController().signal);
    const pending = store.getState().addOrigin('https://learn.example.com/');
    // Synchronously, within the user gesture:
    expect(f.calls).toEqual(['request https://learn.example.com']);
    expect(await pending).toBe(true);
    expect(f.sent).toEqual([{ type: 'origins.add', origin: 'https://learn.example.com' }]);
    expect(store.getState().settings?.origins).toContain('https://learn.example.com');
    expect(store.getState().originStatus).toEqual({ kind: 'ok', text: 'Added https://learn.example.com.' });
  });

  it('adds nothing when the manager declines the permission', async () => {
    const f = fakeOptions(false);
    const store = createOptionsStore(f.deps);
    expect(await store.getState().addOrigin('https://learn.example.com')).toBe(false);
    expect(f.sent).toEqual([]);
    expect(store.getState().originStatus?.kind).toBe('error');
  });

  it('asks nothing for an invalid address', async () => {
    const f = fakeOptions(true);
    const store = createOptionsStore(f.deps);
    expect(await store.getState().addOrigin('http://learn.example.com')).toBe(false);
    expect(f.calls).toEqual([]);
    expect(store.getState().originStatus?.text).toMatch(/https/);
  });

  it('removes through the background and saves settings', async () => {
    const f = fakeOptions(true);
    const store = createOptionsStore(f.deps);
    await store.getState().addOrigin('https://learn.example.com');
    await store.getState().removeOrigin('https://learn.example.com');
    expect(f.sent.at(-1)).toEqual({ type: 'origins.remove', origin: 'https://learn.example.com' });
    expect(store.getState().settings?.origins).toEqual(DEFAULT_SETTINGS.origins);
    await store.getState().save({ undoSeconds: 8, concurrency: 3, minAgeDays: 14 });
    expect(f.sent.at(-1)).toEqual({
      type: 'settings.set',
      settings: { undoSeconds: 8, concurrency: 3, minAgeDays: 14 },
    });
    expect(store.getState().saveStatus).toEqual({ kind: 'ok', text: 'Settings saved.' });
  });

  it('forgets a portal through the background and says what went', async () => {
    const f = fakeOptions(true);
    const store = createOptionsStore(f.deps);
    await store.getState().addOrigin('https://learn.example.com');
    await store.getState().forget('https://learn.example.com');
    expect(f.sent.at(-1)).toEqual({ type: 'origins.forget', origin: 'https://learn.example.com' });
    expect(store.getState().settings?.origins).toEqual(DEFAULT_SETTINGS.origins);
    expect(store.getState().originStatus).toEqual({
      kind: 'ok',
      text: 'Forgot https://learn.example.com: 12 cached invites, 2 courses, 3 revokes and 30 audit entries removed.',
    });
    await store.getState().save({ auditRetentionDays: 30, cacheRetentionDays: 7 });
    expect(f.sent.at(-1)).toEqual({
      type: 'settings.set',
      settings: { auditRetentionDays: 30, cacheRetentionDays: 7 },
    });
  });
});

/** The options page drawn over the fake background, with the given settings stored. */
async function mountForm(stored: Partial<Settings>, forgotten?: Forgotten) {
  const f = fakeOptions(true, forgotten);
  await f.deps.send({ type: 'settings.set', settings: stored });
  f.sent.length = 0;
  const store = createOptionsStore(f.deps);
  store.getState().init(new AbortController().signal);
  const root = document.createElement('div');
  document.body.append(root);
  await act(async () => {
    render(
      <OptionsContext.Provider value={store}>
        <App />
      </OptionsContext.Provider>,
      root,
    );
    await new Promise((r) => setTimeout(r, 0));
  });
  const input = (id: string) => root.querySelector<HTMLInputElement>(`#setting-${id}`);
  const labelOf = (id: string) => root.querySelector(`label[for="setting-${id}"]`)?.textContent ?? null;
  /** Presses the button named `name` (the settings form's, in the page's language). */
  const submit = async (name = 'Save settings') => {
    await act(async () => {
      [...root.querySelectorAll('button')].find((b) => b.textContent === name)?.click();
      await new Promise((r) => setTimeout(r, 0));
    });
  };
  /** Types `value` into a setting's field, as the manager would. */
  const fill = async (id: string, value: string) => {
    await act(async () => {
      const field = input(id);
      if (!field) throw new Error(`no field ${id}`);
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  const done = () => {
    render(null, root);
    root.remove();
  };
  return { f, root, input, labelOf, fill, submit, done };
}

describe('options form: the expiry watch', () => {
  it('shows the stored notification choice and check period, and saves both changed', async () => {
    const page = await mountForm({ notifyExpiring: true, watchHours: 4, renewDays: 5 });
    const notify = page.input('notifyExpiring');
    expect(notify?.closest('label')?.textContent?.trim()).toBe(
      'Tell me by a notification when invites are about to expire',
    );
    expect(notify?.checked).toBe(true);
    expect(page.labelOf('watchHours')).toBe('Check each portal for expiring invites every N hours');
    expect(page.input('watchHours')?.value).toBe('4');
    expect(page.labelOf('renewDays')).toBe('Expiry window (days)');
    expect(page.root.querySelector('#setting-renewDays-hint')?.textContent).toMatch(
      /Renew expiring \(N\).*Expiring soon view, the toolbar badge and the expiry notifications/,
    );
    await act(async () => {
      notify?.click();
    });
    await page.fill('watchHours', '6');
    const saves = () => page.f.sent.filter((r) => r.type === 'settings.set');
    await page.submit();
    expect(saves()).toHaveLength(1);
    expect(saves()[0]).toMatchObject({ settings: { notifyExpiring: false, watchHours: 6, renewDays: 5 } });
    page.done();
  });

  it("keeps what the manager types while an earlier save's answer is on its way", async () => {
    const page = await mountForm({ watchHours: 4 });
    const send = page.f.deps.send;
    let answer = () => {};
    page.f.deps.send = (async (request) => {
      const reply = await send(request);
      await new Promise<void>((go) => {
        answer = go;
      });
      return reply;
    }) as typeof send;
    await page.fill('watchHours', '6');
    await page.submit(); // sent; its answer held back
    await page.fill('watchHours', '30');
    await act(async () => {
      answer();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(page.input('watchHours')?.value).toBe('30');
    page.done();
  });

  it('refuses a check period outside 1 to 24 hours, saving nothing', async () => {
    const page = await mountForm({});
    await page.fill('watchHours', '30');
    await page.submit();
    expect(page.f.sent.filter((r) => r.type === 'settings.set')).toEqual([]);
    expect(page.root.textContent).toContain(
      'Check each portal for expiring invites every N hours: a whole number from 1 to 24.',
    );
    page.done();
  });
});

describe('options in English: counted words', () => {
  it('says one of a thing in the singular', async () => {
    const f = fakeOptions(true, { invites: 1, courses: 1, jobs: 1, items: 1, audit: 1 });
    const store = createOptionsStore(f.deps);
    await store.getState().forget('https://learn.example.com');
    expect(store.getState().originStatus?.text).toBe(
      'Forgot https://learn.example.com: 1 cached invite, 1 course, 1 revoke and 1 audit entry removed.',
    );
  });
});

describe('options in French', () => {
  beforeEach(() => installI18n('fr'));
  afterEach(() => installI18n('en'));

  it('draws the page in French, ranges written the French way', async () => {
    const page = await mountForm({ watchHours: 4 });
    const text = page.root.textContent ?? '';
    expect(page.root.querySelector('h1')?.textContent).toBe('Options de Reclaim');
    expect(text).toContain('Adresses des portails');
    expect(page.root.querySelector('label[for="new-origin"]')?.textContent).toBe(
      'Ajouter une adresse de portail',
    );
    expect(page.root.querySelector('ul.origins')?.getAttribute('aria-label')).toBe(
      'Adresses de portail autorisées',
    );
    expect(page.labelOf('watchHours')).toBe(
      'Vérifier chaque portail toutes les N heures pour trouver les invitations qui expirent',
    );
    expect(page.root.querySelector('legend')?.textContent).toBe('Avancé');
    // 3650 with the French thousands separator (a narrow no-break space).
    expect(page.root.querySelector('#setting-auditRetentionDays-hint')?.textContent).toMatch(
      /supprimées \(1 à 3\s650\)\.$/,
    );
    expect(page.root.querySelector('#setting-concurrency-hint')?.textContent).toContain(
      '(1 à 16; 6 sauf si l’administrateur de votre portail en demande moins)',
    );
    expect(text).not.toMatch(/Save settings|Portal addresses|Advanced/);
    page.done();
  });

  it('refuses an out-of-range value in French, saving nothing', async () => {
    const page = await mountForm({});
    await page.fill('watchHours', '30');
    await page.submit('Enregistrer les paramètres');
    expect(page.f.sent.filter((r) => r.type === 'settings.set')).toEqual([]);
    expect(page.root.textContent).toContain(
      'Vérifier chaque portail toutes les N heures pour trouver les invitations qui expirent\u00a0: un nombre entier de 1 à 24.',
    );
    page.done();
  });

  it('explains a refused address in French', () => {
    const refusal = (input: string) => {
      const check = parseOrigin(input);
      return check.ok ? null : check.error;
    };
    expect(refusal('http://learn.example.com')).toBe('Seules les adresses https:// peuvent être ajoutées.');
    expect(refusal('')).toBe('Tapez l’adresse de votre portail, par exemple https://learn.example.com.');
    expect(refusal('https://intranet')).toBe(
      'Indiquez le nom d’hôte complet, par exemple learn.example.com.',
    );
  });

  it('says what a forgotten portal lost, singular at 0 and 1, plural from 2', async () => {
    const forget = async (forgotten: Forgotten) => {
      const store = createOptionsStore(fakeOptions(true, forgotten).deps);
      await store.getState().forget('https://learn.example.com');
      return store.getState().originStatus?.text;
    };
    expect(await forget({ invites: 1, courses: 0, jobs: 1, items: 1, audit: 1 })).toBe(
      'Portail https://learn.example.com oublié\u00a0: 1 invitation en cache, 0 cours, 1 révocation et 1 entrée du journal d’audit supprimés.',
    );
    expect(await forget({ invites: 12, courses: 2, jobs: 3, items: 30, audit: 30 })).toBe(
      'Portail https://learn.example.com oublié\u00a0: 12 invitations en cache, 2 cours, 3 révocations et 30 entrées du journal d’audit supprimés.',
    );
  });

  it('reports a saved or refused address in French', async () => {
    const store = createOptionsStore(fakeOptions(true).deps);
    await store.getState().addOrigin('https://learn.example.com');
    expect(store.getState().originStatus?.text).toBe('Adresse ajoutée\u00a0: https://learn.example.com.');
    await store.getState().save({ undoSeconds: 8 });
    expect(store.getState().saveStatus?.text).toBe('Paramètres enregistrés.');
    const refused = createOptionsStore(fakeOptions(false).deps);
    await refused.getState().addOrigin('https://learn.example.com');
    expect(refused.getState().originStatus?.text).toBe(
      'L’accès à https://learn.example.com n’a pas été accordé, donc Reclaim ne peut pas y fonctionner.',
    );
  });
});
