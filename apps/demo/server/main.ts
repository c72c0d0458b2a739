// `pnpm demo` ends here: node dist/server/main.js (built by `pnpm --filter @helperkit/demo build`).
import { startDemo } from './demo-app.js';

try {
  const demo = await startDemo();
  console.log(`\nhelperkit demo: ${demo.url}`);
  console.log(`  mail catcher (SMTP): ${demo.smtpUrl}`);
  if (demo.docsUrl !== null) console.log(`  documentation, with the live widget: ${demo.docsUrl}`);
  if (demo.staffTokenGenerated) {
    console.log(`  staff token (generated, set DEMO_STAFF_TOKEN to choose): ${demo.staffToken}`);
  }
  console.log('  press Ctrl+C to stop\n');
  // A clean stop: the HTTP server, the mail catcher, the outbox and the database close first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log('\nStopping the helperkit demo…');
      demo.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  console.error(`\nThe helperkit demo did not start: ${(error as Error).message}`);
  // Whatever started before the failure (the mail catcher) must not keep the process alive.
  process.exit(1);
}
