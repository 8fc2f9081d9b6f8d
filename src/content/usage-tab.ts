/**
 * A course's Usage tab (/manager/licenses/{id}/distribute?tab=usage): a one-click revoke and an
 * expiry countdown on each pending invite, and "Revoke all pending (N)" for every pending
 * invite of the course across all of the tab's pages, not just the visible rows.
 */
import { selectors } from '../portal/dom';
import { courseIdFromUrl, tabFromUrl, tabs } from '../portal/routes';
import { type FeatureSpec, runFeature } from './lib/feature';
import { extensionDeps } from './lib/runtime';

export const usageTab: FeatureSpec = {
  id: 'usage',
  table: selectors.usageTable,
  target(url) {
    const courseId = courseIdFromUrl(url);
    return courseId ? { kind: 'course', courseId } : null;
  },
  expectsTable: (url) => tabFromUrl(url) === tabs.usage,
};

runFeature(usageTab, extensionDeps());
