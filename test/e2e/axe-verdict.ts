/**
 * axe-core's answer as a test asserts it: the violations, one line each ("rule: targets"), and
 * how much axe checked and found right, so that a run over nothing cannot pass unnoticed.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeVerdict {
  violations: string[];
  /** Elements axe checked and found right, over every rule. */
  passedNodes: number;
  /** The rules that held (e.g. 'color-contrast'). */
  passedRules: string[];
}

interface AxeResults {
  violations: { id: string; nodes: { target: unknown }[] }[];
  passes: { id: string; nodes: unknown[] }[];
}

/** Runs where axe ran, sent there as its source text: it must use nothing from outside its body. */
export function verdictOf(results: AxeResults): AxeVerdict {
  return {
    violations: results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`,
    ),
    passedNodes: results.passes.reduce((n, p) => n + p.nodes.length, 0),
    passedRules: results.passes.map((p) => p.id),
  };
}

/** The axe-core source, to evaluate in a page or a content script's world. */
export const AXE_SOURCE: string = axe.source;

/** axe-core over a whole extension page (injected over CDP, so the page's CSP does not block it). */
export async function axeVerdict(page: Page): Promise<AxeVerdict> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run(document).then(${verdictOf.toString()})`);
}
