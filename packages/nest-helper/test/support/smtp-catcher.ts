import { simpleParser, type ParsedMail } from 'mailparser';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface CaughtMail {
  mailFrom: SMTPServerAddress | false;
  rcptTo: string[];
  message: ParsedMail;
}

/** A free loopback port, for a server that starts later (an SMTP server that is "down" first). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A real SMTP server in the test process that keeps every message it receives, parsed. */
export class SmtpCatcher {
  readonly mail: CaughtMail[] = [];
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (message) => {
            this.mail.push({
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
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` messages have arrived, or fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 8000): Promise<CaughtMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mail.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} messages, caught ${this.mail.length}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.mail;
  }
}
