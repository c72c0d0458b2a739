// Live chat delivery: 200 connected SSE clients, staff messages posted at a steady rate, each
// timed from post to arrival at its client. helperkit (stored, authenticated, resumable) against
// a bare SSE echo server in the same run.
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
} from './lib/chat-bench.js';
import { startEchoServer } from './lib/echo-server.js';

const plan = { clients: 200, ratePerSecond: 100, durationMs: 8000 };

const echo = await startEchoServer();
const baseline = summarise(
  'baseline: bare SSE echo',
  await runLoad({
    ...plan,
    mode: 'echo',
    bases: [`http://127.0.0.1:${(echo.address() as AddressInfo).port}`],
  }),
);
echo.closeAllConnections();
echo.close();

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-chat-'));
const { app, url } = await startHelperApp(join(dataDir, 'chat.sqlite'));
const helperkit = summarise(
  'helperkit (SQLite, one instance)',
  await runLoad({ ...plan, mode: 'helperkit', bases: [url] }),
);
await stopHelperApp(app);
rmSync(dataDir, { recursive: true, force: true });

printChatFigures(
  `chat delivery (nest): ${plan.clients} SSE clients, ${plan.ratePerSecond} messages/s offered for ${plan.durationMs / 1000} s`,
  [baseline, helperkit],
);
console.log(
  `ratio helperkit/baseline: msg/s ${(helperkit.perSecond / baseline.perSecond).toFixed(2)}, ` +
    `p50 ${(helperkit.p50 / baseline.p50).toFixed(1)}x, p99 ${(helperkit.p99 / baseline.p99).toFixed(1)}x`,
);
