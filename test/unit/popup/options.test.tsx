import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/options/App';
import { parseOrigin } from '../../../src/options/origin';
import { createOptionsStore, OptionsContext, type OptionsDeps } from '../../../src/options/store';
import type { Request } from '../../../src/shared/messages';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { Settings } from '../../../src/shared/types';

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

function fakeOptions(granted: boolean) {
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
        const forgotten = { invites: 12, courses: 2, jobs: 3, items: 30, audit: 30 };
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

describe('options form: the expiry watch', () => {
  async function mountForm(stored: Partial<Settings>) {
    const f = fakeOptions(true);
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
    const submit = async () => {
      await act(async () => {
        [...root.querySelectorAll('button')].find((b) => b.textContent === 'Save settings')?.click();
        await new Promise((r) => setTimeout(r, 0));
      });
    };
    const done = () => {
      render(null, root);
      root.remove();
    };
    return { f, root, input, labelOf, submit, done };
  }

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
      const hours = page.input('watchHours');
      if (hours) {
        hours.value = '6';
        hours.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    const saves = () => page.f.sent.filter((r) => r.type === 'settings.set');
    await page.submit();
    expect(saves()).toHaveLength(1);
    expect(saves()[0]).toMatchObject({ settings: { notifyExpiring: false, watchHours: 6, renewDays: 5 } });
    page.done();
  });

  it('refuses a check period outside 1 to 24 hours, saving nothing', async () => {
    const page = await mountForm({});
    await act(async () => {
      const hours = page.input('watchHours');
      if (hours) {
        hours.value = '30';
        hours.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await page.submit();
    expect(page.f.sent.filter((r) => r.type === 'settings.set')).toEqual([]);
    expect(page.root.textContent).toContain(
      'Check each portal for expiring invites every N hours: a whole number from 1 to 24.',
    );
    page.done();
  });
});
