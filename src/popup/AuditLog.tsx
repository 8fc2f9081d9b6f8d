/** The audit view: the latest revokes and invites from any surface, and the CSV export. */

import { useApp } from './context';
import { OUTCOME_LABEL, REASON_LABEL, when } from './format';

export function AuditLog() {
  const audit = useApp((s) => s.audit);
  const auditError = useApp((s) => s.auditError);
  const exportCsv = useApp((s) => s.exportCsv);
  const exportStatus = useApp((s) => s.exportStatus);
  return (
    <section class="stack" aria-labelledby="audit-title">
      <div class="courses-head">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" class="rc-btn" onClick={() => void exportCsv()}>
          Export CSV
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
        <p class="rc-muted">Loading…</p>
      ) : audit.length === 0 ? (
        <p class="rc-muted">No revokes recorded yet.</p>
      ) : (
        <table class="rc-table audit">
          <caption class="rc-visually-hidden">Latest {audit.length} audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Learner</th>
              <th scope="col">Course</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((e) => (
              <tr key={e.id ?? `${e.at}-${e.inviteId}`} data-invite-id={e.inviteId}>
                <td>
                  <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>
                </td>
                <td>
                  {e.learnerName}
                  <span class="rc-muted email">{e.learnerEmail}</span>
                </td>
                <td>{e.courseTitle}</td>
                <td title={e.detail ?? undefined}>
                  {OUTCOME_LABEL[e.outcome] ?? e.outcome}
                  {e.reason && <span class="rc-muted email">{REASON_LABEL[e.reason]}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
