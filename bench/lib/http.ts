import autocannon from 'autocannon';
import { median } from './measure.js';

export interface HttpFigures {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
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
    // The load comes from another thread, so the server under test has its core to itself.
    workers: 1,
    duration: durationSeconds,
  });

/**
 * Load-tests each case in interleaved rounds and keeps the median requests/s and p99 latency,
 * so a drift in the machine's speed hits every case alike. Fails on any non-2xx answer: a
 * benchmark of errors measures nothing.
 */
export async function compareHttp(
  cases: HttpCase[],
  { rounds = 5, durationSeconds = 2 }: { rounds?: number; durationSeconds?: number } = {},
): Promise<HttpFigures[]> {
  const samples = cases.map(() => ({ rps: [] as number[], p99: [] as number[] }));
  for (const target of cases) await run(target, 1); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [index, target] of cases.entries()) {
      const result = await run(target, durationSeconds);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `${target.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`,
        );
      }
      samples[index]!.rps.push(result.requests.average);
      samples[index]!.p99.push(result.latency.p99);
    }
  }
  return cases.map((target, index) => ({
    name: target.name,
    requestsPerSecond: median(samples[index]!.rps),
    p99Ms: median(samples[index]!.p99),
  }));
}

export function printHttp(title: string, figures: HttpFigures[], baselineName: string) {
  const baseline = figures.find((figure) => figure.name === baselineName)!;
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(46)}${'req/s'.padStart(10)}${'p99 ms'.padStart(9)}${'ratio'.padStart(8)}`,
  );
  for (const figure of figures) {
    const ratio = figure.requestsPerSecond / baseline.requestsPerSecond;
    console.log(
      `${figure.name.padEnd(46)}${Math.round(figure.requestsPerSecond).toLocaleString('en-US').padStart(10)}` +
        `${figure.p99Ms.toFixed(1).padStart(9)}${ratio.toFixed(2).padStart(8)}`,
    );
  }
}
