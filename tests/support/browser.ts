import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's chromium package; CI installs it. playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium. A missing browser fails loudly instead of skipping: a browser suite that
 * skips itself quietly is a suite that stops testing anything.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects what would show in the page's console as an error (uncaught exceptions, console.error,
 * Vue's warnings in development builds), so a test can insist the page ran cleanly.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    errors.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  return errors;
}

/** Waits until `target` holds the keyboard focus; on timeout says where the focus is instead. */
export async function waitForFocus(target: Locator, timeout = 2_000): Promise<void> {
  const element = await target.elementHandle({ timeout });
  try {
    await target.page().waitForFunction((el) => el === document.activeElement, element, {
      timeout,
    });
  } catch {
    const actual = await target.page().evaluate(() => document.activeElement?.outerHTML ?? 'none');
    throw new Error(
      `Expected the focus on ${String(target)}, but it is on ${actual.slice(0, 200)}`,
    );
  } finally {
    await element.dispose();
  }
}

/** A path in `tests/artifacts/` (gitignored) for screenshots a person can look at after a run. */
export function artifactPath(fileName: string): string {
  const dir = fileURLToPath(new URL('../artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${fileName}`;
}
