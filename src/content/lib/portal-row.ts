/**
 * What Reclaim does to the portal's own parts of a row it controls, without rewriting any of
 * them: the portal's Cancel is hidden where Reclaim's Revoke stands in for it (unless the
 * manager asked to keep it), made inert once Reclaim is revoking or has revoked the invite, and
 * the status cell's stale "pending" is covered by Reclaim's own word for the invite's state.
 *
 * Hiding is one rule of the page's stylesheet, keyed on Reclaim's hosts, which come first in
 * their cells: everything after a host that says so is not displayed. A re-rendered row is
 * hidden the moment its control moves in, with no work per row.
 */
import { onlyCancels } from '../../portal/page/controls';

const PAGE_STYLE = `reclaim-row[data-portal="hidden"] ~ :not([data-reclaim]),
reclaim-status ~ :not([data-reclaim]) { display: none !important; }`;

const styled = new WeakSet<Document>();

/** The page's one rule for what Reclaim's hosts hide (once per document). */
export function ensurePageStyle(doc: Document): void {
  if (styled.has(doc)) return;
  styled.add(doc);
  const style = doc.createElement('style');
  style.setAttribute('data-reclaim', 'page-style');
  style.textContent = PAGE_STYLE;
  (doc.head ?? doc.documentElement).append(style);
}

/** The portal's own elements in a cell (everything but Reclaim's hosts). */
function portalParts(cell: Element): Element[] {
  const out: Element[] = [];
  for (let el = cell.firstElementChild; el; el = el.nextElementSibling)
    if (!el.hasAttribute('data-reclaim')) out.push(el);
  return out;
}

/** Whether the portal's controls in an actions cell do nothing but cancel the invite (so Reclaim may stand in for them). */
export function portalOnlyCancels(cell: Element): boolean {
  const parts = portalParts(cell);
  return parts.length > 0 && parts.every((el) => onlyCancels(el));
}

/**
 * Gives back the elements made inert `before`, then makes the portal's controls in `cell` inert
 * (none when null); returns those.
 */
export function setPortalInert(cell: Element | null, before: readonly Element[]): Element[] {
  for (const el of before) el.removeAttribute('inert');
  if (!cell) return [];
  const parts = portalParts(cell);
  for (const el of parts) el.setAttribute('inert', '');
  return parts;
}
