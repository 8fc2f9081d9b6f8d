/**
 * A learner's Invite History tab (/manager/learners/{id}?tab=invite-history): a one-click
 * revoke and an expiry countdown on each pending invite, and "Revoke all pending (N)" for
 * every pending invite of the learner.
 */
import { selectors } from '../portal/dom';
import { learnerIdFromUrl, tabFromUrl, tabs } from '../portal/routes';
import { type FeatureSpec, runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';

export const inviteHistory: FeatureSpec = {
  id: 'invite-history',
  table: selectors.inviteHistoryTable,
  target(url) {
    const learnerId = learnerIdFromUrl(url);
    return learnerId ? { kind: 'learner', learnerId } : null;
  },
  expectsTable: (url) => tabFromUrl(url) === tabs.inviteHistory,
};

runFeature(inviteHistory, extensionDeps());
