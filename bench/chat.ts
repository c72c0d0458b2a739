// Live chat delivery: 200 connected SSE clients, staff messages posted at a steady rate, each
// timed from post to arrival at its client. helperkit (stored, authenticated, resumable) against
// a bare SSE echo server in the same run.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HelperModule } from '@helperkit/nest';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './lib/chat-load.js';
import { startEchoServer } from './lib/echo-server.js';

const CLIENTS = 200;
const RATE_PER_SECOND = 100;
const DURATION_MS = 8000;

function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./lib/chat-load.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as LoadResult));
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)),
    );
    child.send(plan);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function summarise(result: LoadResult) {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    delivered: result.delivered,
    sent: result.sent,
    perSecond: (result.delivered / result.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const plan = { clients: CLIENTS, ratePerSecond: RATE_PER_SECOND, durationMs: DURATION_MS };

const echo = await startEchoServer();
const baseline = summarise(
  await runLoad({
    ...plan,
    mode: 'echo',
    base: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
  }),
);
echo.close();
echo.closeAllConnections();

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-chat-'));
@Module({
  imports: [
    HelperModule.forRoot({
      hmacSecrets: ['bench-secret-0123456789abcdef0123456789'],
      adminGuard: { canActivate: () => true },
      database: join(dataDir, 'chat.sqlite'),
    }),
  ],
})
class ChatBenchModule {}
const app = await NestFactory.create(ChatBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const helperkit = summarise(
  await runLoad({
    ...plan,
    mode: 'helperkit',
    base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
  }),
);
app.getHttpServer().closeAllConnections();
await app.close();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `\nchat delivery (nest): ${CLIENTS} SSE clients, ${RATE_PER_SECOND} messages/s offered for ${DURATION_MS / 1000} s`,
);
console.log(
  `${'case'.padEnd(34)}${'delivered'.padStart(12)}${'msg/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
);
for (const [name, figures] of [
  ['baseline: bare SSE echo', baseline],
  ['helperkit (SQLite, one instance)', helperkit],
] as const) {
  console.log(
    `${name.padEnd(34)}${`${figures.delivered}/${figures.sent}`.padStart(12)}${figures.perSecond.toFixed(1).padStart(9)}` +
      `${figures.p50.toFixed(1).padStart(9)}${figures.p99.toFixed(1).padStart(9)}`,
  );
}
console.log(
  `ratio helperkit/baseline: msg/s ${(helperkit.perSecond / baseline.perSecond).toFixed(2)}, ` +
    `p50 ${(helperkit.p50 / baseline.p50).toFixed(1)}x, p99 ${(helperkit.p99 / baseline.p99).toFixed(1)}x`,
);
