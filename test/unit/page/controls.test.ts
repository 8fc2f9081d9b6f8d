import { describe, expect, it } from 'vitest';
import { onlyCancels } from '../../../src/portal/page/controls';

function html(markup: string): Element {
  const box = document.createElement('div');
  box.innerHTML = markup; // test fixture text, no portal data
  return box.firstElementChild as Element;
}

describe('the portal’s own controls that only cancel the invite', () => {
  it('knows the Usage tab’s Cancel button and a menu whose only item is Cancel, in English and French', () => {
    expect(onlyCancels(html('<button aria-label="Cancel invite for Jane Doe">Cancel</button>'))).toBe(true);
    expect(onlyCancels(html('<button class="tw-btn">Annuler</button>'))).toBe(true);
    expect(
      onlyCancels(
        html(
          '<div class="menu-wrap"><button aria-haspopup="menu" aria-label="Actions for Fire Safety">⋯</button><ul role="menu" hidden><li><button role="menuitem">Cancel</button></li></ul></div>',
        ),
      ),
    ).toBe(true);
  });

  it('leaves alone anything that does more, or whose items it cannot see', () => {
    expect(
      onlyCancels(
        html(
          '<div><button aria-haspopup="menu">⋯</button><ul role="menu"><li><button role="menuitem">Cancel</button></li><li><button role="menuitem">Resend</button></li></ul></div>',
        ),
      ),
    ).toBe(false);
    expect(onlyCancels(html('<div><button aria-haspopup="menu">⋯</button></div>'))).toBe(false); // a menu built on open
    expect(onlyCancels(html('<a href="/invites/1">View</a>'))).toBe(false);
    expect(onlyCancels(html('<span>—</span>'))).toBe(false);
  });
});
