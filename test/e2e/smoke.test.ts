import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchReclaim, type Reclaim } from './harness';

describe('Reclaim loads in Chromium', () => {
  let r: Reclaim;
  beforeAll(async () => {
    r = await launchReclaim();
  });
  afterAll(async () => {
    await r?.close();
  });

  it('runs its service worker from the built extension', async () => {
    const sw = await r.serviceWorker();
    expect(sw.url()).toBe(`chrome-extension://${r.extensionId}/service-worker-loader.js`);
  });

  it("adds its controls to a learner's Invite History tab", async () => {
    const invites = await r.sim.invites({ status: 'pending' });
    const learnerId = invites[0]?.learner.id;
    expect(learnerId).toBeTruthy();
    await r.page.goto(`${r.portal.url}/manager/learners/${learnerId}?tab=invite-history`);
    await expect
      .poll(() => r.page.getByRole('button', { name: /^Revoke all pending \(\d+\)$/ }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
  });

  it("adds its controls to a course's Usage tab", async () => {
    const invites = await r.sim.invites({ status: 'pending' });
    const courseId = invites[0]?.course.id;
    await r.page.goto(`${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`);
    await expect
      .poll(() => r.page.getByRole('button', { name: /^Revoke all pending \(\d+\)$/ }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await expect
      .poll(() => r.page.getByRole('button', { name: /^Revoke invite: / }).count())
      .toBeGreaterThan(0);
  });

  it('opens its popup', async () => {
    const popup = await r.openPopup();
    await expect.poll(() => popup.title()).toBe('Reclaim');
    await expect.poll(() => popup.locator('body').textContent(), { timeout: 15_000 }).toMatch(/pending/i);
    await popup.close();
  });
});
