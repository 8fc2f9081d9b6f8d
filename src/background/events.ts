/**
 * What each open view is told on the events port. Extension pages get every event. A portal
 * page gets only what concerns the learner or course it shows: its own jobs, and cache changes
 * of its learner or course, named alone (never the other learners or courses of the change). It
 * gets no session news: its controls do not use them, and the portal's own page notices a
 * sign-out first.
 */
import type { BackgroundEvent } from '../shared/messages';
import { coveringJob, coversPage } from './page-jobs';
import { type Caller, mayControl } from './router';

export function eventFor(caller: Caller, event: BackgroundEvent): BackgroundEvent | null {
  if (caller.kind === 'extension') return event;
  if (caller.kind !== 'content' || !caller.context) return null;
  switch (event.type) {
    case 'job': {
      const job = event.view.job;
      if (mayControl(caller, job)) return event;
      return coversPage(caller, job) ? { type: 'covering-job', job: coveringJob(job, caller) } : null;
    }
    case 'covering-job':
      return null;
    case 'invites-changed': {
      if (event.origin !== caller.origin) return null;
      const page = caller.context;
      const mine =
        page.kind === 'course'
          ? event.courseIds.includes(page.courseId)
          : event.learnerIds.includes(page.learnerId);
      if (!mine) return null;
      return page.kind === 'course'
        ? { type: 'invites-changed', origin: event.origin, courseIds: [page.courseId], learnerIds: [] }
        : { type: 'invites-changed', origin: event.origin, courseIds: [], learnerIds: [page.learnerId] };
    }
    case 'session':
      return null;
  }
}
