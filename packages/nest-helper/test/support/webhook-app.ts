import type { INestApplication, ModuleMetadata, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { HELPER_DATABASE } from '../../src/storage/storage.tokens.js';
import { HELPER_WEBHOOK_TIMING, type WebhookTiming } from '../../src/webhooks/webhook-retry.js';
import type { HelperModuleOptions, HelperWebhookOptions } from '../../src/index.js';
import { INBOUND_SECRET, MAILBOX } from '../email/support.js';
import { HostController, StaffTokenGuard, customerFromHeader, helperModules } from './app.js';
import { captureResponses } from './capture.js';
import { initApp, testHttpAdapter } from './platform.js';
import { SECRET } from './secrets.js';

/** Retries within a test's time: a few ms apart (the outbox still polls once a second). */
export const FAST_WEBHOOK_TIMING: WebhookTiming = {
  timeoutMs: 2_000,
  firstRetryMs: 10,
  maxRetryMs: 50,
  giveUpAfterMs: 60_000,
};

export interface WebhookAppOptions {
  webhooks: HelperWebhookOptions[];
  database: HelperModuleOptions['database'];
  /** With HelperEmailModule (inbound email, sender authentication off). */
  email?: boolean;
  /** More imports (the host's EventEmitterModule), providers (listeners) and controllers. */
  imports?: NonNullable<ModuleMetadata['imports']>;
  providers?: NonNullable<ModuleMetadata['providers']>;
  controllers?: Type<unknown>[];
}

/** A host app with webhooks, on the platform under test, with retries a few ms apart. */
export async function startWebhookApp(options: WebhookAppOptions): Promise<INestApplication> {
  const helper = helperModules(
    {
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: options.database,
      resolveCustomer: customerFromHeader,
      webhooks: options.webhooks,
    },
    options.email
      ? {
          address: MAILBOX,
          smtp: { host: '127.0.0.1', port: 9, secure: false, ignoreTLS: true },
          inboundSecret: INBOUND_SECRET,
          senderAuthentication: 'off',
        }
      : undefined,
  );
  const moduleRef = await Test.createTestingModule({
    imports: [...helper, ...(options.imports ?? [])],
    providers: options.providers ?? [],
    controllers: [HostController, ...(options.controllers ?? [])],
  })
    .overrideProvider(HELPER_WEBHOOK_TIMING)
    .useValue(FAST_WEBHOOK_TIMING)
    .compile();
  const app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  app.use(captureResponses);
  await initApp(app);
  return app;
}

/** The app's webhook entries in the outbox, oldest first. */
export const webhookEntries = (app: INestApplication) =>
  app
    .get<SqlDatabase>(HELPER_DATABASE)
    .kysely.selectFrom('helper_outbox')
    .select(['id', 'status', 'attempts', 'last_error'])
    .where('kind', '=', 'webhook')
    .orderBy('id')
    .execute();
