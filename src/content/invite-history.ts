/**
 * Content script for a learner's Invite History tab: on each pending invite its expiry and a
 * one-click Revoke (in place of the portal's own Cancel), with its Undo; and "Revoke Jane Doe's
 * 3 pending invites (3 courses)" for every pending invite of the learner.
 */
import { runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';
import { inviteHistory } from './lib/specs';

runFeature(inviteHistory, extensionDeps());
