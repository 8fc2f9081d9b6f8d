/**
 * No page can tell that Reclaim is installed by loading one of its files: nothing of the built
 * extension is web-accessible, while its content scripts still run on the portal.
 *
 * The probing page is an unrelated local server on another loopback port, an origin the portal's
 * own match patterns cover (every port of 127.0.0.1), so the page is one a web-accessible entry
 * for the portal would have let in.
 */
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, launchReclaim, type Reclaim } from './harness';
import { reclaimUi } from './reclaim-world';

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(path) : [relative(DIST, path)];
  });
}

let r: Reclaim;
let other: Server;
let otherUrl: string;

beforeAll(async () => {
  other = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>Some local server</title>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  r = await launchReclaim();
});

afterAll(async () => {
  await r?.close();
  await new Promise((resolve) => other?.close(resolve));
});

describe('what pages can load of Reclaim', () => {
  it('a page on another loopback port gets none of the built files', async () => {
    const files = builtFiles(DIST);
    expect(files).toContain('manifest.json');
    const page = await r.context.newPage();
    await page.goto(otherUrl);
    const loaded = await page.evaluate(
      async ({ id, files }) => {
        const out: string[] = [];
        for (const file of files) {
          const ok = await fetch(`chrome-extension://${id}/${file}`).then(
            (res) => res.ok,
            () => false,
          );
          if (ok) out.push(file);
        }
        return out;
      },
      { id: r.extensionId, files },
    );
    await page.close();
    expect(loaded).toEqual([]);
  });

  it('the content scripts still run on the portal', async () => {
    const pending = (await r.sim.invites({ status: 'pending' }))[0];
    if (!pending) throw new Error('no pending invite');
    const ui = await reclaimUi(r.page);
    try {
      await r.page.goto(`${r.portal.url}/manager/licenses/${pending.course.id}/distribute?tab=usage`);
      await expect.poll(() => ui.button(/^Revoke all pending \(\d+\)$/), { timeout: 15_000 }).not.toBeNull();
      await r.page.goto(`${r.portal.url}/manager/learners/${pending.learner.id}?tab=invite-history`);
      await expect.poll(() => ui.button(/^Revoke invite: /), { timeout: 15_000 }).not.toBeNull();
    } finally {
      await ui.detach();
    }
  });
});
