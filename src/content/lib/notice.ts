/** The one small notice on a page: a shape Reclaim does not recognise, or rows it left without controls. */
import { h, setText } from './h';
import { makeHost, schemeOf } from './styles';

export const NOTICE_TEXT = 'Reclaim could not read this page';
export const UNREADABLE = `${NOTICE_TEXT}, so it added no controls here.`;

export interface Notice {
  readonly host: HTMLElement;
  say(text: string): void;
}

export function createNotice(near: Element | null): Notice {
  const { host, root } = makeHost('notice', schemeOf(near));
  const box = h('div', { class: 'notice', role: 'status' });
  root.append(box);
  return { host, say: (text) => setText(box, text) };
}
