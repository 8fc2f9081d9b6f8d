/**
 * "Invite and make room" for one course: paste addresses, see the plan (nothing is sent), then
 * one click starts it with Undo. Long lists show their first entries and how many more: a plan
 * of thousands of addresses renders as fast as one of ten.
 */
import { useEffect, useRef } from 'preact/hooks';
import { dateTime, num, t, tn } from '../shared/i18n';
import type { InvitePlan } from '../shared/invite-work';
import { useApp } from './context';

/** How many entries of each list the plan shows. */
const SHOWN = 20;

function Some<T>({ items, render, label }: { items: readonly T[]; render: (x: T) => string; label: string }) {
  if (items.length === 0) return null;
  return (
    <ul class="plan-list" aria-label={label}>
      {items.slice(0, SHOWN).map((x, k) => (
        <li key={k}>{render(x)}</li>
      ))}
      {items.length > SHOWN && <li class="rc-muted">{t('workAndMore', items.length - SHOWN)}</li>}
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
      <dl class="report-counts" aria-label={t('workPlan')}>
        <div>
          <dt>{t('workPlanNew')}</dt>
          <dd data-testid="plan-new">{fresh}</dd>
        </div>
        <div>
          <dt>{t('workPlanFree')}</dt>
          <dd data-testid="plan-free">{plan.free}</dd>
        </div>
        <div>
          <dt>{t('workPlanRevokes')}</dt>
          <dd data-testid="plan-revokes">{plan.revokes.length}</dd>
        </div>
      </dl>
      <p class="rc-muted">
        {plan.minAgeDays > 0
          ? tn(
              'workPlanSeatsOld',
              plan.seats.available,
              plan.courseTitle,
              plan.seats.total,
              tn('workDays', plan.minAgeDays),
            )
          : tn('workPlanSeats', plan.seats.available, plan.courseTitle, plan.seats.total)}
      </p>
      {plan.unseated.length > 0 && (
        <div class="rc-note rc-note-warn stack" data-testid="plan-unseated">
          <p>{tn('workUnseated', plan.unseated.length, plan.revocable)}</p>
          <Some items={plan.unseated} render={(e) => e} label={t('workPlanUnseated')} />
        </div>
      )}
      {plan.revokes.length > 0 && (
        <div class="stack">
          <h3>{t('workPlanRevokedTitle')}</h3>
          <Some
            items={plan.revokes}
            render={(r) =>
              t('workPlanRevokeLine', r.learnerName, r.learnerEmail, dateTime(Date.parse(r.sentAt)), r.for)
            }
            label={t('workPlanRevoked')}
          />
        </div>
      )}
      {plan.holding.length > 0 && (
        <div class="stack" data-testid="plan-holding">
          <h3>{t('workPlanHoldingTitle')}</h3>
          <Some
            items={plan.holding}
            render={(h) => t(h.status === 'accepted' ? 'workHoldingAccepted' : 'workHoldingPending', h.email)}
            label={t('workPlanHolding')}
          />
        </div>
      )}
      {plan.malformed.length > 0 && (
        <div class="rc-note rc-note-danger stack" data-testid="plan-malformed">
          <h3>{t('workPlanMalformedTitle')}</h3>
          <Some
            items={plan.malformed}
            render={(m) => t('workPlanMalformedLine', m.text, m.reason)}
            label={t('workPlanMalformed')}
          />
        </div>
      )}
      {plan.repeated.length > 0 && (
        <div class="stack" data-testid="plan-repeated">
          <h3>{t('workPlanRepeatedTitle')}</h3>
          <Some
            items={plan.repeated}
            render={(r) => `${r.email} ×${num(r.times)}`}
            label={t('workPlanRepeated')}
          />
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
      <h2 id="invite-title">{t('workInviteTitle', draft.courseTitle)}</h2>
      <label for="invite-addresses">{t('workInviteAddresses')}</label>
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
            {plan.revokes.length > 0
              ? tn(
                  'workInviteStartRevoke',
                  plan.toInvite.length,
                  tn('workPendingInvites', plan.revokes.length),
                  plan.courseTitle,
                )
              : tn('workInviteStart', plan.toInvite.length, plan.courseTitle)}
          </button>
        ) : (
          <button
            type="button"
            class="rc-btn rc-btn-primary"
            disabled={draft.busy || draft.text.trim() === ''}
            onClick={() => void planInvites()}
          >
            {draft.busy ? t('workPlanning') : t('workShowPlan')}
          </button>
        )}
        <button type="button" class="rc-btn" onClick={close}>
          {t('workCancel')}
        </button>
      </div>
      <p class="rc-muted">{t('workInviteNothingSent')}</p>
    </section>
  );
}
