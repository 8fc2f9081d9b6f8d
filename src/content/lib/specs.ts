/** Where each augmentation runs: its URL, its table and the tab that shows the table. */
import { courseIdFromUrl, learnerIdFromUrl, tabFromUrl, tabs } from '../../portal/page/routes';
import type { FeatureSpec } from './feature';

/** A learner's Invite History tab: /manager/learners/{id}?tab=invite-history. */
export const inviteHistory: FeatureSpec = {
  id: 'invite-history',
  table: 'invite-history',
  target(url) {
    const learnerId = learnerIdFromUrl(url);
    return learnerId ? { kind: 'learner', learnerId } : null;
  },
  expectsTable: (url) => tabFromUrl(url) === tabs.inviteHistory,
};

/** A course's Usage tab: /manager/licenses/{id}/distribute?tab=usage (any of its pages). */
export const usageTab: FeatureSpec = {
  id: 'usage',
  table: 'usage',
  target(url) {
    const courseId = courseIdFromUrl(url);
    return courseId ? { kind: 'course', courseId } : null;
  },
  expectsTable: (url) => tabFromUrl(url) === tabs.usage,
};
