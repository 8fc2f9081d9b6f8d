/** The popup's own layout, on top of the shared page styles. */
export const popupCss = `
body { width: 380px; min-height: 200px; }
.top { display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 10px 12px 0; border-bottom: 1px solid var(--rc-border); }
.tabs { display: flex; gap: 2px; }
.tabs [role="tab"] { font: inherit; background: none; border: 0; border-bottom: 2px solid transparent;
  padding: 8px 8px 6px; color: var(--rc-muted); cursor: pointer; }
.tabs [role="tab"][aria-selected="true"] { color: var(--rc-fg); border-bottom-color: var(--rc-accent); font-weight: 600; }
main { padding: 12px; }
.stack { display: flex; flex-direction: column; gap: 10px; }
.row { display: flex; gap: 8px; flex-wrap: wrap; }
.undo-row { align-items: center; }
.totals, .report-counts { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin: 0; }
.report-counts { grid-template-columns: repeat(3, 1fr); }
.totals > div, .report-counts > div { background: var(--rc-surface); border: 1px solid var(--rc-border);
  border-radius: var(--rc-radius); padding: 8px 10px; }
.totals dt, .report-counts dt { font-size: 12px; color: var(--rc-muted); }
.totals dd, .report-counts dd { margin: 0; font-size: 20px; font-weight: 700; }
.filter { border: 0; padding: 0; margin: 0; display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
.filter .days { width: 4.5em; padding: 2px 6px; }
.courses-head { display: flex; align-items: center; justify-content: space-between; }
.courses { list-style: none; margin: 6px 0 0; padding: 0; border-top: 1px solid var(--rc-border); }
.course { display: flex; gap: 8px; align-items: flex-start; padding: 8px 0; border-bottom: 1px solid var(--rc-border); }
.course input { margin-top: 3px; }
.course-title { font-weight: 600; cursor: pointer; }
.course-facts { font-size: 12px; color: var(--rc-muted); }
.course-facts .soonest { display: block; }
.course-facts .rc-urgent { color: var(--rc-danger); }
.course input:disabled + div .course-title { cursor: default; color: var(--rc-muted); }
.course-facts .updated { display: block; }
.course-facts .stale { color: var(--rc-warn); }
.freshness { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; }
.freshness .failed { color: var(--rc-fg); }
.revoke { width: 100%; padding: 9px 12px; }
.failures { margin: 0; padding-left: 18px; }
.course-actions { display: flex; gap: 4px; flex-wrap: wrap; margin-top: 2px; }
.course-actions .rc-btn { font-size: 12px; }
.addresses { width: 100%; resize: vertical; font-size: 12px; }
.plan-list { margin: 0; padding-left: 18px; font-size: 12px; overflow-wrap: anywhere; }
.invite-lines td { font-size: 12px; overflow-wrap: anywhere; }
.invite-lines .detail, .invite-lines .seat-left { display: block; font-weight: normal; }
.invite-lines .seat-left { color: var(--rc-warn); font-weight: 600; }
.audit { table-layout: fixed; }
.audit th.when { width: 24%; }
.audit th.outcome { width: 30%; }
.audit td { font-size: 12px; overflow-wrap: anywhere; }
.audit .email, .audit .course { display: block; }
h2[tabindex="-1"]:focus { outline: none; }
.expiring-entry { align-self: flex-start; }
.expiring-row { display: flex; gap: 8px; align-items: flex-start; padding: 8px 0; border-bottom: 1px solid var(--rc-border); }
.expiring-row input[type="checkbox"] { margin-top: 3px; }
.expiring-row .learner { font-weight: 600; cursor: pointer; }
.expiring-row .email, .expiring-row .course, .expiring-row .soonest { display: block; overflow-wrap: anywhere; }
.expiring-row .course-facts .rc-urgent { color: var(--rc-danger); }
.reassign { display: flex; flex-direction: column; gap: 4px; margin-top: 4px; font-size: 12px; }
.reassign .rc-input { flex: 1; min-width: 0; font-size: 12px; }
.select-all { display: flex; align-items: center; gap: 4px; margin: 0; }
.watch-note { font-size: 12px; }
`;
