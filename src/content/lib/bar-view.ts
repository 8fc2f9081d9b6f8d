/**
 * The table's bar: "Revoke all 38 pending invites of First Aid at Work" (every page of the table,
 * and it says so), a separate Undo for its window (the window of a revoke started in the popup
 * too), live progress, the end summary, and the course's seats as the portal gives them after a
 * revoke. The page's one live region is here: it says starts, ends, failures and milestones,
 * once each (announcements.ts), never the countdown.
 */
import { t, tn } from '../../shared/i18n';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { focusOf, h, setAttr, setText, show } from './h';
import { createInviteBar } from './invite-bar';
import { pageInvites } from './invite-jobs';
import { revokeAllLabel, revokingIn, undoAllLabel, whereTheyAre } from './labels';
import { secondsLeft, summary } from './phases';
import { makeHost, type Scheme } from './styles';

export interface BarView {
  readonly host: HTMLElement;
  update(): number;
  announce(text: string): void;
}

/** Seats in one line whose numbers add up: assigned = pending + accepted = the table's invites. */
function seatsLine(ctl: Controller): string {
  const s = ctl.seatsAfterRevoke();
  if (s === null) return '';
  if (s === 'reading') return t('rowSeatsReading');
  const { total, assigned, available } = s.seats;
  return tn('rowSeats', assigned, total, available, s.pending);
}

/**
 * `place`: the element Reclaim put the bar in (the table's container); `shown`: the invites whose
 * rows the table shows now.
 */
export function createBarView(
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  place: () => Element | null,
  shown: () => Iterable<string>,
): BarView {
  const { host, root } = makeHost('bar', scheme);
  const main = h('button', { type: 'button', class: 'primary' });
  const undo = h('button', { type: 'button', class: 'undo', hidden: '' }, t('rowUndo'));
  const progress = h('progress', { 'aria-label': t('rowProgress'), hidden: '' });
  const msg = h('span', { class: 'msg' });
  const seats = h('span', { class: 'msg seats', hidden: '' });
  const live = h('span', { class: 'sr', 'aria-live': 'polite' });
  root.append(
    h(
      'div',
      { class: 'bar' },
      h('span', { class: 'brand' }, t('extName')),
      main,
      undo,
      progress,
      msg,
      seats,
      live,
    ),
  );
  if (ctl.target.kind === 'course') root.append(createInviteBar(ctl, deps, scheme, host, place));

  const mainFocus = focusOf(main);
  const undoFocus = focusOf(undo);
  const control = { host, root, button: main, place };
  const undoControl = { host, root, button: undo, place };
  deps.gate.watch(control);
  deps.gate.watch(undoControl);
  main.addEventListener('click', (event) => {
    if (!deps.isTrusted(event) || (event as MouseEvent).detail > 1) return;
    if (main.getAttribute('aria-disabled') === 'true' || main.hidden) return;
    if (!deps.gate.sees(event, control)) {
      ctl.refused(t('rowAllPending'));
      return;
    }
    const keyboard = mainFocus.has();
    void ctl.all.start();
    if (keyboard && !undo.hidden) undo.focus();
  });
  const undoNow = () => {
    const inviting = pageInvites(ctl, deps).bulk;
    if (ctl.bulk.phase === 'waiting') void ctl.all.undo();
    else if (ctl.covering.waiting()) void ctl.covering.undo();
    else if (inviting?.phase === 'waiting') void pageInvites(ctl, deps).undo(inviting);
    else return false;
    return true;
  };
  undo.addEventListener('click', (event) => {
    if (!deps.isTrusted(event) || (event as MouseEvent).detail > 1) return;
    // A revoke started elsewhere shows its Undo where this page's Revoke all was: a click meant
    // for that button, landing as the bar changes, must not undo the manager's other revoke.
    if (ctl.bulk.phase !== 'waiting' && !deps.gate.sees(event, undoControl)) return;
    undoNow();
  });
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && deps.isTrusted(event) && undoNow())
      event.stopPropagation();
  });

  function update(): number {
    const b = ctl.bulk;
    const cover = ctl.covering.current;
    const ids = ctl.pendingIds();
    let next = Number.POSITIVE_INFINITY;
    let text = '';
    let undoLabel: string | null = null;
    let undoBusy = false;
    let mainShown = false;
    let running = false;

    const countdown = (at: number | null) => {
      if (at === null || at <= Date.now()) return null;
      next = Math.min(next, (at - Date.now()) % 1000 || 1000);
      return secondsLeft(at);
    };

    if (b.phase === 'waiting' || b.phase === 'undoing') {
      const scope = ctl.scopeOf(b.ids);
      const secs = countdown(b.startAt);
      undoBusy = b.phase === 'undoing';
      text = undoBusy ? t('rowUndoing') : secs === null ? t('rowRevoking') : revokingIn(scope, secs);
      if (secs !== null || undoBusy) undoLabel = undoAllLabel(scope);
    } else if (b.phase === 'running') {
      const c = b.view?.counts;
      const done = c ? c.total - c.queued - c.inFlight : 0;
      const total = c?.total ?? b.ids.size;
      text = b.message ? tn('rowRunPaused', done, total, b.message) : tn('rowRunning', done, total);
      progress.max = Math.max(1, total);
      progress.value = done;
      running = true;
    } else if (cover && (cover.state === 'waiting' || ctl.covering.undoPending)) {
      const secs = countdown(cover.startAt);
      const n = ids?.length ?? 0;
      const who = ctl.covering.whence(cover, true);
      text =
        secs === null
          ? t('rowCoverStarting', who)
          : tn(cover.othersToo ? 'rowCoverMore' : 'rowCoverTakes', n, who, secs);
      if (secs !== null) undoLabel = t('rowUndoWhat', ctl.covering.whence(cover));
      undoBusy = ctl.covering.undoPending;
    } else if (cover) {
      text = t('rowCoverBusy', ctl.covering.whence(cover, true));
    } else {
      mainShown = ids === null || ids.length > 0;
      const parts: string[] = [];
      if (b.phase === 'done' && b.view) parts.push(summary(b.view));
      else if (b.phase === 'undone') parts.push(t('rowNothing'));
      else if (b.phase === 'error') parts.push(t('rowNoStart', b.message ?? t('rowUnknown')));
      else if (ctl.loadError) parts.push(ctl.loadError);
      if (ids !== null && ids.length === 0)
        parts.push(t(b.phase === 'done' || ctl.seatsAfterRevoke() ? 'rowNoneLeft' : 'rowNone'));
      else if (ids && ctl.target.kind === 'course') {
        const here = new Set(ids);
        let onPage = 0;
        for (const id of shown()) if (here.has(id)) onPage++;
        const where = whereTheyAre(ids.length, onPage);
        if (where) parts.push(where);
      }
      text = parts.join(' ');
      setText(main, ids === null ? t('rowCounting') : revokeAllLabel(ctl.scopeOf(ids)));
      setAttr(main, 'aria-disabled', ids === null ? 'true' : null);
    }

    const undoHadFocus = undoFocus.has();
    show(main, mainShown);
    show(undo, undoLabel !== null);
    if (!mainShown) mainFocus.clear();
    if (undoLabel === null) undoFocus.clear();
    if (undoLabel) setAttr(undo, 'aria-label', undoLabel);
    setAttr(undo, 'aria-disabled', undoBusy ? 'true' : null);
    if (undoHadFocus && undoLabel === null && mainShown) deps.gate.placeFocus(control);
    show(progress, running);
    setText(msg, text);
    show(msg, text !== '');
    const line = seatsLine(ctl);
    setText(seats, line);
    show(seats, line !== '');
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
