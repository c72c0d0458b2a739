// A host app without `@nestjs/swagger`, run in a child process by openapi-optional.test.ts. It
// prints one JSON line: what it could import, and what the module answered over HTTP.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { HelperChatModule, HelperModule } from '../../src/index.js';
import { StaffTokenGuard, tempDatabasePath } from '../support/app.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';

const swaggerImport = await import('@nestjs/swagger').then(
  () => 'resolved',
  (error: { code?: string }) => error.code,
);
const openApi = JSON.parse(process.argv[2] ?? '{}') as { staffSecurity?: unknown };

const app = await NestFactory.create(
  {
    module: class Host {},
    imports: [
      HelperModule.forRoot({
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: tempDatabasePath(),
        openApi: openApi as { staffSecurity?: string },
      }),
      HelperChatModule.forRoot(),
    ],
  },
  new ExpressAdapter(),
  { logger: false, abortOnError: false },
).catch((error: Error) => error);

if (app instanceof Error) {
  console.log(JSON.stringify({ swaggerImport, startError: app.message }));
} else {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${port}/helper`;
  const settings = await fetch(`${base}/settings`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const session = await fetch(`${base}/widget/session`, { method: 'POST' });
  console.log(
    JSON.stringify({
      swaggerImport,
      settings: { status: settings.status, body: await settings.json() },
      session: { status: session.status, body: await session.json() },
    }),
  );
  await app.close();
}
