/**
 * The popup's jobs that invite: "Renew expiring (N)" per course, and "Invite and make room": a
 * paste, its plan from the background (nothing sent), then the job, in its Undo window, which
 * the popup shows like any job (job-actions.ts keeps it in step).
 */
import type { StoreApi } from 'zustand/vanilla';
import { MAX_PASTE_CHARS } from '../shared/invite-work';
import type { Request } from '../shared/messages';
import { errorText } from './selectors';
import type { InviteDraft, PopupActions, PopupDeps, PopupState } from './state';

type Api = StoreApi<PopupState & PopupActions>;

export function inviteActions(deps: PopupDeps, set: Api['setState'], get: Api['getState']) {
  const draft = (patch: Partial<InviteDraft>) => {
    const d = get().inviting;
    if (d) set({ inviting: { ...d, ...patch } });
  };

  /** Starts a job that invites; on success the popup shows it (and the panel closes). */
  const start = async (work: Extract<Request, { type: 'invite.start' }>['work']): Promise<string | null> => {
    set({ jobBusy: true, jobError: null, notice: null });
    const reply = await deps.send({ type: 'invite.start', work });
    set({ jobBusy: false });
    if (!reply.ok) {
      if (reply.error.kind === 'signed-out') set({ signedIn: false });
      return errorText(reply.error);
    }
    set({ job: reply.value, inviting: null });
    return null;
  };

  return {
    async renewExpiring(courseId: string) {
      if (get().jobBusy) return;
      const withinDays = get().settings?.renewDays ?? 3;
      const error = await start({ kind: 'renew-expiring', courseId, withinDays });
      if (error) set({ jobError: error });
    },

    openInvite(courseId: string) {
      const course = get().overview?.courses.find((c) => c.courseId === courseId);
      if (!course) return;
      set({
        inviting: {
          courseId,
          courseTitle: course.title,
          text: '',
          plan: null,
          plannedText: null,
          busy: false,
          error: null,
        },
        jobError: null,
        notice: null,
      });
    },

    closeInvite() {
      set({ inviting: null });
    },

    setInviteText(text: string) {
      draft({ text, error: null });
    },

    async planInvites() {
      const d = get().inviting;
      if (!d || d.busy) return;
      if (d.text.length > MAX_PASTE_CHARS) {
        draft({ error: 'That paste is too long: paste at most 10,000 addresses at a time.', plan: null });
        return;
      }
      const text = d.text;
      draft({ busy: true, error: null });
      const reply = await deps.send({
        type: 'invite.plan',
        courseId: d.courseId,
        text,
        minAgeDays: get().minAgeDays,
      });
      if (get().inviting?.courseId !== d.courseId) return; // closed meanwhile
      if (!reply.ok) draft({ busy: false, error: errorText(reply.error), plan: null });
      else draft({ busy: false, plan: reply.value, plannedText: text });
    },

    async startInvites() {
      const d = get().inviting;
      const plan = d?.plan;
      if (!d || !plan || plan.problem || d.plannedText !== d.text || d.busy || get().jobBusy) return;
      const error = await start({
        kind: 'make-room',
        courseId: plan.courseId,
        emails: plan.addresses,
        revokeIds: plan.revokes.map((r) => r.inviteId),
        minAgeDays: plan.minAgeDays,
      });
      // A refusal (the course changed since the plan) keeps the panel, with the reason, to plan again.
      if (error) draft({ error, plan: null, plannedText: null });
    },
  } satisfies Partial<PopupActions>;
}
