// One helperkit instance in a process of its own, for the benchmarks that run several: instances
// of a deployed app are separate processes, each with its own event loop, sharing only the
// database. The parent sends the database to use; this process answers the instance's base URL,
// and stops when the parent disconnects.
import { startHelperApp, stopHelperApp } from './chat-bench.js';

process.once('message', (database: { url: string }) => {
  startHelperApp(database).then(
    ({ app, url }) => {
      process.send!({ url });
      process.once('disconnect', () => {
        void stopHelperApp(app).finally(() => process.exit(0));
      });
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
