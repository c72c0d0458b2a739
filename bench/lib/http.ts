import autocannon from 'autocannon';
import { median } from './measure.js';

export interface HttpFigures {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  /** Median, over the rounds, of this case's requests/s divided by the first case's in that round. */
  ratio: number;
  /** This case's requests/s divided by the first case's, round by round. */
  roundRatios: number[];
}

export interface HttpCase {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

const run = (target: HttpCase, durationSeconds: number) =>
  autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    connections: 10,
    // In this process's own thread: the server under test runs in a process of its own.
    duration: durationSeconds,
  });

/**
 * Load-tests each case in interleaved rounds and keeps the median requests/s and p99 latency.
 * Each case's ratio to the first (the baseline) is taken within its round and then the median
 * over the rounds, as in `compareRates`: a slower stretch of the machine then lowers both sides
 * of one ratio rather than one side of the medians. Odd rounds run the cases in reverse order, so
 * neither side always follows the other. Rounds a second long still land on different parts of
 * the machine's swings in speed: where a ratio must be tight, `compareAlternating` measures it.
 * Fails on any non-2xx answer: a benchmark of errors measures nothing.
 */
export async function compareHttp(
  cases: HttpCase[],
  // autocannon's runs last whole seconds: a fraction is rounded up.
  { rounds = 6, durationSeconds = 1 }: { rounds?: number; durationSeconds?: number } = {},
): Promise<HttpFigures[]> {
  const samples = cases.map(() => ({ rps: [] as number[], p99: [] as number[] }));
  for (const target of cases) await run(target, 1); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = [...cases.keys()];
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const target = cases[index]!;
      const result = await run(target, durationSeconds);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `${target.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`,
        );
      }
      // Every answer over the whole run: autocannon's own average is of whole seconds only.
      samples[index]!.rps.push(result['2xx'] / result.duration);
      samples[index]!.p99.push(result.latency.p99);
    }
  }
  const baseline = samples[0]!.rps;
  return cases.map((target, index) => {
    const roundRatios = samples[index]!.rps.map((rps, round) => rps / baseline[round]!);
    return {
      name: target.name,
      requestsPerSecond: median(samples[index]!.rps),
      p99Ms: median(samples[index]!.p99),
      ratio: median(roundRatios),
      roundRatios,
    };
  });
}

export function printHttp(title: string, figures: HttpFigures[]) {
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(46)}${'req/s'.padStart(10)}${'p99 ms'.padStart(9)}${'ratio'.padStart(8)}`,
  );
  for (const figure of figures) {
    console.log(
      `${figure.name.padEnd(46)}${Math.round(figure.requestsPerSecond).toLocaleString('en-US').padStart(10)}` +
        `${figure.p99Ms.toFixed(1).padStart(9)}${figure.ratio.toFixed(2).padStart(8)}`,
    );
  }
}
