import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { HELPER_ATTACHMENT_CLOCK } from '../../src/attachments/attachment-clock.js';
import { HostController } from './app.js';
import { captureResponses } from './capture.js';
import { FakeClock } from './limited-app.js';
import { initApp, testHttpAdapter } from './platform.js';
import { ADMIN_TOKEN, SECRET } from './secrets.js';

export { FakeClock };

/** A 1×1 PNG: real image bytes, as a browser would upload a screenshot. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The modules on the platform under test, with the attachments' clock in the test's hands. */
export async function startAttachmentApp(
  imports: NonNullable<ModuleMetadata['imports']>,
  clock: FakeClock,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports, controllers: [HostController] })
    .overrideProvider(HELPER_ATTACHMENT_CLOCK)
    .useValue(clock.read)
    .compile();
  const app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  app.use(captureResponses);
  await initApp(app);
  return app;
}

let customers = 0;

/** A new identified customer's session token and a conversation of theirs. */
export async function customerWithConversation(app: INestApplication) {
  const server = app.getHttpServer();
  const signed = signIdentity({ email: `files-${++customers}@example.com` }, SECRET);
  const session = await request(server).post('/helper/widget/session').send(signed).expect(200);
  const token = session.body.token as string;
  const started = await request(server)
    .post('/helper/conversations')
    .set(bearer(token))
    .send({ body: 'Here is a screenshot.' })
    .expect(201);
  return { token, conversationId: started.body.conversation.id as string };
}

/** Uploads `bytes` as the multipart field `file`, as the widget's form does. */
export const upload = (
  app: INestApplication,
  path: string,
  headers: Record<string, string>,
  bytes: Buffer,
  filename: string,
  contentType: string,
) =>
  request(app.getHttpServer())
    .post(path)
    .set(headers)
    .attach('file', bytes, { filename, contentType });
