/** The one small notice for a page whose shape Reclaim does not recognise. */
import { h } from './h';
import { makeHost } from './styles';

export const NOTICE_TEXT = 'Reclaim could not read this page';

export function createNotice(): HTMLElement {
  const { host, root } = makeHost('notice');
  root.append(h('div', { class: 'notice', role: 'status' }, `${NOTICE_TEXT}, so it added no controls here.`));
  return host;
}
