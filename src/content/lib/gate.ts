/**
 * Whether a click on one of Reclaim's buttons is the manager's own, on a button they could see:
 * a page script must not be able to steer a real click (or a real Enter) into a revoke.
 *
 * A control's button counts as seen once the browser has reported it on screen, unhidden and
 * uncovered (IntersectionObserver with `trackVisibility`, which also reports a button made
 * transparent, filtered, transformed or drawn over), for SEEN_MS. At the click:
 * - by pointer: the pointer went down on this button after it had been seen that long, and the
 *   button is what the browser hits at the click's point;
 * - by keyboard (or anything that clicks without a pointer): the button has held the focus for
 *   SEEN_MS, and the focus came to it with the manager's own key or pointer press, not a page
 *   script's call; the button is what the browser hits at its own centre;
 * - either way, nothing around it fades, filters, scales, skews or clips it, and it still sits in
 *   the element Reclaim put it in, not lifted out of it into the top layer (its own position and
 *   size are locked by its styles, styles.ts).
 * Where the browser has no `trackVisibility` (Firefox), being on screen is what is known; the
 * checks at the click still apply. A button seen long enough carries `data-seen` inside its root
 * (the browser's reports can come late on a busy page: end-to-end tests wait for it).
 */

/** How long a button must have been seen before it may start a revoke. */
export const SEEN_MS = 400;

/** One of our buttons, in the closed root of one of our hosts. */
export interface Control {
  host: HTMLElement;
  root: ShadowRoot;
  button: HTMLElement;
  /** The element the host was put in (a row's cell, the table's container). */
  place(): Element | null;
}

export interface Gate {
  /** Starts following what `sees` needs about a control (its button on screen, its focus). */
  watch(control: Control): void;
  /** Whether the manager could see `control` where Reclaim put it when `event` activated it. */
  sees(event: Event, control: Control): boolean;
}

interface VisibilityEntry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

/** A computed `transform` that only moves (no scale, skew, rotation or perspective). */
export function onlyMoves(transform: string): boolean {
  if (transform === 'none') return true;
  const m = /^matrix(3d)?\((.*)\)$/.exec(transform);
  if (!m?.[2]) return false;
  const v = m[2].split(',').map(Number);
  const identity = m[1] ? [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] : [1, 0, 0, 1];
  return identity.every((want, i) => Math.abs((v[i] as number) - want) < 1e-3);
}

/** Whether the styles on the way from a button up to the document leave it as drawn. */
export function unaltered(button: Element): boolean {
  let opacity = 1;
  let zoom = 1;
  for (let el: Element | null = button; el; ) {
    const s = getComputedStyle(el);
    opacity *= Number(s.opacity);
    zoom *= Number(s.zoom || 1);
    const mask = s.getPropertyValue('mask-image') || 'none';
    if (
      s.filter !== 'none' ||
      s.mixBlendMode !== 'normal' ||
      s.clipPath !== 'none' ||
      mask !== 'none' ||
      !onlyMoves(s.transform) ||
      (s.scale && s.scale !== 'none') ||
      (s.rotate && s.rotate !== 'none')
    )
      return false;
    const parent: Node | null = el.parentNode;
    el = parent instanceof ShadowRoot ? parent.host : (el.parentElement ?? null);
  }
  return opacity >= 0.95 && zoom >= 0.5 && zoom <= 2 && getComputedStyle(button).visibility === 'visible';
}

function lifted(host: Element): boolean {
  for (const state of [':popover-open', ':modal', ':fullscreen'])
    try {
      if (host.matches(state)) return true;
    } catch {
      // a browser without this state: nothing can be in it
    }
  return false;
}

export function createGate(): Gate {
  /** Button -> since when it has been seen (event clock), while it is. */
  const since = new WeakMap<Element, number>();
  /** Button -> the last trusted pointer press on it, and whether it had been seen long enough then. */
  const downs = new WeakMap<Element, { at: number; seen: boolean }>();
  /** Button -> when it got the focus by the manager's own key or press (-1: by anything else). */
  const focused = new WeakMap<Element, number>();
  const watched = new WeakSet<Element>();
  /** True while the browser handles a trusted key or pointer press (and its default actions). */
  let userInput = false;

  /** Marks a button `data-seen` (inside our closed root) once it has been seen for SEEN_MS, as long as it is. */
  const markSeen = (button: Element, from: number) =>
    setTimeout(
      () => {
        if (since.get(button) === from) button.setAttribute('data-seen', '');
      },
      Math.max(0, from + SEEN_MS - performance.now()),
    );

  const io =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries as VisibilityEntry[]) {
              if (!e.isIntersecting || e.isVisible === false) {
                since.delete(e.target);
                e.target.removeAttribute('data-seen');
              } else if (!since.has(e.target)) {
                since.set(e.target, e.time);
                markSeen(e.target, e.time);
              }
            }
          },
          { trackVisibility: true, delay: 100 } as IntersectionObserverInit,
        )
      : null;

  const seenFor = (button: Element, at: number): number => {
    const from = since.get(button);
    return from === undefined ? 0 : at - from;
  };

  const mark = (event: Event) => {
    if (!event.isTrusted) return;
    userInput = true;
    setTimeout(() => {
      userInput = false;
    }, 0);
  };
  window.addEventListener('keydown', mark, true);
  window.addEventListener('pointerdown', mark, true);

  return {
    watch(c) {
      if (watched.has(c.button)) return;
      watched.add(c.button);
      io?.observe(c.button);
      c.root.addEventListener('pointerdown', (event) => {
        if (event.isTrusted && event.target === c.button)
          downs.set(c.button, { at: event.timeStamp, seen: seenFor(c.button, event.timeStamp) >= SEEN_MS });
      });
      c.root.addEventListener('focusin', (event) => {
        if (event.target === c.button) focused.set(c.button, userInput ? event.timeStamp : -1);
      });
      c.root.addEventListener('focusout', (event) => {
        if (event.target === c.button) focused.delete(c.button);
      });
    },

    sees(event, c) {
      if (!event.isTrusted || !c.host.isConnected) return false;
      const at = event.timeStamp;
      let x: number;
      let y: number;
      const mouse = event as MouseEvent;
      const down = downs.get(c.button);
      if (mouse.detail > 0 && down && at - down.at < 10_000) {
        if (!down.seen) return false;
        x = mouse.clientX;
        y = mouse.clientY;
      } else {
        const since = focused.get(c.button);
        if (c.root.activeElement !== c.button || since === undefined || since < 0) return false;
        if (at - since < SEEN_MS || seenFor(c.button, at) < SEEN_MS) return false;
        const r = c.button.getBoundingClientRect();
        x = r.left + r.width / 2;
        y = r.top + r.height / 2;
      }
      const place = c.place();
      const hit = c.root.elementFromPoint(x, y);
      return (
        document.elementFromPoint(x, y) === c.host &&
        hit !== null &&
        c.button.contains(hit) &&
        place !== null &&
        c.host.parentElement === place &&
        !lifted(c.host) &&
        unaltered(c.button)
      );
    },
  };
}
