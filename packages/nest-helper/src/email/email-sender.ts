import {
  Inject,
  Injectable,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { backoffMs, type OutboxSender } from '../outbox/outbox-sender.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { OutboxEntry } from '../outbox/outbox.storage.js';
import { InjectEmailStorage } from '../storage/storage.tokens.js';
import type { EmailStorage } from './email.storage.js';
import { HELPER_EMAIL_PRECONDITION, type EmailPrecondition } from './email-precondition.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';

const MAX_DELAY_MS = 60 * 60_000;
/** After this many failed attempts (about a day with the default delays) an email is given up. */
export const MAX_ATTEMPTS = 12;
// A pool keeps connections open between emails (a new SMTP connection costs a greeting delay,
// about 100 ms on many servers, on every email). A pooled connection that dies under an email
// (the server timed it out or restarted) is retried once at once on a new connection; past that
// the outbox's own retry, durable and with backoff, takes over. The timeouts keep one attempt,
// that retry included, well within the outbox's lease (docs/outbox.md).
const SMTP_DEFAULTS = {
  pool: true,
  maxRequeues: 1,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
};

/** Sends the outbox's emails over SMTP with nodemailer (docs/outbox.md). */
@Injectable()
export class EmailSender implements OutboxSender, OnModuleInit, OnApplicationShutdown {
  readonly kind = 'email';
  private transport: Transporter | undefined;

  constructor(
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    @InjectEmailStorage() private readonly emails: EmailStorage,
    private readonly outbox: OutboxService,
    @Optional()
    @Inject(HELPER_EMAIL_PRECONDITION)
    private readonly precondition: EmailPrecondition | null,
  ) {}

  onModuleInit(): void {
    const { smtp } = this.email;
    this.transport = nodemailer.createTransport(
      typeof smtp === 'string' ? { ...SMTP_DEFAULTS, url: smtp } : { ...SMTP_DEFAULTS, ...smtp },
    );
    this.outbox.register(this);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** Sends the email, unless its precondition says it is no longer needed. */
  async deliver(entry: OutboxEntry): Promise<void | { cancelled: string }> {
    const reason = await this.precondition?.cancelReason(entry);
    if (reason) return { cancelled: reason };
    await this.transport!.sendMail(entry.payload as SendMailOptions);
  }

  /** An auto-reply that went out answers its inbound email. */
  async delivered(entry: OutboxEntry): Promise<void> {
    if (entry.inboundId !== null) await this.emails.markAnswered(entry.inboundId);
  }

  /** An SMTP 5xx is the server's final word (RFC 5321 4.2.1): trying again only repeats it. */
  retryDelayMs(attempts: number, error: unknown): number | null {
    if (attempts >= MAX_ATTEMPTS || isPermanentFailure(error)) return null;
    return backoffMs(attempts, this.email.retryDelayMs, MAX_DELAY_MS);
  }
}

/** nodemailer puts the SMTP reply code on its errors: 5xx is a permanent failure. */
const isPermanentFailure = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};
