/**
 * The portal's own controls in a row's actions cell, as content scripts see them: which of them
 * do nothing but cancel the invite (the Usage tab's Cancel button, the Invite History menu whose
 * only item is Cancel), so that Reclaim may stand in for them and leave the rest alone.
 */
import { plain } from './cells';
import { type PortalProfile, portalProfile } from './profile';

const ACTIONABLE = 'button, a[href], [role="button"], [role="menuitem"]';

/**
 * Whether `el` only cancels: every button, link or menu item it holds (a menu's opener aside)
 * says one of the profile's cancel words. An element with nothing to press is not known to.
 */
export function onlyCancels(el: Element, profile: PortalProfile = portalProfile): boolean {
  const items = el.matches(ACTIONABLE) ? [el] : [...el.querySelectorAll(ACTIONABLE)];
  const words = new Set(profile.cancelWords.map(plain));
  let any = false;
  for (const item of items) {
    if (item.hasAttribute('aria-haspopup')) continue;
    if (!words.has(plain(item.textContent))) return false;
    any = true;
  }
  return any;
}
