/**
 * The audit view: the latest revokes and invites from any surface, and the CSV export. Three
 * columns, the invite's learner, address and course stacked in one, so the table fits the
 * popup's width whatever their length (long words wrap; nothing is clipped).
 */

import { dateTime, t, tn } from '../shared/i18n';
import { useApp } from './context';
import { outcomeLabel, reasonLabel } from './format';

export function AuditLog() {
  const audit = useApp((s) => s.audit);
  const auditError = useApp((s) => s.auditError);
  const exportCsv = useApp((s) => s.exportCsv);
  const exportStatus = useApp((s) => s.exportStatus);
  return (
    <section class="stack" aria-labelledby="audit-title">
      <div class="courses-head">
        <h2 id="audit-title">{t('auditTitle')}</h2>
        <button type="button" class="rc-btn" onClick={() => void exportCsv()}>
          {t('auditExport')}
        </button>
      </div>
      <p class="rc-muted" role="status">
        {exportStatus ?? ''}
      </p>
      {auditError && (
        <p class="rc-note rc-note-danger" role="alert">
          {auditError}
        </p>
      )}
      {audit === null ? (
        <p class="rc-muted">{t('auditLoading')}</p>
      ) : audit.length === 0 ? (
        <p class="rc-muted">{t('auditEmpty')}</p>
      ) : (
        <table class="rc-table audit">
          <caption class="rc-visually-hidden">{tn('auditCaption', audit.length)}</caption>
          <thead>
            <tr>
              <th scope="col" class="when">
                {t('auditWhen')}
              </th>
              <th scope="col">{t('auditInvite')}</th>
              <th scope="col" class="outcome">
                {t('outcomeHeading')}
              </th>
            </tr>
          </thead>
          <tbody>
            {audit.map((e) => (
              <tr key={e.id ?? `${e.at}-${e.inviteId}`} data-invite-id={e.inviteId}>
                <td>
                  <time dateTime={new Date(e.at).toISOString()}>{dateTime(e.at)}</time>
                </td>
                <td>
                  {e.learnerName}
                  <span class="rc-muted email">{e.learnerEmail}</span>
                  <span class="course">{e.courseTitle}</span>
                </td>
                <td title={e.detail ?? undefined}>
                  {outcomeLabel(e.outcome)}
                  {e.reason && <span class="rc-muted email">{reasonLabel(e.reason)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
