/**
 * The popup's jobs that invite: "Renew expiring (N)" per course, and "Invite and make room": a
 * paste, its plan from the background (nothing sent), then the job, in its Undo window from the
 * click on, which the popup shows like any job (job-actions.ts starts it and keeps it in step).
 */
import type { StoreApi } from 'zustand/vanilla';
import { t } from '../shared/i18n';
import { MAX_PASTE_CHARS, MAX_PASTED_ADDRESSES } from '../shared/invite-work';
import type { Request } from '../shared/messages';
import { doingWords } from '../shared/ui/job-words';
import type { StartRequest } from './job-actions';
import { couldNot } from './selectors';
import type { InviteDraft, PopupActions, PopupDeps, PopupState } from './state';

type Api = StoreApi<PopupState & PopupActions>;
type Launch = (request: StartRequest, doing: string) => Promise<string | null>;

export function inviteActions(deps: PopupDeps, set: Api['setState'], get: Api['getState'], launch: Launch) {
  const draft = (patch: Partial<InviteDraft>) => {
    const d = get().inviting;
    if (d) set({ inviting: { ...d, ...patch } });
  };

  /** Starts a job that invites; once it has started the make-room panel closes. */
  const start = async (
    work: Extract<Request, { type: 'invite.start' }>['work'],
    doing: string,
  ): Promise<string | null> => {
    const error = await launch({ type: 'invite.start', work }, doing);
    if (!error) set({ inviting: null });
    return error;
  };

  return {
    async renewExpiring(courseId: string) {
      const course = get().overview?.courses.find((c) => c.courseId === courseId);
      const withinDays = get().settings?.renewDays ?? 3;
      const doing = doingWords('renew', course?.expiring ?? 0);
      const error = await start({ kind: 'renew-expiring', courseId, withinDays }, doing);
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
        draft({ error: t('workPasteTooLong', MAX_PASTED_ADDRESSES), plan: null });
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
      if (!reply.ok) draft({ busy: false, error: couldNot('plan', reply.error), plan: null });
      else draft({ busy: false, plan: reply.value, plannedText: text });
    },

    async startInvites() {
      const d = get().inviting;
      const plan = d?.plan;
      if (!d || !plan || plan.problem || d.plannedText !== d.text || d.busy) return;
      const error = await start(
        {
          kind: 'make-room',
          courseId: plan.courseId,
          emails: plan.addresses,
          revokeIds: plan.revokes.map((r) => r.inviteId),
          minAgeDays: plan.minAgeDays,
        },
        doingWords('make-room', plan.toInvite.length + plan.unseated.length),
      );
      // A refusal (the course changed since the plan) keeps the panel, with the reason, to plan again.
      if (error) draft({ error, plan: null, plannedText: null });
    },
  } satisfies Partial<PopupActions>;
}
