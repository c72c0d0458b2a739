import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { composeAutoReply } from '../../src/email/auto-reply.js';
import { MAILBOX, parsedFixture } from './support.js';

interface Delivery {
  mailFrom: SMTPServerAddress | false;
  rcptTo: string[];
  message: ParsedMail;
}

// A real SMTP server in the test process: what arrives is what a mail server would see.
describe('the auto-reply through a real SMTP server', () => {
  const deliveries: Delivery[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (message) => {
            deliveries.push({
              mailFrom: session.envelope.mailFrom,
              rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
              message,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('arrives threaded, marked, from the null sender, with the link', async () => {
    const original = await parsedFixture('thread-reply.eml');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    const composed = composeAutoReply({
      original,
      mailboxAddress: MAILBOX,
      from: '"Example Support" <support@example.com>',
      widgetHost: 'https://app.example.com/',
      linkToken: 'abc.def',
    });
    const info = await transport.sendMail(composed);
    transport.close();

    expect(info.envelope).toEqual({ from: '', to: ['ann.lee.customer@gmail.com'] });
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.mailFrom).toMatchObject({ address: '' });
    expect(delivery.rcptTo).toEqual(['ann.lee.customer@gmail.com']);
    const { message } = delivery;
    expect(message.subject).toBe("Re: Can't download my invoice");
    expect(message.from?.value).toEqual([
      { address: 'support@example.com', name: 'Example Support' },
    ]);
    expect(message.messageId).toBe(composed.messageId);
    expect(message.inReplyTo).toBe(original.messageId);
    expect(message.references).toEqual([...original.references, original.messageId]);
    expect(message.headers.get('auto-submitted')).toBe('auto-replied');
    expect(message.headers.get('x-auto-response-suppress')).toBe('All');
    expect(message.text).toContain('https://app.example.com/?helper_chat=abc.def');
    expect(message.html).toContain('href="https://app.example.com/?helper_chat=abc.def"');
  });
});
