/**
 * Content script for a learner's Invite History tab: a one-click revoke and an expiry countdown
 * on each pending invite, and "Revoke all pending (N)" for every pending invite of the learner.
 */
import { runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';
import { inviteHistory } from './lib/specs';

runFeature(inviteHistory, extensionDeps());
