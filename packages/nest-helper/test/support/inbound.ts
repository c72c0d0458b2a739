import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { HelperEmailOptions } from '../../src/index.js';
import { INBOUND_SECRET, MAILBOX } from '../email/support.js';
import { StaffTokenGuard, helperModules, testDatabase } from './app.js';
import { ADMIN_TOKEN, SECRET } from './secrets.js';

/**
 * The three modules of a host that receives email, on a fresh database. The auto-reply stays off
 * (the settings' default), so nothing is ever sent to the SMTP server named here.
 */
export async function inboundModules(email: Partial<HelperEmailOptions> = {}) {
  return helperModules(
    { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: await testDatabase() },
    {
      address: MAILBOX,
      smtp: { host: '127.0.0.1', port: 9, secure: false, ignoreTLS: true },
      inboundSecret: INBOUND_SECRET,
      ...email,
    },
  );
}

/** The stored chat body of a conversation's first message, as staff read it. */
export async function storedBody(app: INestApplication, conversationId: string): Promise<string> {
  const messages = await request(app.getHttpServer())
    .get(`/helper/staff/conversations/${conversationId}/messages`)
    .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
    .expect(200);
  return messages.body.messages[0].body;
}
