/** The table's "Revoke all pending (N)" bar: Undo window, live progress, end summary. */
import { heldText } from '../../shared/held';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { h, setAttr, setText, show } from './h';
import { createInviteBar } from './invite-bar';
import { summary } from './phases';
import { makeHost, type Scheme } from './styles';

export interface BarView {
  readonly host: HTMLElement;
  update(): number;
  announce(text: string): void;
}

/** `place`: the element Reclaim put the bar in (the table's container). */
export function createBarView(
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  place: () => Element | null,
): BarView {
  const { host, root } = makeHost('bar', scheme);
  const main = h('button', { type: 'button', class: 'primary' });
  const progress = h('progress', { 'aria-label': 'Revoke all pending: progress', hidden: '' });
  const msg = h('span', { class: 'msg', role: 'status', 'aria-live': 'polite' });
  const refresh = h('button', { type: 'button', class: 'plain', hidden: '' }, 'Refresh table');
  const live = h('span', { class: 'sr', 'aria-live': 'polite' });
  root.append(
    h('div', { class: 'bar' }, h('span', { class: 'brand' }, 'Reclaim'), main, progress, msg, refresh, live),
  );
  if (ctl.target.kind === 'course') root.append(createInviteBar(ctl, deps, scheme));

  const control = { host, root, button: main, place };
  deps.gate.watch(control);
  main.addEventListener('click', (event) => {
    if (!deps.isTrusted(event) || (event as MouseEvent).detail > 1) return;
    if (main.getAttribute('aria-disabled') === 'true') return;
    if (ctl.bulk.phase === 'waiting') void ctl.undoAll();
    else if (deps.gate.sees(event, control)) void ctl.revokeAll();
    else ctl.refused('all pending invites');
  });
  // The portal re-fetches its table on its own schedule; a reload shows the portal's truth now.
  // Harmless, but held to the same rule as every button of ours but Undo.
  const reloader = { host, root, button: refresh, place };
  deps.gate.watch(reloader);
  refresh.addEventListener('click', (event) => {
    if (deps.isTrusted(event) && deps.gate.sees(event, reloader)) deps.reload();
  });

  function update(): number {
    const b = ctl.bulk;
    const total = b.view?.counts.total ?? b.ids.size;
    let next = Number.POSITIVE_INFINITY;
    let text = '';
    let label: string;
    let aria: string | null = null;
    let enabled = false;

    if (b.phase === 'waiting' && b.view && b.view.job.startAt > Date.now()) {
      const left = b.view.job.startAt - Date.now();
      const secs = Math.ceil(left / 1000);
      next = left % 1000 || 1000;
      label = `Undo (${secs})`;
      aria = `Undo revoke all pending (${total})`;
      enabled = true;
      text = `Revoking ${total} pending ${total === 1 ? 'invite' : 'invites'} in ${secs} s`;
      const held = heldText(b.view.job.heldByOthers);
      if (held) text += ` (${held})`;
    } else if (b.phase === 'waiting' || b.phase === 'running' || b.phase === 'starting') {
      const c = b.view?.counts;
      const done = c ? c.total - c.queued - c.inFlight : 0;
      label = `Revoke all pending (${total})`;
      text = b.phase === 'starting' ? 'Starting…' : `Revoking… ${done} of ${c?.total ?? total} done`;
      if (b.message) text += ` — ${b.message}`;
      progress.max = Math.max(1, c?.total ?? total);
      progress.value = done;
    } else {
      const ids = ctl.pendingIds();
      label = `Revoke all pending (${ids === null ? '…' : ids.length})`;
      enabled = ids !== null && ids.length > 0;
      if (b.phase === 'done' && b.view) text = summary(b.view);
      else if (b.phase === 'undone') text = 'Undone: nothing was revoked.';
      else if (b.phase === 'error') text = `Could not start: ${b.message ?? 'unknown error'}`;
      else if (ctl.loadError) text = ctl.loadError;
    }

    setText(main, label);
    setAttr(main, 'aria-label', aria);
    setAttr(main, 'class', aria ? 'undo' : 'primary');
    // aria-disabled, not disabled: the button keeps the keyboard focus through its states.
    setAttr(main, 'aria-disabled', enabled ? null : 'true');
    show(progress, b.phase === 'running' || (b.phase === 'waiting' && !aria));
    show(refresh, b.phase === 'done');
    setText(msg, text);
    return next;
  }

  return {
    host,
    update,
    announce(text) {
      // Clear first so the same sentence twice is announced twice.
      live.textContent = '';
      queueMicrotask(() => {
        live.textContent = text;
      });
    },
  };
}
