/**
 * The reference portal's own table renderer (test/portal/assets/invite-tables.ts) in happy-dom,
 * so unit tests read exactly the markup the portal serves: with its hooks, or as a vendor's
 * storefront (no hooks, another column order, an extra column, other words, French).
 */
import { vi } from 'vitest';
import type { CachedInvite } from '../../../src/shared/types';
import {
  isDefaultMarkup,
  MARKUP_PRESETS,
  type MarkupPreset,
  skeleton,
  type TableMarkup,
} from '../../portal/assets/table-markup';
import type { Invite } from '../../portal/types';

export type Renderer = (invites: Invite[]) => HTMLTableElement;

// happy-dom's table sections lack `rows`, which the portal's script reads (its browsers have it).
if (!('rows' in HTMLTableSectionElement.prototype))
  Object.defineProperty(HTMLTableSectionElement.prototype, 'rows', {
    get(this: HTMLTableSectionElement) {
      return [...this.children].filter((el) => el.tagName === 'TR');
    },
  });

/** A fresh page (#app with both tables' panels) and the portal's renderer for one table in `markup`. */
export async function portalTable(
  kind: 'usage' | 'invite-history',
  markup: MarkupPreset | TableMarkup,
): Promise<Renderer> {
  const m = typeof markup === 'string' ? MARKUP_PRESETS[markup] : markup;
  const app = document.createElement('div');
  app.id = 'app';
  for (const panel of ['usage', 'invite-history'] as const) {
    const section = document.createElement('section');
    section.dataset.panel = panel;
    // With the default markup the server sends the table's skeleton; the script fills its body.
    if (isDefaultMarkup(m) && panel === kind) section.append(serverSkeleton(panel, m));
    app.append(section);
  }
  document.body.replaceChildren(app);
  vi.resetModules(); // the renderer keeps the tables it mounted, per module instance
  const tables = await import('../../portal/assets/invite-tables');
  return (invites) => {
    if (kind === 'usage') tables.renderUsage(invites, m, () => {});
    else tables.renderInviteHistory(invites, m, () => {});
    const table = document.querySelector<HTMLTableElement>(`[data-panel="${kind}"] table`);
    if (!table) throw new Error('the portal rendered no table');
    return table;
  };
}

/** The table the server renders into the page (test/portal/pages.ts), from the same skeleton. */
function serverSkeleton(kind: 'usage' | 'invite-history', m: TableMarkup): HTMLTableElement {
  const k = skeleton(kind, m);
  const table = document.createElement('table');
  table.className = k.tableClass;
  if (k.hook) table.dataset.table = k.hook;
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const head of k.headers) {
    const th = document.createElement('th');
    if (head.srOnly) {
      const span = document.createElement('span');
      span.className = 'sr-only';
      span.textContent = head.text;
      th.append(span);
    } else th.textContent = head.text;
    tr.append(th);
  }
  thead.append(tr);
  table.append(thead, document.createElement('tbody'));
  return table;
}

/** A portal invite as the background caches it. */
export function asCached(inv: Invite): CachedInvite {
  return {
    key: `${location.origin}#${inv.id}`,
    origin: location.origin,
    id: inv.id,
    courseId: inv.course.id,
    courseTitle: inv.course.title,
    learnerId: inv.learner.id,
    learnerName: inv.learner.name,
    learnerEmail: inv.learner.email,
    sentAt: inv.sentAt,
    expiresAt: Date.parse(inv.sentAt) + 30 * 86_400_000,
    status: inv.status,
    progress: inv.progress,
    fetchedAt: Date.now(),
  };
}

let n = 0;
/** A portal invite: `who` the learner's name (their e-mail made from it), in course `course`. */
export function invite(
  who: string,
  course: string,
  sentAt: string,
  status: Invite['status'] = 'pending',
): Invite {
  n++;
  const slug = who.toLowerCase().replace(/\W+/g, '.');
  return {
    id: `i-${n}`,
    course: { id: `c-${course.length}`, title: course },
    learner: { id: `l-${slug}`, name: who, email: `${slug}@example.test` },
    sentAt,
    status,
    progress: status === 'accepted' ? 40 : null,
  };
}
