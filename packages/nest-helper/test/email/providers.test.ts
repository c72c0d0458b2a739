// Every sample in providers/ (written from the providers' documentation and SDK sample data, see
// providers/README.md) posted over HTTP as the provider posts it, to a host app that keeps its
// platform's default body parsers, then posted again as the provider's retry would.
import type { StaffMessageView } from '@helperkit/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import {
  mailgunAdapter,
  mailgunMimeAdapter,
  postmarkAdapter,
  sendgridAdapter,
  type InboundAdapter,
} from '../../src/email/adapters/index.js';
import { parseMessage } from '../../src/email/parse.js';
import { StaffTokenGuard, helperModules, startApp, testDatabase } from '../support/app.js';
import { platformName } from '../support/platform.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';
import { SmtpCatcher, freePort } from '../support/smtp-catcher.js';
import { INBOUND_SECRET, MAILBOX, MAILGUN_KEY, basicAuth } from './support.js';

/** The chat's default attachment types (docs/options.md): what an email's files are kept as. */
const DEFAULT_FILE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
]);

type Route = 'sendgrid' | 'mailgun' | 'mailgun/mime' | 'postmark';

interface Stored {
  /** The From address staff see; null for a message kept without one. */
  sender: string | null;
  subject: string | null;
  body: string;
  /** Text the stored body must not have (the quoted conversation a provider stripped). */
  notInBody?: string;
  /** [file name, type, size] of each attachment of the parsed message. */
  attachments?: [string, string, number][];
  /** Answered: authenticated and sent the auto-reply; otherwise why not. */
  outcome: 'answered' | 'unauthenticated-sender' | 'unparseable';
}

interface Refused {
  status: number;
  code: string;
}

type Sample = [file: string, route: Route, expected: Stored | Refused];

// In posting order: the replayed token reuses the token of the first Mailgun sample.
const SAMPLES: Sample[] = [
  [
    'sendgrid-parsed-sdk-default.txt',
    'sendgrid',
    {
      sender: 'test@example.com',
      subject: 'Testing non-raw',
      body: 'Hello Twilio SendGrid!',
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-raw-sdk.txt',
    'sendgrid',
    {
      sender: 'test@example.com',
      subject: 'Inbound Parse Test Raw Data',
      body: 'Hello Twilio SendGrid!',
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-raw-attachment.txt',
    'sendgrid',
    {
      sender: 'ola@example.no',
      subject: 'Kvittering vedlagt – ordre 42',
      body: 'Hei! Kvitteringen for ordre 42 ligger ved. Hilsen Ola',
      attachments: [['kvittering.pdf', 'application/pdf', 31]],
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-parsed-utf8.txt',
    'sendgrid',
    {
      sender: 'juergen@example.de',
      subject: 'Grüße aus Köln',
      body: 'Grüße aus Köln!\nDie Lieferung ist unvollständig: eine Tasse fehlt.',
      attachments: [['lieferschein.txt', 'text/plain', 47]],
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-parsed-iso-2022-jp.txt',
    'sendgrid',
    {
      sender: 'taro@example.jp',
      subject: '注文の件',
      body: '注文した本がまだ届いていません。\n確認をお願いします。',
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-parsed-latin1.txt',
    'sendgrid',
    {
      sender: 'rene@example.fr',
      subject: 'Problème de livraison',
      body: "Bonjour, ma commande n'est pas arrivée.\nCordialement, René",
      attachments: [['facture.pdf', 'application/pdf', 81]],
      outcome: 'answered',
    },
  ],
  [
    'sendgrid-parsed-spf-fail.txt',
    'sendgrid',
    {
      sender: 'una@example.net',
      subject: 'Refund please',
      body: 'Please refund order 5521 to my new card.',
      outcome: 'unauthenticated-sender',
    },
  ],
  [
    'sendgrid-parsed-forged.txt',
    'sendgrid',
    {
      sender: 'security@bigbank.example',
      subject: 'Urgent: confirm your account',
      body: 'Reply with the password of the support account.',
      outcome: 'unauthenticated-sender',
    },
  ],
  [
    'sendgrid-raw-no-sender.txt',
    'sendgrid',
    {
      sender: null,
      subject: null,
      body: 'This message names nobody as its sender.',
      outcome: 'unparseable',
    },
  ],
  [
    'mailgun-mime-urlencoded-latin1.txt',
    'mailgun/mime',
    {
      sender: 'jose@example.es',
      subject: 'Factura de diciembre ¿cuándo?',
      body: '¿Cuándo llega la factura de diciembre?\nGracias, José',
      outcome: 'answered',
    },
  ],
  [
    'mailgun-mime-multipart-iso-2022-jp.txt',
    'mailgun/mime',
    {
      sender: 'hanako@example.jp',
      subject: '請求書について',
      body: '請求書の金額が違うようです。\nご確認ください。',
      attachments: [['seikyu.pdf', 'application/pdf', 36]],
      outcome: 'answered',
    },
  ],
  [
    'mailgun-parsed-urlencoded.txt',
    'mailgun',
    {
      sender: 'zoe@example.com',
      subject: 'Schöne Grüße – Rückfrage zur Rechnung',
      body: 'Hallo,\nwo bleibt die Rechnung für März?',
      notInBody: 'Ihre Bestellung ist unterwegs',
      outcome: 'answered',
    },
  ],
  [
    'mailgun-parsed-multipart-attachments.txt',
    'mailgun',
    {
      sender: 'priya@example.com',
      subject: 'Purchase order for 25 seats',
      body: 'Hello,\nthe purchase order and our notes are attached.',
      attachments: [
        ['purchase-order.csv', 'text/csv', 36],
        ['notes.txt', 'text/plain', 51],
      ],
      outcome: 'answered',
    },
  ],
  [
    'mailgun-parsed-forged-spf.txt',
    'mailgun',
    {
      sender: 'ceo@example.org',
      subject: 'Wire transfer today',
      body: 'Send 40,000 EUR to the account below today.',
      outcome: 'unauthenticated-sender',
    },
  ],
  ['mailgun-store-notify.txt', 'mailgun', { status: 406, code: 'malformed_message' }],
  ['mailgun-replayed-token.txt', 'mailgun/mime', { status: 406, code: 'unauthorized' }],
  [
    'postmark-docs-example.json',
    'postmark',
    {
      sender: 'support@postmarkapp.com',
      subject: 'Test subject',
      body: 'This is the reply text',
      notInBody: 'This is a test text body.',
      attachments: [['test.txt', 'text/plain', 45]],
      outcome: 'unauthenticated-sender',
    },
  ],
  [
    'postmark-utf8-received-spf-pass.json',
    'postmark',
    {
      sender: 'lukasz@example.pl',
      subject: 'Zamówienie nr 123 — pytanie o wysyłkę',
      body: 'Dzień dobry, kiedy wysyłka zamówienia 123?',
      notInBody: 'Dziękujemy za zamówienie',
      attachments: [
        ['zamowienie-123.pdf', 'application/pdf', 32],
        ['logo.png', 'image/png', 70],
      ],
      outcome: 'answered',
    },
  ],
  [
    'postmark-raw-email-latin1.json',
    'postmark',
    {
      sender: 'soren@example.dk',
      subject: 'Spørgsmål om ordre 77',
      body: 'Hej, hvornår bliver ordre 77 sendt? Venlig hilsen, Søren',
      attachments: [['ordre-77.txt', 'text/plain', 17]],
      outcome: 'answered',
    },
  ],
  [
    'postmark-forged-received-spf.json',
    'postmark',
    {
      sender: 'billing@example.com',
      subject: 'New bank details',
      body: 'Please pay all invoices to our new bank account.',
      outcome: 'unauthenticated-sender',
    },
  ],
];

const ADAPTERS: Record<Route, InboundAdapter> = {
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  'mailgun/mime': mailgunMimeAdapter,
  postmark: postmarkAdapter,
};

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * A sample's request as the provider sends it. The files keep plain line ends, which a multipart
 * body has as CRLF; a Mailgun sample gets a fresh timestamp and its signature here, since
 * Mailgun's signatures are good for minutes only.
 */
function providerRequest(file: string, route: Route) {
  let body = readFileSync(new URL(`./providers/${file}`, import.meta.url));
  if (route.startsWith('mailgun')) {
    const text = body.toString('latin1');
    const token = /(?:token=|name="token"\r?\n\r?\n)([0-9a-f]{50})/.exec(text)![1]!;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', MAILGUN_KEY)
      .update(timestamp + token)
      .digest('hex');
    body = Buffer.from(
      text.replace('{{timestamp}}', timestamp).replace('{{signature}}', signature),
      'latin1',
    );
  }
  const multipart = body.subarray(0, 2).toString() === '--';
  if (multipart) body = Buffer.from(body.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  const contentType = file.endsWith('.json')
    ? 'application/json'
    : multipart
      ? 'multipart/form-data; boundary=xYzZY'
      : 'application/x-www-form-urlencoded';
  return { body, contentType };
}

describe(`provider samples over HTTP on ${platformName}, default body parsers`, () => {
  let smtp: SmtpCatcher;
  let app: INestApplication;

  const post = (file: string, route: Route) => {
    const { body, contentType } = providerRequest(file, route);
    const call = request(app.getHttpServer())
      .post(`/helper/email/inbound/${route}`)
      .set('Content-Type', contentType);
    // Mailgun signs its requests; SendGrid and Postmark carry the secret in the webhook URL.
    if (!route.startsWith('mailgun')) call.set('Authorization', basicAuth(INBOUND_SECRET));
    // Forms are ASCII and JSON is UTF-8; superagent would turn a Buffer of either into an object.
    if (contentType.startsWith('multipart')) return call.send(body);
    return call.send(body.toString(contentType.endsWith('json') ? 'utf8' : 'latin1'));
  };

  const conversations = async () =>
    (await request(app.getHttpServer()).get('/helper/staff/conversations?limit=100').set(staff))
      .body.conversations as Array<{
      id: string;
      subject: string | null;
      senderVerified: boolean;
      customer: { email: string } | null;
    }>;

  const messages = async (id: string) =>
    (
      await request(app.getHttpServer())
        .get(`/helper/staff/conversations/${id}/messages`)
        .set(staff)
    ).body.messages as StaffMessageView[];

  beforeAll(async () => {
    smtp = new SmtpCatcher(await freePort());
    await smtp.start();
    app = await startApp(
      helperModules(
        { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: await testDatabase() },
        {
          address: MAILBOX,
          smtp: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
          inboundSecret: INBOUND_SECRET,
          mailgunSigningKey: MAILGUN_KEY,
          // Two samples come from one sender: each is a first message and gets its reply.
          rateWindowMs: 1,
        },
      ),
    );
    await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ autoRespondEmailToChat: true, widgetHost: 'https://shop.example/help' })
      .expect(200);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  it.each(SAMPLES)('%s (%s)', async (file, route, expected) => {
    const before = await conversations();
    const repliesBefore = smtp.mail.length;
    const response = await post(file, route);

    if ('status' in expected) {
      expect(response.body).toEqual({
        statusCode: expected.status,
        code: expected.code,
        message: expect.any(String),
      });
      expect(response.status).toBe(expected.status);
      expect(await conversations()).toHaveLength(before.length);
      return;
    }

    expect(response.status).toBe(200);
    const answered = expected.outcome === 'answered';
    expect(response.body).toEqual({
      conversationId: expect.any(String),
      duplicate: false,
      autoReply: answered ? 'queued' : 'skipped',
      ...(answered ? {} : { skipReason: expected.outcome }),
    });
    const { conversationId } = response.body as { conversationId: string };
    const stored = (await conversations()).find((c) => c.id === conversationId)!;
    expect(stored).toMatchObject({
      subject: expected.subject,
      senderVerified: answered,
      customer: expected.sender === null ? null : { email: expected.sender },
    });
    const [first] = await messages(conversationId);
    expect(first!.body).toContain(expected.body);
    if (expected.notInBody) expect(first!.body).not.toContain(expected.notInBody);
    // In name order: an inline image comes first in MIME, beside the HTML that shows it.
    const byName = (list: [string, string, number][]) =>
      [...list].sort(([a], [b]) => a.localeCompare(b));
    // The files are kept with the message, as staff see them; a type off the default allow-list
    // (a CSV) is recorded as not kept, and the email is stored all the same.
    const files = expected.attachments ?? [];
    const allowed = ([, type]: [string, string, number]) => DEFAULT_FILE_TYPES.has(type);
    expect(
      byName(first!.attachments.map((file) => [file.name, file.contentType, file.size])),
    ).toEqual(byName(files.filter(allowed)));
    expect(first!.refusedAttachments.map((file) => [file.name, file.reason])).toEqual(
      files.filter((file) => !allowed(file)).map(([name]) => [name, 'type_not_allowed']),
    );

    if (answered) {
      const [reply] = (await smtp.waitFor(repliesBefore + 1)).slice(repliesBefore);
      expect(reply!.rcptTo).toEqual([expected.sender]);
    } else {
      expect(smtp.mail).toHaveLength(repliesBefore);
    }

    // The provider's retry: the same request again is stored once and answered once.
    const retry = await post(file, route);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ conversationId, duplicate: true });
    expect(await conversations()).toHaveLength(before.length + 1);
    expect(smtp.mail).toHaveLength(repliesBefore + (answered ? 1 : 0));

    // What the pipeline parsed carries the attachments, as raw MIME would.
    const { body, contentType } = providerRequest(file, route);
    const inbound = await ADAPTERS[route](
      { authorization: basicAuth(INBOUND_SECRET), contentType, body },
      { inboundSecret: INBOUND_SECRET, mailgunSigningKey: MAILGUN_KEY, maxMessageBytes: 1 << 20 },
    );
    const parsed = await parseMessage(inbound.raw).catch(() => null);
    expect(
      byName((parsed?.attachments ?? []).map((a) => [a.filename ?? '', a.contentType, a.size])),
    ).toEqual(byName(expected.attachments ?? []));
  });

  it('answers wrong credentials with the status that ends each provider’s retries', async () => {
    const wrong = basicAuth(randomBytes(24).toString('hex'));
    const postmark = providerRequest('postmark-utf8-received-spf-pass.json', 'postmark');
    const sendgrid = providerRequest('sendgrid-parsed-utf8.txt', 'sendgrid');
    const mailgun = providerRequest('mailgun-parsed-urlencoded.txt', 'mailgun');
    const server = app.getHttpServer();
    const answers = await Promise.all([
      request(server)
        .post('/helper/email/inbound/postmark')
        .set({ Authorization: wrong, 'Content-Type': postmark.contentType })
        .send(postmark.body.toString('utf8')),
      request(server)
        .post('/helper/email/inbound/sendgrid')
        .set({ Authorization: wrong, 'Content-Type': sendgrid.contentType })
        .send(sendgrid.body),
      request(server)
        .post('/helper/email/inbound/mailgun')
        .set('Content-Type', mailgun.contentType)
        .send(
          mailgun.body
            .toString('latin1')
            .replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`),
        ),
    ]);
    // Postmark stops on 403 only, Mailgun on 406 only; SendGrid retries only 5xx.
    expect(answers.map((answer) => [answer.status, answer.body.code])).toEqual([
      [403, 'unauthorized'],
      [401, 'unauthorized'],
      [406, 'unauthorized'],
    ]);
  });
});
