// Storage and fan-out: messages stored per second and their delivery latency to SSE clients, on
// SQLite with one instance and on PostgreSQL with one and with two instances (clients connected
// to one instance, messages posted through the other), side by side. The offered rate is higher
// than one instance's SQLite commits can take, so msg/s shows what each set-up sustains.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  printChatFigures,
  runLoad,
  startHelperApp,
  stopHelperApp,
  summarise,
  type ChatFigures,
} from './lib/chat-bench.js';

const plan = { clients: 50, ratePerSecond: 400, durationMs: 5000, mode: 'helperkit' as const };
const ADMIN_URL =
  process.env.HELPERKIT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

// The same throwaway PostgreSQL server the tests use, started when it is not running.
execFileSync('bash', [fileURLToPath(new URL('../scripts/test-services.sh', import.meta.url))], {
  stdio: 'ignore',
});

async function freshPostgresDatabase(): Promise<string> {
  const name = `helperkit_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const rows: ChatFigures[] = [];

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-storage-'));
const sqlite = await startHelperApp(join(dataDir, 'bench.sqlite'));
rows.push(summarise('SQLite, 1 instance', await runLoad({ ...plan, bases: [sqlite.url] })));
await stopHelperApp(sqlite.app);
rmSync(dataDir, { recursive: true, force: true });

const single = await startHelperApp({ url: await freshPostgresDatabase() });
rows.push(summarise('PostgreSQL, 1 instance', await runLoad({ ...plan, bases: [single.url] })));
await stopHelperApp(single.app);

const shared = await freshPostgresDatabase();
const a = await startHelperApp({ url: shared });
const b = await startHelperApp({ url: shared });
rows.push(
  summarise(
    'PostgreSQL, 2 instances (A posts, B streams)',
    await runLoad({ ...plan, bases: [a.url, b.url] }),
  ),
);
await Promise.all([stopHelperApp(a.app), stopHelperApp(b.app)]);

printChatFigures(
  `storage (nest): ${plan.clients} SSE clients, ${plan.ratePerSecond} messages/s offered for ${plan.durationMs / 1000} s; baseline: SQLite, 1 instance`,
  rows,
);
const [base] = rows;
for (const row of rows.slice(1)) {
  console.log(
    `${row.name}: msg/s ${(row.perSecond / base!.perSecond).toFixed(2)} x, p50 ${(row.p50 / base!.p50).toFixed(1)} x of SQLite`,
  );
}
