/**
 * Every URL the extension knows on the portal: page patterns and API paths.
 *
 * Examples (reference portal):
 *   /manager/learners/l-7?tab=invite-history            learner page, Invite History tab
 *   /manager/licenses/c-3/distribute?tab=usage&page=2   course Distribute page, Usage tab
 */
export const pages = {
  login: '/login',
  learners: '/manager/learners',
  licenses: '/manager/licenses',
  learner: (learnerId: string) => `/manager/learners/${encodeURIComponent(learnerId)}?tab=invite-history`,
  usage: (courseId: string) => `/manager/licenses/${encodeURIComponent(courseId)}/distribute?tab=usage`,
} as const;

const LEARNER_PAGE = /^\/manager\/learners\/([^/?#]+)\/?$/;
const DISTRIBUTE_PAGE = /^\/manager\/licenses\/([^/?#]+)\/distribute\/?$/;

/** The learner id when `url` is a learner page (any tab), else null. */
export function learnerIdFromUrl(url: URL): string | null {
  const m = LEARNER_PAGE.exec(url.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** The course id when `url` is a course's Distribute page (any tab), else null. */
export function courseIdFromUrl(url: URL): string | null {
  const m = DISTRIBUTE_PAGE.exec(url.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export const api = {
  session: '/api/session',
  courses: '/api/courses',
  courseInvites: (courseId: string, status: 'pending' | 'accepted' | 'all', page: number, pageSize: number) =>
    `/api/courses/${encodeURIComponent(courseId)}/invites?status=${status}&page=${page}&pageSize=${pageSize}`,
  learners: (q: string, page: number) => `/api/learners?q=${encodeURIComponent(q)}&page=${page}`,
  learnerInvites: (learnerId: string) => `/api/learners/${encodeURIComponent(learnerId)}/invites`,
  cancelInvite: (inviteId: string) => `/api/invites/${encodeURIComponent(inviteId)}/cancel`,
} as const;

/** Path prefix of every API call, for the request-header rule. */
export const API_PREFIX = '/api/';

/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 100;

/** The page's tab (`?tab=`), e.g. 'invite-history' on a learner page or 'usage' on Distribute. */
export function tabFromUrl(url: URL): string | null {
  return url.searchParams.get('tab');
}

/** Tabs whose invite table the in-page controls augment. */
export const tabs = { inviteHistory: 'invite-history', usage: 'usage' } as const;
