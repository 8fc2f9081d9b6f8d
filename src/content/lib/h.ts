/** Tiny element builder for the injected UI: text only, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** Sets text only when it changed, so a tick does not touch untouched rows. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden === visible) el.hidden = !visible;
}

/**
 * Whether `el` has the focus, from its own focus and blur events (not `activeElement` looked up
 * through shadow roots). `clear` when Reclaim hides it: a hidden element loses the focus without
 * a blur in some browsers.
 */
export function focusOf(el: HTMLElement): { has(): boolean; clear(): void } {
  let on = false;
  el.addEventListener('focus', () => {
    on = true;
  });
  el.addEventListener('blur', () => {
    on = false;
  });
  return {
    has: () => on,
    clear: () => {
      on = false;
    },
  };
}
