import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { HelperEmailOptions, HelperModuleOptions } from '../../src/index.js';
import { StaffTokenGuard, helperModules, startApp, testDatabase } from '../support/app.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';
import { INBOUND_SECRET, MAILBOX } from './support.js';

/**
 * A host app that answers email (on `database`, else a fresh one): the chat, the email module sending to the SMTP server on
 * `smtpPort`, and auto-replies switched on. Sender authentication is off: these suites test what
 * comes after it (test/email-trust.test.ts tests it).
 */
export async function startAnsweringApp(
  smtpPort: number,
  email: Partial<HelperEmailOptions> = {},
  database?: HelperModuleOptions['database'],
): Promise<INestApplication> {
  const app = await startApp(
    helperModules(
      {
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: database ?? (await testDatabase()),
      },
      {
        address: MAILBOX,
        smtp: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
        inboundSecret: INBOUND_SECRET,
        senderAuthentication: 'off',
        ...email,
      },
    ),
  );
  await request(app.getHttpServer())
    .patch('/helper/settings')
    .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({ autoRespondEmailToChat: true, widgetHost: 'https://shop.example/help' })
    .expect(200);
  return app;
}
