// Live chat delivery: SSE clients connected, staff messages posted at a steady rate, each timed
// from post to arrival at its client; 200 clients, then 1,000 (target: p99 < 100 ms and at least
// 99.9 % delivered). helperkit (stored, authenticated, resumable) against a bare SSE echo server
// in the same run; also the memory each open connection costs the server (run with --expose-gc).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  printChatFigures,
  runLoad,
  startHelperApp,
  stopHelperApp,
  summarise,
  type ChatFigures,
} from './lib/chat-bench.js';
import type { LoadPlan } from './lib/chat-load.js';
import { startEchoServer } from './lib/echo-server.js';
import { recordResults } from './lib/results.js';

const plans = [
  { clients: 200, ratePerSecond: 100, durationMs: 8000 },
  { clients: 1000, ratePerSecond: 100, durationMs: 10_000 },
];

const gc = (globalThis as { gc?: () => void }).gc;
/**
 * Memory in use after full collections: what the live objects hold. Several rounds with a turn of
 * the event loop between them, so finalizers and the previous case's closed server are gone too
 * (one collection alone left the bare server's figure below zero).
 */
const liveBytes = async () => {
  for (let round = 0; round < 4; round++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
};

/** Runs one load and measures the memory the open connections hold, per connection. */
async function measured(name: string, plan: LoadPlan) {
  const before = await liveBytes();
  let perConnection = NaN;
  const result = await runLoad(plan, async () => {
    perConnection = ((await liveBytes()) - before) / plan.clients;
  });
  // CPU this process (the server under test) spent per delivered message while they flowed.
  const cpuPerMessage = result.serverCpuMs / Math.max(1, result.delivered);
  return { figures: summarise(name, result), perConnection, cpuPerMessage };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

for (const plan of plans) {
  const echo = await startEchoServer();
  const baseline = await measured('baseline: bare SSE echo', {
    ...plan,
    mode: 'echo',
    bases: [`http://127.0.0.1:${(echo.address() as AddressInfo).port}`],
  });
  echo.closeAllConnections();
  echo.close();

  const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-chat-'));
  const { app, url } = await startHelperApp(join(dataDir, 'chat.sqlite'));
  const helperkit = await measured('helperkit (SQLite, one instance)', {
    ...plan,
    mode: 'helperkit',
    bases: [url],
  });
  await stopHelperApp(app);
  rmSync(dataDir, { recursive: true, force: true });

  const rows: ChatFigures[] = [baseline.figures, helperkit.figures];
  printChatFigures(
    `chat delivery (nest): ${plan.clients} SSE clients, ${plan.ratePerSecond} messages/s offered for ${plan.durationMs / 1000} s`,
    rows,
  );
  const [bare, ours] = [baseline.figures, helperkit.figures];
  console.log(
    `ratio helperkit/baseline: msg/s ${(ours.perSecond / bare.perSecond).toFixed(2)}, ` +
      `p50 ${(ours.p50 / bare.p50).toFixed(1)}x, p99 ${(ours.p99 / bare.p99).toFixed(1)}x; ` +
      `memory per open connection: ${kb(helperkit.perConnection)} kB vs ${kb(baseline.perConnection)} kB bare; ` +
      `server CPU per delivered message: ${helperkit.cpuPerMessage.toFixed(3)} ms vs ${baseline.cpuPerMessage.toFixed(3)} ms bare`,
  );
  if (plan.clients === 1000) {
    const delivered = ours.delivered / ours.sent;
    console.log(
      `target at 1,000 clients: p99 < 100 ms and >= 99.9 % delivered: p99 ${ours.p99.toFixed(1)} ms, ` +
        `${(delivered * 100).toFixed(2)} % delivered, ${ours.p99 < 100 && delivered >= 0.999 ? 'met' : 'NOT MET'}`,
    );
    recordResults({
      'chat.clients1000.delivered': Math.round(delivered * 10_000) / 10_000,
      'chat.clients1000.p99Ms': Math.round(ours.p99 * 10) / 10,
    });
  }
}
