import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type { HttpFigures } from './http.js';
import { percentile } from './measure.js';

/** One of the two GET paths `compareAlternating` loads, with the name its table row gets. */
export interface AlternatingPath {
  name: string;
  path: string;
}

/** Which of the two paths: the first (the baseline) or the second. */
type Side = 0 | 1;

interface Slice {
  path: Side;
  answered: number;
  /** When it began and ended (performance.now()): a timer can fire late, so slices differ. */
  startedAt: number;
  endedAt?: number;
}

/** What each of autocannon's connections remembers about its request in flight. */
interface ConnectionContext {
  slice?: Slice;
  sentAt?: number;
}

/** Each side's answers a second over these slices, over the time its own slices lasted. */
function ratesOf(slices: readonly Slice[]): [number, number] {
  const answered: [number, number] = [0, 0];
  const lastedMs: [number, number] = [0, 0];
  for (const slice of slices) {
    answered[slice.path] += slice.answered;
    lastedMs[slice.path] += slice.endedAt! - slice.startedAt;
  }
  return [(answered[0] / lastedMs[0]) * 1000, (answered[1] / lastedMs[1]) * 1000];
}

/**
 * Loads two GET paths of one server with the same autocannon connections, switching from one path
 * to the other every `sliceMs`, and compares their throughput.
 *
 * Why not one run per path in turn: on a shared machine the speed of the cores swings by a third
 * and more within a second or two (bench/README.md), and autocannon runs last whole seconds, so
 * two runs in turn land on different parts of a swing and their ratio varies from 0.5 to 2.
 * Slices a tenth of a second long see nearly the same machine, side by side, hundreds of times.
 *
 * A request counts for the slice it was sent in; a response that comes back after its slice
 * ended still counts for it, and delays the next slice's first requests, alike for both paths.
 * The ratio is the second path's answers a second over the first's, each over the time its own
 * slices lasted (the switch is a timer and may fire late); the ratio of each second's pairs of
 * slices is kept too, to show the spread.
 */
export async function compareAlternating(
  url: string,
  paths: readonly [AlternatingPath, AlternatingPath],
  {
    seconds = 30,
    warmUpSeconds = 3,
    sliceMs = 100,
    connections = 10,
  }: { seconds?: number; warmUpSeconds?: number; sliceMs?: number; connections?: number } = {},
): Promise<HttpFigures[]> {
  const slices: Slice[] = [];
  let current: Slice = { path: 0, answered: 0, startedAt: performance.now() };
  let measuring = false;
  const latencies: [number[], number[]] = [[], []];
  const failures: string[] = [];

  const switchPath = () => {
    const at = performance.now();
    current.endedAt = at;
    current = { path: current.path === 0 ? 1 : 0, answered: 0, startedAt: at };
    if (measuring) slices.push(current);
  };
  let switcher = setInterval(switchPath, sliceMs);

  const load = (duration: number) =>
    autocannon({
      url,
      connections,
      duration,
      requests: [
        {
          setupRequest: (request, context: ConnectionContext) => {
            context.slice = current;
            context.sentAt = performance.now();
            return { ...request, path: paths[current.path]!.path };
          },
          onResponse: (status, _body, context: ConnectionContext) => {
            const slice = context.slice!;
            if (status !== 200) {
              failures.push(`${paths[slice.path]!.name}: answered ${status}`);
              return;
            }
            slice.answered++;
            if (measuring) latencies[slice.path].push(performance.now() - context.sentAt!);
          },
        },
      ],
    });

  try {
    await load(warmUpSeconds);
    // The measured slices start whole: the interval starts over with the first of them.
    clearInterval(switcher);
    measuring = true;
    switchPath();
    switcher = setInterval(switchPath, sliceMs);
    const result = await load(seconds);
    if (failures.length > 0 || result.errors > 0) {
      throw new Error(
        `${failures.length} failed answers (${failures[0] ?? 'none'}) and ${result.errors} errors`,
      );
    }
  } finally {
    clearInterval(switcher);
  }

  // The last slice was cut short by the end of the run: leave it out, and its partner with it.
  const whole = slices.slice(0, slices.length - (slices.length % 2 === 0 ? 2 : 1));
  const rates = ratesOf(whole);
  const pairsPerSecond = Math.max(1, Math.round(1000 / (2 * sliceMs)));
  const secondRatios: number[] = [];
  for (let start = 0; start + 2 * pairsPerSecond <= whole.length; start += 2 * pairsPerSecond) {
    const [first, second] = ratesOf(whole.slice(start, start + 2 * pairsPerSecond));
    secondRatios.push(second / first);
  }

  return paths.map((target, index) => {
    const side = index as Side;
    const sorted = latencies[side].sort((a, b) => a - b);
    return {
      name: target.name,
      requestsPerSecond: rates[side],
      p99Ms: percentile(sorted, 99),
      ratio: side === 0 ? 1 : rates[1] / rates[0],
      roundRatios: side === 0 ? secondRatios.map(() => 1) : secondRatios,
    };
  });
}
