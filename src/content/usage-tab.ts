/**
 * Content script for a course's Usage tab: a one-click revoke and an expiry countdown on each
 * pending invite, and "Revoke all pending (N)" for every pending invite of the course across all
 * of the tab's pages, not just the visible rows.
 */
import { runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';
import { usageTab } from './lib/specs';

runFeature(usageTab, extensionDeps());
