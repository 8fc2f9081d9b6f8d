/**
 * One invite row's control: its expiry, one-click Revoke, a separate Undo for the Undo window
 * (which shows "Revoking in 4 s" in place of the expiry: one countdown per row), and the outcome;
 * and, once Reclaim knows better than the row's "pending", what its status cell says.
 *
 * Revoke and Undo are two buttons, never one that changes its meaning, and only one of them is
 * shown at a time. Pressing Revoke moves the focus to Undo (Enter, then Enter, undoes); Undo
 * done, the focus goes back to Revoke, but a Revoke focused by Reclaim acts only once the
 * manager gives it the focus (gate.ts), so Enter, Enter, Enter cannot revoke, undo and revoke.
 * Escape undoes from anywhere in the row (table-view.ts).
 */
import { formatCountdown, isExpired, isUrgent, msUntilLabelChanges } from '../../shared/expiry';
import { type MessageKey, t } from '../../shared/i18n';
import type { InviteStatus } from '../../shared/types';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { focusOf, h, setAttr, setText, show } from './h';
import { pageInvites } from './invite-jobs';
import { createInviteRow } from './invite-row';
import { rowName } from './labels';
import { describe, type RowPhase, secondsLeft, statusWord } from './phases';
import { makeHost, type Scheme } from './styles';

/** What a row told about its invite when its control was made or last moved. */
export interface RowFacts {
  inviteId: string;
  status: InviteStatus | null;
  sentAt: string | null;
  learnerName: string | null;
  courseTitle: string | null;
}

export type RowDetails = Omit<RowFacts, 'inviteId' | 'status'>;

/** Where the table view put a control, and whether it may still act there. */
export interface RowPlace {
  /** The cell it was put in. */
  cell(): Element | null;
  /**
   * Whether it still sits in the row it was made for and that row still names its invite;
   * when not, the table view has removed it and nothing may be sent.
   */
  holds(): boolean;
}

/** What Reclaim does with the portal's own controls in the row: leave them, hide them, or make them inert. */
export type PortalControls = 'shown' | 'hidden' | 'inert';

export interface RowView {
  readonly id: string;
  readonly host: HTMLElement;
  /** The status cell's word while the row's "pending" is out of date (its host, made on first need). */
  readonly status: { host: HTMLElement; word: string } | null;
  /** What happens to the portal's own controls in this row now. */
  readonly portal: PortalControls;
  /** Renders from the controller's state; returns ms until a label changes by itself. */
  update(): number;
  /**
   * What a re-rendered row says now: its status, and the rest when it was read (null keeps what
   * was read before). True when that differs from what the control last knew.
   */
  setRow(status: RowFacts['status'], details: RowDetails | null): boolean;
  /** Escape in the row: undoes its revoke (or the table's Revoke all that covers it) in its window. */
  undoByEscape(): boolean;
}

/** The status cell's word, in a host of its own (the cell is the portal's: nothing of it is rewritten). */
function statusHost(scheme: Scheme): { host: HTMLElement; box: HTMLElement; word: string } {
  const { host, root } = makeHost('status', scheme);
  const box = h('span', { class: 'status' });
  root.append(box);
  return { host, box, word: '' };
}

/** The inside of every row control (as few nodes as it can be: each one costs on every move), built once and cloned. */
let template: DocumentFragment | null = null;

/** The phases in which the row's invite is Reclaim's to deal with: the portal's controls go inert. */
const OURS_NOW: ReadonlySet<RowPhase['kind']> = new Set([
  'waiting',
  'undoing',
  'running',
  'queued',
  'checking',
  'revoked',
  'kept',
  'gone',
]);

export function createRowView(
  initial: RowFacts,
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  place: RowPlace,
  /** The portal's controls in this row do nothing but cancel (controls.ts): Reclaim may stand in for them. */
  portalOnlyCancels: boolean,
): RowView {
  const id = initial.inviteId;
  let facts = initial;
  const { host, root } = makeHost('row', scheme);
  if (!template) {
    template = document.createDocumentFragment();
    template.append(
      h('span', { class: 'note' }),
      h('button', { type: 'button', class: 'act' }),
      h('button', { type: 'button', class: 'undo', hidden: '' }),
    );
  }
  const tree = template.cloneNode(true) as DocumentFragment;
  const note = tree.firstElementChild as HTMLSpanElement;
  const act = note.nextElementSibling as HTMLButtonElement;
  const undo = tree.lastElementChild as HTMLButtonElement;
  undo.textContent = t('rowUndo');
  root.append(tree);
  const actFocus = focusOf(act);
  const undoFocus = focusOf(undo);
  const control = { host, root, button: act, place: place.cell };
  deps.gate.watch(control);
  root.append(createInviteRow(id, ctl, deps, scheme, host, place).host);
  let status: { host: HTMLElement; box: HTMLElement; word: string } | null = null;
  let portal: PortalControls = 'shown';
  /** Reclaim put the focus on Revoke (after Undo): the next press there is not the manager's choice. */
  let placedFocus = false;

  const invites = pageInvites(ctl, deps);
  const who = () => {
    const inv = ctl.invite(id);
    return rowName(inv?.learnerName ?? facts.learnerName, inv?.courseTitle ?? facts.courseTitle);
  };

  act.addEventListener('click', (event) => {
    // A page script's .click() or forged event is not a user: it revokes nothing.
    // A double click's second click must not undo what its first one started.
    if (!deps.isTrusted(event) || (event as MouseEvent).detail > 1) return;
    const kind = ctl.phase(id).kind;
    if (kind !== 'idle' && kind !== 'failed') return;
    if (!place.holds()) return;
    if (!deps.gate.sees(event, control)) {
      ctl.refused(who(), placedFocus ? t('rowRefocus') : undefined);
      return;
    }
    const keyboard = actFocus.has();
    void ctl.revoke(id);
    if (keyboard && !undo.hidden) undo.focus();
  });
  undo.addEventListener('click', (event) => {
    if (deps.isTrusted(event) && (event as MouseEvent).detail <= 1) void ctl.undo(id);
  });
  root.addEventListener('focusout', () => {
    placedFocus = false;
  });

  function update(): number {
    const phase = ctl.phase(id);
    const now = ctl.portalNow();
    const sentAt = ctl.invite(id)?.sentAt ?? facts.sentAt;
    let next = Number.POSITIVE_INFINITY;
    let text = '';
    let tone = '';
    let action: 'revoke' | 'retry' | null = null;
    let undoing: 'ready' | 'busy' | null = null;

    /** Shows the expiry; true once the invite has expired (nothing left to revoke). */
    const countdown = () => {
      if (now === null || !sentAt) return false;
      text = formatCountdown(sentAt, now);
      // Red only within the renew window: what "Renew expiring" would renew.
      tone = isUrgent(sentAt, now, ctl.renewDays) ? 'urgent' : '';
      next = msUntilLabelChanges(sentAt, now) + 1;
      return isExpired(sentAt, now);
    };
    /** `words`: the countdown's, "Revoking in 4 s". */
    const inWindow = (startAt: number | null, words: MessageKey) => {
      const left = startAt === null ? 0 : startAt - Date.now();
      if (left <= 0) {
        text = t('rowRevoking');
        return false;
      }
      text = t(words, secondsLeft(startAt as number));
      next = Math.min(next, left % 1000 || 1000);
      return true;
    };

    const inviting = invites.row(id)?.phase;
    if (inviting === 'starting' || inviting === 'waiting' || inviting === 'running') {
      // The row's reassign or renew says what happens and when (invite-row.ts): one countdown.
    } else if (phase.kind === 'idle') {
      if (facts.status === 'pending') {
        action = countdown() ? null : 'revoke';
      }
    } else if (phase.kind === 'waiting') {
      if (inWindow(phase.startAt, 'rowRevokingIn')) {
        text += ' ·';
        undoing = 'ready';
      }
    } else if (phase.kind === 'undoing') {
      text = describe(phase);
      undoing = 'busy';
    } else if (phase.kind === 'queued') {
      inWindow(phase.startAt, 'rowQueuedIn');
    } else {
      text = describe(phase);
      if (phase.kind === 'revoked') tone = 'ok';
      if (phase.kind === 'failed') {
        tone = 'bad';
        action = 'retry';
      }
    }

    setText(note, text);
    setAttr(note, 'class', tone ? `note ${tone}` : 'note');
    show(note, text !== '');
    const undoHadFocus = undoFocus.has();
    show(act, action !== null);
    show(undo, undoing !== null);
    if (action === null) actFocus.clear();
    if (undoing === null) undoFocus.clear();
    // Followed like Revoke once it first shows (undoing needs no gate, but the page sees it the same way).
    if (undoing !== null) deps.gate.watch({ host, root, button: undo, place: place.cell });
    setAttr(undo, 'aria-disabled', undoing === 'busy' ? 'true' : null);
    if (undoing) setAttr(undo, 'aria-label', t('rowUndoLabel', who()));
    if (action) {
      const retry = action === 'retry';
      setText(act, t(retry ? 'rowRetry' : 'rowRevoke'));
      setAttr(act, 'aria-label', t(retry ? 'rowRetryLabel' : 'rowRevokeLabel', who()));
      if (undoHadFocus && undoing === null) {
        placedFocus = true;
        deps.gate.placeFocus(control);
      }
    }
    // Empty only when the row's reassign or renew has nothing to say either (it lives in this host).
    const empty = text === '' && action === null && undoing === null && inviting === undefined;
    setAttr(host, 'data-empty', empty ? '' : null);

    // Only over a row that still says pending: a row the portal shows accepted says so itself.
    const word = facts.status === 'pending' ? statusWord(phase) : null;
    if (!word) status = null;
    else {
      status ??= statusHost(scheme);
      status.word = word;
      setText(status.box, word);
    }

    const revoking = OURS_NOW.has(phase.kind);
    const ours = revoking || phase.kind === 'failed' || (phase.kind === 'idle' && facts.status === 'pending');
    if (!ours) portal = 'shown';
    else if (portalOnlyCancels && !ctl.showPortalCancel) portal = 'hidden';
    else portal = revoking ? 'inert' : 'shown';
    setAttr(host, 'data-portal', portal === 'hidden' ? 'hidden' : null);
    return next;
  }

  function setRow(nextStatus: RowFacts['status'], details: RowDetails | null): boolean {
    const changed =
      nextStatus !== facts.status ||
      (details !== null &&
        (details.sentAt !== facts.sentAt ||
          details.learnerName !== facts.learnerName ||
          details.courseTitle !== facts.courseTitle));
    if (changed) facts = { ...facts, ...details, inviteId: id, status: nextStatus };
    return changed;
  }

  function undoByEscape(): boolean {
    const kind = ctl.phase(id).kind;
    const inviting = invites.row(id);
    if (kind === 'waiting') void ctl.undo(id);
    else if (kind === 'queued') void ctl.all.undo();
    else if (inviting?.phase === 'waiting') void invites.undo(inviting);
    else return false;
    return true;
  }

  return {
    id,
    host,
    get status() {
      return status;
    },
    get portal() {
      return portal;
    },
    update,
    setRow,
    undoByEscape,
  };
}
