/** The one small notice on a page: a shape Reclaim does not recognise, or rows it left without controls. */
import { t } from '../../shared/i18n';
import { h, setText } from './h';
import { makeHost, schemeOf } from './styles';

/** What the notice says on a page whose shape Reclaim does not recognise. */
export const unreadableNotice = (): string => t('pageUnreadable');

export interface Notice {
  readonly host: HTMLElement;
  say(text: string): void;
}

export function createNotice(near: Element | null): Notice {
  const { host, root } = makeHost('notice', schemeOf(near));
  // Not a live region: the bar's is the page's one (bar-view.ts); the notice sits where it is read, before the table.
  const box = h('div', { class: 'notice', role: 'note' });
  root.append(box);
  return { host, say: (text) => setText(box, text) };
}
