import type { Page } from 'playwright-core';

/** The policy a strict host serves: nothing inline, nothing from elsewhere, Trusted Types on. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; require-trusted-types-for 'script'";

/**
 * Records every CSP and Trusted Types violation the page reports, from before its first script.
 * The recorder runs as a DevTools init script, which the page's own policy does not govern.
 */
export async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return () =>
    page.evaluate(() => [...(window as unknown as { __cspViolations: string[] }).__cspViolations]);
}
