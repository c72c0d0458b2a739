import { ownerKeyForEmail } from '@helperkit/core';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectOutboxStorage, InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import type { OutboxSender } from './outbox-sender.js';
import type { NewOutboxEntry, OutboxEntry, OutboxKind, OutboxStorage } from './outbox.storage.js';
import { SentMarks } from './sent-marks.js';

/** How often due entries are looked for. */
const POLL_MS = 1000;
/** An entry is this caller's for this long: longer than the slowest delivery the timeouts allow. */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;

/** A delivery that went out, to be marked sent. */
interface Delivered {
  entry: OutboxEntry;
  sender: OutboxSender;
  /** When the receiver took it. */
  at: Date;
}

/**
 * Delivers the durable outbox: auto-replies, continuity emails and webhooks, each kind through the
 * sender its module registered (docs/outbox.md). Right after its transaction commits when the
 * caller asks (`enqueueAndDeliver`), else by polling, with each sender's backoff after a failure.
 * An entry is leased before it is delivered (several instances never deliver the same one) and
 * marked right after, so a restart neither loses nor repeats it; only a crash between the
 * receiver's acceptance and that mark could deliver one twice (at-least-once).
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HelperModule');
  private readonly senders = new Map<OutboxKind, OutboxSender>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling: Promise<void> | undefined;
  /** Deliveries started after a commit (`enqueueAndDeliver`) that have not ended yet. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The marks of those deliveries, written a few at a time (docs/outbox.md). */
  private readonly sentMarks = new SentMarks<Delivered>((marks) => this.markSent(marks));

  constructor(
    @InjectOutboxStorage() private readonly storage: OutboxStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
  ) {}

  /** Called by a feature module while it starts (before the first poll). */
  register(sender: OutboxSender): void {
    this.senders.set(sender.kind, sender);
  }

  onApplicationBootstrap(): void {
    if (this.senders.size === 0) return;
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    this.poll();
  }

  /**
   * Before the modules close their transports and the database: let a running poll and the
   * deliveries started after a commit finish.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([this.polling, ...this.inFlight, this.sentMarks.close()]);
  }

  /**
   * Queues an entry in the caller's transaction and delivers it as soon as that transaction
   * commits, without waiting for the next poll. The entry is born leased to this instance, so no
   * claim is needed and no poll takes it meanwhile; should this instance stop before it is
   * marked, the lease ends and a poll delivers it. Rolled back, it is never delivered.
   */
  async enqueueAndDeliver(entry: NewOutboxEntry): Promise<number> {
    if (!this.senders.has(entry.kind)) return this.storage.enqueue(entry);
    const id = await this.storage.enqueue({ ...entry, leaseMs: LEASE_MS });
    const queued: OutboxEntry = {
      id,
      kind: entry.kind,
      mailbox: entry.mailbox,
      recipient: entry.recipient === undefined ? null : ownerKeyForEmail(entry.recipient),
      // As stored: the first attempt sends exactly what a retry from the table would.
      payload: JSON.parse(JSON.stringify(entry.payload)) as unknown,
      attempts: 0,
      inboundId: entry.inboundId ?? null,
      conversationId: entry.conversationId ?? null,
    };
    this.transactions.afterCommit(() => this.deliverInBackground(queued));
    return id;
  }

  private deliverInBackground(entry: OutboxEntry): void {
    // On the next turn of the event loop: the caller's answer is written before the sender's own
    // work (composing the email) starts.
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deliver(entry, (delivered) => this.sentMarks.add(delivered)))
      .then(() => undefined)
      // Only the bookkeeping can fail here (a sender's error is recorded as an attempt): the
      // entry stays leased, and the poll delivers it again once the lease ends.
      .catch((error: unknown) =>
        this.logger.error(`outbox: ${entry.kind} ${entry.id}: ${(error as Error).message}`),
      )
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Delivers every due entry; one poll at a time. */
  private poll(): void {
    if (this.polling) return;
    this.polling = (async () => {
      const entries = await this.storage.claim({
        now: new Date(),
        leaseMs: LEASE_MS,
        limit: BATCH,
        kinds: [...this.senders.keys()],
      });
      for (const entry of entries) await this.deliver(entry);
    })()
      .catch((error: unknown) => this.logger.error(`outbox: ${(error as Error).message}`))
      .finally(() => (this.polling = undefined));
  }

  /** Delivers one entry and records the outcome; `mark` records a success (at once by default). */
  private async deliver(
    entry: OutboxEntry,
    mark: (delivered: Delivered) => Promise<void> = (delivered) => this.markSent([delivered]),
  ): Promise<boolean> {
    const sender = this.senders.get(entry.kind)!;
    let answer: void | { cancelled: string };
    try {
      answer = await sender.deliver(entry);
    } catch (error) {
      const attempts = entry.attempts + 1;
      const delay = sender.retryDelayMs(attempts, error);
      const reason = (error as Error).message;
      await this.storage.complete(entry.id, {
        status: 'failed',
        error: reason,
        retryAt: delay === null ? null : new Date(Date.now() + delay),
      });
      this.logger.warn(
        `outbox: ${entry.kind} ${entry.id} not delivered (attempt ${attempts}): ${reason}`,
      );
      return false;
    }
    if (answer) {
      await this.storage.complete(entry.id, { status: 'cancelled', reason: answer.cancelled });
      return false;
    }
    await mark({ entry, sender, at: new Date() });
    return true;
  }

  /** Marks deliveries sent in one transaction, with each sender's bookkeeping. */
  private markSent(marks: readonly Delivered[]): Promise<void> {
    return this.transactions.run(async () => {
      for (const { entry, sender, at } of marks) {
        await this.storage.complete(entry.id, { status: 'sent', at });
        await sender.delivered?.(entry);
      }
    });
  }
}
