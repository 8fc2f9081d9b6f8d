/** The one small notice for a page whose shape Reclaim does not recognise. */
import { h } from './h';
import { makeHost, schemeOf } from './styles';

export const NOTICE_TEXT = 'Reclaim could not read this page';

export function createNotice(near: Element | null): HTMLElement {
  const { host, root } = makeHost('notice', schemeOf(near));
  root.append(h('div', { class: 'notice', role: 'status' }, `${NOTICE_TEXT}, so it added no controls here.`));
  return host;
}
