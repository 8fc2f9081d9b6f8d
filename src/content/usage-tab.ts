/**
 * Content script for a course's Usage tab: on each pending invite its expiry and a one-click
 * Revoke (in place of the portal's own Cancel), with its Undo; and "Revoke all 38 pending invites
 * of <course>" for every pending invite of the course across all of the tab's pages, not just the
 * visible rows.
 */
import { runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';
import { usageTab } from './lib/specs';

runFeature(usageTab, extensionDeps());
