// One helperkit instance in a process of its own, for the benchmarks that run several: instances
// of a deployed app are separate processes, each with its own event loop, sharing only the
// database. The parent sends the database to use (see startHelperProcess in chat-bench.ts).
import { startHelperApp, stopHelperApp } from './chat-bench.js';
import { serveFromChild } from './server-process.js';

serveFromChild(async (database: { url: string }) => {
  const { app, url } = await startHelperApp(database);
  return { url, close: () => stopHelperApp(app) };
});
