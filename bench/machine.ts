// How steady the machine is while the benchmarks run: the same fixed arithmetic loop on every
// core at once, counted in 100 ms windows for 4 seconds. On a machine of its own each window does
// about the same work; on a shared one the slow windows show how much of a core the neighbours
// take, and when. The other benchmarks' spread (and a p99 under load) follows from this figure, so
// it is printed first (see README.md, "A shared machine").
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { median } from './lib/measure.js';
import { recordResults } from './lib/results.js';

/** Run again with a name (`tsx machine.ts beforeStorage`), its figures are kept under it. */
const moment = process.argv[2];
const WINDOW_MS = 100;
const SECONDS = 4;

// Each worker counts loop iterations per window; the loop's result is returned so the compiler
// cannot drop it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const counts = [];
let sink = 0;
const end = performance.now() + workerData.seconds * 1000;
while (performance.now() < end) {
  const windowEnd = performance.now() + workerData.windowMs;
  let count = 0;
  while (performance.now() < windowEnd) {
    for (let i = 0; i < 1000; i++) sink += Math.sqrt(i + count);
    count++;
  }
  counts.push(count);
}
parentPort.postMessage({ counts, sink });
`;

const runWorker = () =>
  new Promise<number[]>((resolve, reject) => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { seconds: SECONDS, windowMs: WINDOW_MS },
    });
    worker.once('message', (result: { counts: number[] }) => resolve(result.counts));
    worker.once('error', reject);
  });

const cores = availableParallelism();
const perCore = await Promise.all(Array.from({ length: cores }, runWorker));
const fastest = Math.max(...perCore.flat());
const speeds = perCore.map((counts) => counts.map((count) => count / fastest));
const all = speeds.flat().sort((a, b) => a - b);
const slowest = all[0]!;
const middle = median(all);
const slowShare = all.filter((speed) => speed < 0.8).length / all.length;

console.log(
  `\nmachine steadiness${moment ? ` (${moment})` : ''}: a fixed loop on each of ${cores} cores at once, ${WINDOW_MS} ms windows for ${SECONDS} s; speed / the fastest window`,
);
console.log(`${'core'.padEnd(8)}${'slowest'.padStart(9)}${'median'.padStart(9)}  windows`);
speeds.forEach((core, index) => {
  const sorted = [...core].sort((a, b) => a - b);
  const line = core.map((speed) => speed.toFixed(2)).join(' ');
  console.log(
    `${String(index + 1).padEnd(8)}${sorted[0]!.toFixed(2).padStart(9)}${median(sorted).toFixed(2).padStart(9)}  ${line}`,
  );
});
console.log(
  `all cores: slowest ${slowest.toFixed(2)}, median ${middle.toFixed(2)}; ${(slowShare * 100).toFixed(0)} % of windows under 0.8 of the fastest`,
);
const key = moment ? `machine.${moment}` : 'machine';
recordResults({
  [`${key}.slowestWindow`]: Math.round(slowest * 1000) / 1000,
  [`${key}.medianWindow`]: Math.round(middle * 1000) / 1000,
});
