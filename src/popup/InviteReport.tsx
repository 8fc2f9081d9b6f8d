/**
 * The report of a job that invites: what became of each address and of each invite revoked for
 * it, seats freed and not filled first (with why), then the rest, a page at a time.
 */
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import type { InviteLine, JobView } from '../shared/types';
import { failureWords } from '../shared/ui/failure-words';
import type { Count } from './Counts';
import { outcomeLabel } from './format';

const PAGE = 50;

/** Lines that need the manager's eye come first: a seat left free, a failure, nothing sent. */
function rank(line: InviteLine): number {
  if (line.seatLeftFree) return 0;
  if (line.outcome === 'failed') return 1;
  return line.outcome === 'invited' ? 3 : 2;
}

/** What became of the job's addresses and the invites revoked for them, as a report line's counts. */
export function inviteCounts(view: JobView): Count[] {
  const c = view.counts;
  const seatsLeft = (view.lines ?? []).filter((l) => l.seatLeftFree).length;
  const revoked = view.seatsReturnedByCourse.reduce((n, s) => n + s.seats, 0);
  const notInvited = c.notInvited + c.keptAccepted + c.alreadyGone;
  return [
    [c.invited, 'outcomeCountInvited', 'report-invited'],
    [revoked, 'outcomeCountRevoked', 'report-revoked'],
    [seatsLeft, 'outcomeCountSeatsLeft', 'report-seats-left'],
    [c.alreadyInvited, 'outcomeCountAlreadyInvited', 'report-already'],
    [notInvited, 'outcomeCountNotInvited', 'report-not-invited'],
    [c.failed, 'outcomeCountFailed', 'report-failed'],
  ];
}

/**
 * Why a line failed, in a manager's words: its cancel, when the seat was never freed (the
 * revoked invite's outcome is the item's own), else its invite.
 */
function failedWords(line: InviteLine, detail: string): string {
  return failureWords(detail, line.revoked?.outcome === 'failed' ? 'cancel' : 'invite');
}

export function InviteLines({ lines }: { lines: readonly InviteLine[] }) {
  const [shown, setShown] = useState(PAGE);
  const sorted = [...lines].sort((a, b) => rank(a) - rank(b));
  return (
    <div class="stack">
      <table class="rc-table invite-lines">
        <caption class="rc-visually-hidden">{t('workLinesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('workLinesAddress')}</th>
            <th scope="col">{t('outcomeHeading')}</th>
            <th scope="col">{t('workLinesRevoked')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, shown).map((l) => (
            <tr key={l.key} data-email={l.email} data-outcome={l.outcome}>
              <td>{l.email}</td>
              <td title={l.detail ?? undefined}>
                {outcomeLabel(l.outcome)}
                {l.seatLeftFree && (
                  <span class="seat-left">
                    {t(
                      'workSeatLeftFree',
                      l.outcome === 'failed' ? failedWords(l, l.seatLeftFree) : l.seatLeftFree,
                    )}
                  </span>
                )}
                {!l.seatLeftFree && l.outcome !== 'invited' && l.detail && (
                  <span class="rc-muted detail">
                    {l.outcome === 'failed' ? failedWords(l, l.detail) : l.detail}
                  </span>
                )}
              </td>
              <td>
                {l.revoked ? (
                  <>
                    {l.revoked.learnerName}{' '}
                    <span class="rc-muted detail">{outcomeLabel(l.revoked.outcome)}</span>
                  </>
                ) : (
                  <span class="rc-muted">{t('workLinesNone')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown && (
        <button type="button" class="rc-btn rc-btn-quiet" onClick={() => setShown(shown + PAGE * 4)}>
          {t('workShowMore', sorted.length - shown)}
        </button>
      )}
    </div>
  );
}
