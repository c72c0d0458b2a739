import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The machine-readable results of the last `pnpm bench` (not committed; see README.md). */
export const RESULTS_FILE = fileURLToPath(new URL('../results.json', import.meta.url));

/**
 * Merges figures into bench/results.json under their dotted keys (`identity.verifyRatio`),
 * numbers only, next to what the other benchmarks of the run recorded. `pnpm bench` removes the
 * file first, so a benchmark that failed leaves its keys out rather than last run's figures in.
 */
export function recordResults(figures: Record<string, number>): void {
  for (const [key, value] of Object.entries(figures)) {
    if (!Number.isFinite(value)) throw new Error(`bench result ${key} is not a number: ${value}`);
  }
  const results = existsSync(RESULTS_FILE)
    ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, number>)
    : {};
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...results, ...figures }, null, 2)}\n`);
  console.log(`recorded ${Object.keys(figures).join(', ')} in bench/results.json`);
}
