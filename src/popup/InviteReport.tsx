/**
 * The report of a job that invites: what became of each address and of each invite revoked for
 * it, seats freed and not filled first (with why), then the rest, a page at a time.
 */
import { useState } from 'preact/hooks';
import type { InviteLine, JobView } from '../shared/types';
import { OUTCOME_LABEL } from './format';

const PAGE = 50;

/** Lines that need the manager's eye come first: a seat left free, a failure, nothing sent. */
function rank(line: InviteLine): number {
  if (line.seatLeftFree) return 0;
  if (line.outcome === 'failed') return 1;
  return line.outcome === 'invited' ? 3 : 2;
}

const label = (outcome: string): string => OUTCOME_LABEL[outcome as keyof typeof OUTCOME_LABEL] ?? outcome;

export function InviteCounts({ view }: { view: JobView }) {
  const c = view.counts;
  const seatsLeft = (view.lines ?? []).filter((l) => l.seatLeftFree).length;
  return (
    <dl class="report-counts">
      <div>
        <dt>Invited</dt>
        <dd data-testid="report-invited">{c.invited}</dd>
      </div>
      <div>
        <dt>Revoked</dt>
        <dd data-testid="report-revoked">{view.seatsReturnedByCourse.reduce((n, s) => n + s.seats, 0)}</dd>
      </div>
      <div>
        <dt>Seats left free</dt>
        <dd data-testid="report-seats-left">{seatsLeft}</dd>
      </div>
      <div>
        <dt>Already invited</dt>
        <dd data-testid="report-already">{c.alreadyInvited}</dd>
      </div>
      <div>
        <dt>Not invited</dt>
        <dd data-testid="report-not-invited">{c.notInvited + c.keptAccepted + c.alreadyGone}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd data-testid="report-failed">{c.failed}</dd>
      </div>
    </dl>
  );
}

export function InviteLines({ lines }: { lines: readonly InviteLine[] }) {
  const [shown, setShown] = useState(PAGE);
  const sorted = [...lines].sort((a, b) => rank(a) - rank(b));
  return (
    <div class="stack">
      <table class="rc-table invite-lines">
        <caption class="rc-visually-hidden">Each address and the invite revoked for it</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Outcome</th>
            <th scope="col">Invite revoked</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, shown).map((l) => (
            <tr key={l.key} data-email={l.email} data-outcome={l.outcome}>
              <td>{l.email}</td>
              <td title={l.detail ?? undefined}>
                {label(l.outcome)}
                {l.seatLeftFree && <span class="rc-urgent seat-left">Seat left free: {l.seatLeftFree}</span>}
                {!l.seatLeftFree && l.outcome !== 'invited' && l.detail && (
                  <span class="rc-muted detail">{l.detail}</span>
                )}
              </td>
              <td>
                {l.revoked ? (
                  <>
                    {l.revoked.learnerName} <span class="rc-muted detail">{label(l.revoked.outcome)}</span>
                  </>
                ) : (
                  <span class="rc-muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown && (
        <button type="button" class="rc-btn rc-btn-quiet" onClick={() => setShown(shown + PAGE * 4)}>
          Show more ({sorted.length - shown} left)
        </button>
      )}
    </div>
  );
}
