import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { CaughtMail } from './caught-mail.js';

/** How many messages the catcher keeps, newest first. */
const KEEP = 50;
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * A local SMTP server that accepts every message and keeps it in memory, so the demo's
 * auto-replies go somewhere visible with no outside mail service. Demo only: it has no
 * authentication and listens on the loopback interface.
 */
export class MailCatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('MailCatcher');
  private readonly messages: CaughtMail[] = [];
  private nextId = 1;
  private server: SMTPServer | undefined;
  private boundPort = 0;

  /** The SMTP port, once listening. */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  async listen(port: number): Promise<void> {
    const server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: MAX_MESSAGE_BYTES,
      banner: 'helperkit demo mail catcher',
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            this.keep(parsed, {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    server.on('error', (error) => this.logger.error(error.message));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
  }

  /** Newest first. */
  list(): CaughtMail[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private keep(parsed: ParsedMail, envelope: CaughtMail['envelope']): void {
    const text = parsed.text ?? '';
    const autoSubmitted = parsed.headers.get('auto-submitted');
    this.messages.unshift({
      id: this.nextId++,
      receivedAt: new Date().toISOString(),
      envelope,
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      subject: parsed.subject ?? '',
      messageId: parsed.messageId ?? null,
      inReplyTo: parsed.inReplyTo ?? null,
      autoSubmitted: typeof autoSubmitted === 'string' ? autoSubmitted : null,
      text,
      links: linksOf(text, typeof parsed.html === 'string' ? parsed.html : ''),
    });
    this.messages.splice(KEEP);
  }
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (address === undefined) return '';
  return (Array.isArray(address) ? address : [address]).map((item) => item.text).join(', ');
}

const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The message's web links: `href`s of its HTML part, then URLs in its text, each once. */
export function linksOf(text: string, html: string): string[] {
  const hrefs = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((match) =>
    (match[1] ?? '').replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity]!),
  );
  const urls = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]);
  return [...new Set([...hrefs, ...urls])].filter((link) => /^https?:\/\//i.test(link));
}
