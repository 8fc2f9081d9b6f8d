/** One invite row's control: expiry countdown, one-click Revoke with Undo, and the outcome. */

import { formatCountdown, isUrgent, msUntilLabelChanges } from '../../shared/expiry';
import type { InviteStatus } from '../../shared/types';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { h, setAttr, setText, show } from './h';
import { createInviteRow } from './invite-row';
import { describe } from './phases';
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

export interface RowView {
  readonly id: string;
  readonly host: HTMLElement;
  /** Renders from the controller's state; returns ms until a label changes by itself. */
  update(): number;
  /**
   * What a re-rendered row says now: its status, and the rest when it was read (null keeps what
   * was read before). True when that differs from what the control last knew.
   */
  setRow(status: RowFacts['status'], details: RowDetails | null): boolean;
}

/** The inside of every row control (as few nodes as it can be: each one costs on every move), built once and cloned. */
let template: DocumentFragment | null = null;

export function createRowView(
  initial: RowFacts,
  ctl: Controller,
  deps: ContentDeps,
  scheme: Scheme,
  place: RowPlace,
): RowView {
  const id = initial.inviteId;
  let facts = initial;
  const { host, root } = makeHost('row', scheme);
  if (!template) {
    template = document.createDocumentFragment();
    template.append(h('span', { class: 'note' }), h('button', { type: 'button' }));
  }
  const tree = template.cloneNode(true) as DocumentFragment;
  const note = tree.firstElementChild as HTMLSpanElement;
  const button = tree.lastElementChild as HTMLButtonElement;
  root.append(tree);
  const control = { host, root, button, place: place.cell };
  deps.gate.watch(control);
  root.append(createInviteRow(id, ctl, deps, scheme).host);

  const who = () => {
    const inv = ctl.invite(id);
    return [inv?.learnerName ?? facts.learnerName, inv?.courseTitle ?? facts.courseTitle]
      .filter(Boolean)
      .join(', ');
  };

  button.addEventListener('click', (event) => {
    // A page script's .click() or forged event is not a user: it revokes nothing.
    // A double click's second click must not undo what its first one started.
    if (!deps.isTrusted(event) || (event as MouseEvent).detail > 1) return;
    const phase = ctl.phase(id);
    if (phase.kind === 'waiting') void ctl.undo(id, who());
    else if (phase.kind !== 'idle' && phase.kind !== 'failed') return;
    else if (!place.holds()) return;
    else if (deps.gate.sees(event, control)) void ctl.revoke(id, who());
    else ctl.refused(who());
  });

  function update(): number {
    const phase = ctl.phase(id);
    const now = ctl.portalNow();
    const sentAt = ctl.invite(id)?.sentAt ?? facts.sentAt;
    const pendingRow = facts.status === 'pending';
    let next = Number.POSITIVE_INFINITY;
    let text = '';
    let tone = '';
    let action: 'revoke' | 'undo' | 'retry' | 'wait' | null = null;
    let undoLeft = 0;

    const countdown = () => {
      if (now === null || !sentAt) return;
      text = formatCountdown(sentAt, now);
      tone = isUrgent(sentAt, now) ? 'urgent' : '';
      next = msUntilLabelChanges(sentAt, now) + 1;
    };

    if (phase.kind === 'idle') {
      if (facts.status === 'accepted') text = describe({ kind: 'kept' });
      else if (pendingRow) {
        countdown();
        action = text === 'expired' ? null : 'revoke';
      }
    } else if (phase.kind === 'starting') {
      countdown();
      action = 'wait';
    } else if (phase.kind === 'waiting') {
      countdown();
      const left = phase.startAt - Date.now();
      if (left > 0) {
        action = 'undo';
        undoLeft = Math.ceil(left / 1000);
        next = Math.min(next, left % 1000 || 1000);
      } else text = describe({ kind: 'running', note: null });
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
    show(button, action !== null);
    if (action) {
      const name = who();
      const [label, aria, cls] =
        action === 'undo'
          ? [`Undo (${undoLeft})`, `Undo revoke: ${name}`, 'undo']
          : action === 'retry'
            ? ['Retry', `Retry revoke: ${name}`, '']
            : ['Revoke', `Revoke invite: ${name}`, ''];
      setText(button, label);
      setAttr(button, 'aria-label', aria);
      setAttr(button, 'class', cls || null);
      // Never `disabled`: that would drop the keyboard focus the manager needs for Undo.
      setAttr(button, 'aria-disabled', action === 'wait' ? 'true' : null);
    }
    return next;
  }

  function setRow(status: RowFacts['status'], details: RowDetails | null): boolean {
    const changed =
      status !== facts.status ||
      (details !== null &&
        (details.sentAt !== facts.sentAt ||
          details.learnerName !== facts.learnerName ||
          details.courseTitle !== facts.courseTitle));
    if (changed) facts = { ...facts, ...details, inviteId: id, status };
    return changed;
  }

  return { id, host, update, setRow };
}
