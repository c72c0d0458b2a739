import { performance } from 'node:perf_hooks';

export interface Rate {
  name: string;
  /** Median operations per second over the rounds. */
  opsPerSecond: number;
  /** Median, over the rounds, of this round's rate divided by the baseline's in the same round. */
  ratio: number;
}

/**
 * Measures each subject's operations per second against the first subject, the baseline.
 * Subjects run in interleaved rounds and each ratio is taken within its round, so drift in the
 * machine's speed (a busy neighbour, a frequency change) hits both sides of a ratio alike.
 */
export function compareRates(
  subjects: Record<string, () => unknown>,
  { rounds = 15, roundMs = 150 }: { rounds?: number; roundMs?: number } = {},
): Rate[] {
  const entries = Object.entries(subjects);
  const rates = entries.map((): number[] => []);
  for (const [, operation] of entries) runFor(operation, 100); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Every other round in reverse order: a machine that speeds up or slows down over a round
    // then favours neither side of a ratio.
    const order = [...entries.keys()];
    if (round % 2 === 1) order.reverse();
    for (const index of order) rates[index]!.push(runFor(entries[index]![1], roundMs));
  }
  const baseline = rates[0]!;
  return entries.map(([name], index) => ({
    name,
    opsPerSecond: median(rates[index]!),
    ratio: median(rates[index]!.map((rate, round) => rate / baseline[round]!)),
  }));
}

function runFor(operation: () => unknown, durationMs: number): number {
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 100; i++) operation();
    operations += 100;
    elapsed = performance.now() - start;
  }
  return (operations / elapsed) * 1000;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The value at percentile `p` (0-100) of values sorted ascending; NaN when there are none. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const formatCount = (value: number) => Math.round(value).toLocaleString('en-US');

/** Prints a table of named rates with their ratio to the baseline, and the verdict on a target. */
export function printRates(title: string, rates: Rate[], target?: { name: string; ratio: number }) {
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(46)}${'ops/s'.padStart(12)}${'ratio'.padStart(8)}`);
  for (const rate of rates) {
    console.log(
      `${rate.name.padEnd(46)}${formatCount(rate.opsPerSecond).padStart(12)}${rate.ratio.toFixed(2).padStart(8)}`,
    );
  }
  if (target) {
    const measured = rates.find((rate) => rate.name === target.name)!.ratio;
    const verdict = measured >= target.ratio ? 'met' : 'NOT MET';
    console.log(
      `target: ${target.name} >= ${target.ratio} x baseline: ${measured.toFixed(2)}, ${verdict}`,
    );
  }
}
