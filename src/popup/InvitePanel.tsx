/**
 * "Invite and make room" for one course: paste addresses, see the plan (nothing is sent), then
 * one click starts it with Undo. Long lists show their first entries and how many more: a plan
 * of thousands of addresses renders as fast as one of ten.
 */
import { useEffect, useRef } from 'preact/hooks';
import { dateTime } from '../shared/i18n';
import type { InvitePlan } from '../shared/invite-work';
import { useApp } from './context';
import { plural } from './format';

/** How many entries of each list the plan shows. */
const SHOWN = 20;

function Some<T>({ items, render, label }: { items: readonly T[]; render: (x: T) => string; label: string }) {
  if (items.length === 0) return null;
  return (
    <ul class="plan-list" aria-label={label}>
      {items.slice(0, SHOWN).map((x, k) => (
        <li key={k}>{render(x)}</li>
      ))}
      {items.length > SHOWN && <li class="rc-muted">and {items.length - SHOWN} more</li>}
    </ul>
  );
}

function Plan({ plan }: { plan: InvitePlan }) {
  const fresh = plan.toInvite.length + plan.unseated.length;
  return (
    <div class="stack" data-testid="plan">
      {plan.problem && (
        <p class="rc-note rc-note-danger" role="alert" data-testid="plan-problem">
          {plan.problem}
        </p>
      )}
      <dl class="report-counts" aria-label="Plan">
        <div>
          <dt>New addresses</dt>
          <dd data-testid="plan-new">{fresh}</dd>
        </div>
        <div>
          <dt>Free seats used</dt>
          <dd data-testid="plan-free">{plan.free}</dd>
        </div>
        <div>
          <dt>Invites to revoke</dt>
          <dd data-testid="plan-revokes">{plan.revokes.length}</dd>
        </div>
      </dl>
      <p class="rc-muted">
        {plan.courseTitle}: {plural(plan.seats.available, 'seat', 'seats')} free of {plan.seats.total}
        {plan.minAgeDays > 0 ? `; only invites sent more than ${plan.minAgeDays} days ago are revoked` : ''}.
      </p>
      {plan.unseated.length > 0 && (
        <div class="rc-note rc-note-warn stack" data-testid="plan-unseated">
          <p>
            {plural(plan.unseated.length, 'address stays', 'addresses stay')} without a seat: no free seat or
            invite left to revoke ({plan.revocable} could be).
          </p>
          <Some items={plan.unseated} render={(e) => e} label="Without a seat" />
        </div>
      )}
      {plan.revokes.length > 0 && (
        <div class="stack">
          <h3>Revoked to make room (oldest first)</h3>
          <Some
            items={plan.revokes}
            render={(r) =>
              `${r.learnerName} <${r.learnerEmail}>, sent ${dateTime(Date.parse(r.sentAt))} → ${r.for}`
            }
            label="Revoked to make room"
          />
        </div>
      )}
      {plan.holding.length > 0 && (
        <div class="stack" data-testid="plan-holding">
          <h3>Already invited (nothing sent)</h3>
          <Some items={plan.holding} render={(h) => `${h.email} (${h.status})`} label="Already invited" />
        </div>
      )}
      {plan.malformed.length > 0 && (
        <div class="rc-note rc-note-danger stack" data-testid="plan-malformed">
          <h3>Not addresses (never sent)</h3>
          <Some items={plan.malformed} render={(m) => `${m.text}: ${m.reason}`} label="Not addresses" />
        </div>
      )}
      {plan.repeated.length > 0 && (
        <div class="stack" data-testid="plan-repeated">
          <h3>Given more than once (invited once)</h3>
          <Some items={plan.repeated} render={(r) => `${r.email} ×${r.times}`} label="Repeated" />
        </div>
      )}
    </div>
  );
}

export function InvitePanel() {
  const draft = useApp((s) => s.inviting);
  const setText = useApp((s) => s.setInviteText);
  const planInvites = useApp((s) => s.planInvites);
  const start = useApp((s) => s.startInvites);
  const close = useApp((s) => s.closeInvite);
  const jobBusy = useApp((s) => s.jobBusy);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => areaRef.current?.focus(), []);
  if (!draft) return null;
  const plan = draft.plan;
  const current = plan !== null && draft.plannedText === draft.text;
  const sendable = current && !plan.problem && plan.toInvite.length > 0;
  return (
    <section class="stack" aria-labelledby="invite-title" data-testid="invite-panel">
      <h2 id="invite-title">Invite and make room: {draft.courseTitle}</h2>
      <label for="invite-addresses">
        E-mail addresses, one per line or separated by commas or semicolons (“Name &lt;address&gt;” too)
      </label>
      <textarea
        id="invite-addresses"
        ref={areaRef}
        class="rc-input addresses"
        rows={6}
        value={draft.text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      {draft.error && (
        <p class="rc-note rc-note-danger" role="alert">
          {draft.error}
        </p>
      )}
      {plan && current && <Plan plan={plan} />}
      <div class="row">
        {sendable ? (
          <button type="button" class="rc-btn rc-btn-primary" disabled={jobBusy} onClick={() => void start()}>
            Invite {plural(plan.toInvite.length, 'address', 'addresses')}
            {plan.revokes.length > 0
              ? ` and revoke ${plural(plan.revokes.length, 'pending invite', 'pending invites')}`
              : ''}{' '}
            in {plan.courseTitle}
          </button>
        ) : (
          <button
            type="button"
            class="rc-btn rc-btn-primary"
            disabled={draft.busy || draft.text.trim() === ''}
            onClick={() => void planInvites()}
          >
            {draft.busy ? 'Planning…' : 'Show the plan'}
          </button>
        )}
        <button type="button" class="rc-btn" onClick={close}>
          Cancel
        </button>
      </div>
      <p class="rc-muted">
        Nothing is sent before you start, and you can still undo for a few seconds after.
      </p>
    </section>
  );
}
