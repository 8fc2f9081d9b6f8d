/** The popup: Overview (courses, revoke, job) and Audit log, as two tabs. */
import { useRef } from 'preact/hooks';
import { t } from '../shared/i18n';
import { AuditLog } from './AuditLog';
import { useApp } from './context';
import { EnableSite } from './EnableSite';
import { ExpiringSoon } from './ExpiringSoon';
import { InvitePanel } from './InvitePanel';
import { JobPanel } from './JobPanel';
import { Courses, NoOrigin, NoPortalYet, SignedOut } from './Overview';
import type { View } from './state';

/** The tabs, their labels read when drawn (in the browser's language). */
const TABS: { id: View; label: () => string }[] = [
  { id: 'overview', label: () => t('popupPendingInvites') },
  { id: 'audit', label: () => t('popupTabAudit') },
];

function Tabs() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(i + step + TABS.length) % TABS.length];
    if (!next) return;
    setView(next.id);
    refs.current[TABS.indexOf(next)]?.focus();
  };
  return (
    <div role="tablist" aria-label={t('popupTabs')} class="tabs">
      {TABS.map((tab, i) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={view === tab.id}
          aria-controls={`panel-${tab.id}`}
          tabIndex={view === tab.id ? 0 : -1}
          ref={(el) => {
            refs.current[i] = el;
          }}
          onClick={() => setView(tab.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {tab.label()}
        </button>
      ))}
    </div>
  );
}

function OverviewPanel() {
  const settings = useApp((s) => s.settings);
  const signedIn = useApp((s) => s.signedIn);
  const job = useApp((s) => s.job);
  const starting = useApp((s) => s.starting !== null);
  const noPortal = useApp((s) => s.noPortal);
  const overview = useApp((s) => s.overview);
  const refreshing = useApp((s) => s.refreshing);
  const refreshError = useApp((s) => s.refreshError);
  const inviting = useApp((s) => s.inviting !== null);
  const expiringOpen = useApp((s) => s.expiringOpen);
  if (settings && settings.origins.length === 0) return <NoOrigin />;
  // Nothing cached and no portal answered: no empty totals, say what to do instead.
  const nothingYet = !job && !starting && !overview?.courses.length && !refreshing;
  if (nothingYet && (noPortal || refreshError)) return <NoPortalYet reason={refreshError} />;
  if (signedIn === false && job?.job.state !== 'signed-out') return <SignedOut />;
  if (job || starting) return <JobPanel view={job} />;
  if (inviting) return <InvitePanel />;
  if (expiringOpen) return <ExpiringSoon />;
  return <Courses />;
}

export function App() {
  const view = useApp((s) => s.view);
  return (
    <>
      <header class="top">
        <h1>{t('extName')}</h1>
        <Tabs />
      </header>
      <main>
        <EnableSite />
        <div id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`}>
          {view === 'overview' ? <OverviewPanel /> : <AuditLog />}
        </div>
      </main>
    </>
  );
}
