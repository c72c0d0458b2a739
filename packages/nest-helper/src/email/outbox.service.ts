import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { OutboxEntry, OutboxStorage } from '../outbox/outbox.storage.js';
import {
  InjectEmailStorage,
  InjectOutboxStorage,
  InjectTransactions,
} from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import type { EmailStorage } from './email.storage.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';

/** How often due replies are looked for. */
const POLL_MS = 1000;
/** An entry is this caller's for this long: longer than the slowest send the timeouts allow. */
const LEASE_MS = 2 * 60_000;
const MAX_DELAY_MS = 60 * 60_000;
/** After this many failed attempts (about a day with the default delays) a reply is given up. */
export const MAX_ATTEMPTS = 12;
// Timeouts short enough that an inbound request that sends at once still answers in time; a
// pool keeps connections open between replies (a new SMTP connection costs a greeting delay,
// about 100 ms on many servers, on every reply).
const SMTP_DEFAULTS = {
  pool: true,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
};

/**
 * Sends auto-replies from the durable outbox: at once when the SMTP server answers, else later
 * with exponential backoff. An entry is leased before it is sent (several instances never send
 * the same one) and marked sent right after, so a restart neither loses nor repeats a reply;
 * only a crash between the SMTP server's acceptance and that mark could send one twice.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HelperModule');
  private transport: Transporter | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    @InjectOutboxStorage() private readonly storage: OutboxStorage,
    @InjectEmailStorage() private readonly emails: EmailStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
  ) {}

  onApplicationBootstrap(): void {
    const { email } = this;
    this.transport = nodemailer.createTransport(
      typeof email.smtp === 'string'
        ? { ...SMTP_DEFAULTS, url: email.smtp }
        : { ...SMTP_DEFAULTS, ...email.smtp },
    );
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    this.poll();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    this.transport?.close();
  }

  /** Tries to send one entry now; answers whether it went out (else it stays queued). */
  async sendNow(id: number): Promise<boolean> {
    const [entry] = await this.storage.claim({
      now: new Date(),
      leaseMs: LEASE_MS,
      limit: 1,
      id,
    });
    return entry ? this.send(entry) : false;
  }

  /** Sends every due entry; one poll at a time. */
  private poll(): void {
    if (this.polling) return;
    this.polling = (async () => {
      const entries = await this.storage.claim({
        now: new Date(),
        leaseMs: LEASE_MS,
        limit: 20,
      });
      for (const entry of entries) await this.send(entry);
    })()
      .catch((error: unknown) => this.logger.error(`outbox: ${(error as Error).message}`))
      .finally(() => (this.polling = undefined));
  }

  private async send(entry: OutboxEntry): Promise<boolean> {
    try {
      await this.transport!.sendMail(entry.payload as SendMailOptions);
    } catch (error) {
      const attempts = entry.attempts + 1;
      // An SMTP 5xx is the server's final word (RFC 5321 4.2.1): trying again only repeats it.
      const retryAt =
        attempts >= MAX_ATTEMPTS || isPermanentFailure(error)
          ? null
          : new Date(Date.now() + this.delayAfter(attempts));
      const reason = (error as Error).message;
      await this.storage.complete(entry.id, { sent: false, error: reason, retryAt });
      this.logger.warn(`outbox: reply ${entry.id} not sent (attempt ${attempts}): ${reason}`);
      return false;
    }
    await this.transactions.run(async () => {
      await this.storage.complete(entry.id, { sent: true, at: new Date() });
      await this.emails.markAnswered(entry.inboundId);
    });
    return true;
  }

  /** Exponential backoff from the configured first delay, capped at an hour, with jitter. */
  private delayAfter(attempts: number): number {
    const first = this.email.retryDelayMs;
    const delay = Math.min(first * 2 ** (attempts - 1), MAX_DELAY_MS);
    return delay / 2 + Math.random() * (delay / 2);
  }
}

/** nodemailer puts the SMTP reply code on its errors: 5xx is a permanent failure. */
const isPermanentFailure = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};
