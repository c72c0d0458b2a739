import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** The rules of WCAG 2.1 levels A and AA, as axe-core tags them. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Puts axe-core's browser build into a built page's folder as `/axe.min.js`, so the page loads it
 * from its own origin: a strict `script-src 'self'` allows that, and no test-only injection
 * bypasses the policy the page is tested under.
 */
export function addAxeTo(staticDir: string): void {
  const require = createRequire(import.meta.url);
  copyFileSync(require.resolve('axe-core/axe.min.js'), join(staticDir, 'axe.min.js'));
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (loaded by the page) over the whole page with the WCAG 2.1 A/AA rules and answers
 * each violation as one readable line, so a failing test shows what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Colours are checked as they end up, not halfway through an opening animation.
  await page.waitForFunction(() => document.getAnimations().length === 0);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe?: { run(...args: unknown[]): Promise<unknown> } }).axe;
    if (!axe) throw new Error('axe-core is not loaded: is /axe.min.js served?');
    const result = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
      violations: AxeViolation[];
    };
    return result.violations;
  }, WCAG_21_AA);
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join('; ')}`,
  );
}
