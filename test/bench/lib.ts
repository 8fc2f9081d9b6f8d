/**
 * Shared helpers for the benchmarks (test/bench) and the fault-injection suite (test/faults):
 * the built extension, talking to the background as an extension page does, statistics.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  isFullSettings,
  type Replies,
  type Reply,
  type Request,
  type RequestType,
} from '../../src/shared/messages';
import type { Settings } from '../../src/shared/types';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Progress line (stdout; the JSON result is always the last line). */
export function log(prefix: string, message: string): void {
  process.stdout.write(`${prefix}: ${message}\n`);
}

/**
 * The extension folder: RECLAIM_DIST, else dist/. Built (into that folder, as the development
 * build, which knows the loopback reference portal) when it holds no manifest yet, so the
 * scripts also work on a fresh checkout.
 */
export function ensureDist(prefix: string): string {
  const dist = resolve(ROOT, process.env.RECLAIM_DIST ?? 'dist');
  if (!existsSync(join(dist, 'manifest.json'))) {
    log(prefix, `no built extension at ${dist}; building it`);
    const built = spawnSync(
      'npx',
      ['vite', 'build', '--mode', 'development', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (built.status !== 0 || !existsSync(join(dist, 'manifest.json'))) {
      throw new Error(`building the extension into ${dist} failed`);
    }
  }
  return dist;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function round(x: number | null, digits = 3): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Sends one request to the background from an extension page, exactly as the popup does
 * (`runtime.sendMessage`), and returns its typed reply.
 */
export async function ask<T extends RequestType>(
  extPage: Page,
  request: Extract<Request, { type: T }>,
): Promise<Reply<T>> {
  const reply = await extPage.evaluate(async (req) => {
    try {
      return (await chrome.runtime.sendMessage(req)) as unknown;
    } catch (err) {
      return { ok: false, error: { kind: 'internal', message: `sendMessage threw: ${String(err)}` } };
    }
  }, request);
  if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
    return { ok: false, error: { kind: 'internal', message: `no reply to ${request.type}` } };
  }
  return reply as Reply<T>;
}

/** Like `ask`, but throws on an error reply. */
export async function askOk<T extends RequestType>(
  extPage: Page,
  request: Extract<Request, { type: T }>,
): Promise<Replies[T]> {
  const reply = await ask(extPage, request);
  if (!reply.ok) throw new Error(`${request.type} failed: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Every setting, as an extension page reads them. */
export async function settingsOf(extPage: Page): Promise<Settings> {
  const s = await askOk(extPage, { type: 'settings.get' });
  if (!isFullSettings(s))
    throw new Error(`settings.get from an extension page answered a page's share: ${JSON.stringify(s)}`);
  return s;
}

/** Milliseconds on the browser's clock (the one the background stamps jobs with). */
export function browserNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

/** A figure of the benchmark: its numbers, its target, and whether it meets it. */
export type Figure = Record<string, unknown> & { target: string; meets: boolean; note?: string };

/** A figure that could not be measured: every number null, the reason in `note`. */
export function unmeasured(target: string, fields: readonly string[], note: string): Figure {
  const out: Figure = { target, meets: false, note };
  for (const f of fields) out[f] = null;
  return out;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? String(err)) : String(err);
}
