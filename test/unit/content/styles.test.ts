import { describe, expect, it } from 'vitest';
import { schemeOf, tokensByPage } from '../../../src/content/lib/styles';
import { themeCss } from '../../../src/shared/ui/theme';

describe('in-page control styles', () => {
  it('take both token sets from the shared theme, chosen by the page rather than the OS', () => {
    const css = tokensByPage(themeCss);
    expect(css).not.toContain('prefers-color-scheme');
    const light = /:host\{([^}]*)\}/.exec(css)?.[1] ?? '';
    const dark = /:host\(\[data-scheme=dark\]\)\{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(light).toContain('--rc-bg: #ffffff');
    expect(dark).toContain('--rc-bg: #0d1117');
    expect(dark).toContain('color-scheme:dark');
  });

  it('read the page’s scheme from the first opaque background around the table', () => {
    document.body.replaceChildren();
    const dark = document.createElement('section');
    dark.style.backgroundColor = 'rgb(18, 18, 20)';
    const clear = document.createElement('div');
    clear.style.backgroundColor = 'rgba(0, 0, 0, 0)';
    const table = document.createElement('table');
    clear.append(table);
    dark.append(clear);
    document.body.append(dark);
    expect(schemeOf(table)).toBe('dark');
    dark.style.backgroundColor = 'rgb(250, 250, 250)';
    expect(schemeOf(table)).toBe('light');
    expect(schemeOf(null)).toBe('light');
  });
});
