/** Every path of the portal's JSON API the background calls (portal contract). */
export const api = {
  session: '/api/session',
  courses: '/api/courses',
  courseInvites: (courseId: string, status: 'pending' | 'accepted' | 'all', page: number, pageSize: number) =>
    `/api/courses/${encodeURIComponent(courseId)}/invites?status=${status}&page=${page}&pageSize=${pageSize}`,
  learnerInvites: (learnerId: string) => `/api/learners/${encodeURIComponent(learnerId)}/invites`,
  cancelInvite: (inviteId: string) => `/api/invites/${encodeURIComponent(inviteId)}/cancel`,
  sendInvites: (courseId: string) => `/api/courses/${encodeURIComponent(courseId)}/invites`,
} as const;

/** Path prefix of every API call, for the request-header rule. */
export const API_PREFIX = '/api/';

/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 100;
