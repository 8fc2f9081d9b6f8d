/** Popup entry: page styles, then bootPopup (boot.tsx) paints the first rows. */
import { installPageCss } from '../shared/ui/page';
import { bootPopup } from './boot';
import { downloadText } from './download';
import { afterNextPaint } from './paint';
import { popupCss } from './styles';

performance.mark('reclaim:popup-start');

installPageCss(document, popupCss);
const root = document.getElementById('app');
if (root) {
  const life = new AbortController();
  addEventListener('pagehide', () => life.abort(), { once: true });
  bootPopup(
    {
      root,
      importLive: () => import('./live').then((m) => m.live),
      afterPaint: () => afterNextPaint(),
      storage: localStorage,
      download: (filename, text) => downloadText(document, filename, text),
      now: () => Date.now(),
      hash: location.hash,
    },
    life.signal,
  );
  performance.mark('reclaim:popup-rendered');
}
