import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import { WebhookQueue } from '../webhooks/webhook-queue.js';
import type { AnyHelperEvent } from './helper-events.js';
import { findHostEventEmitter, type EventSink } from './host-event-emitter.js';

/**
 * The one place the module announces what happened (docs/webhooks.md). Services call `publish`
 * inside the transaction of the change: the webhooks are queued in the outbox in that transaction,
 * and the Nest event is emitted once it commits, so a rolled-back change announces nothing.
 */
@Injectable()
export class HelperEventPublisher implements OnModuleInit {
  private readonly logger = new Logger('HelperModule');
  private emitter: EventSink | null = null;

  constructor(
    @InjectTransactions() private readonly transactions: HelperTransactions,
    private readonly webhooks: WebhookQueue,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    this.emitter = await findHostEventEmitter(this.moduleRef);
  }

  /** Announces these events, in order, with the change the caller's transaction makes. */
  publish(...events: AnyHelperEvent[]): Promise<void> {
    return this.transactions.run(async () => {
      for (const event of events) {
        await this.webhooks.enqueue(event);
        this.transactions.afterCommit(() => this.emit(event));
      }
    });
  }

  /**
   * Whether announcing an event of this type writes anything (a webhook to queue), so that it
   * must run in the transaction of the change.
   */
  writesFor(type: AnyHelperEvent['type']): boolean {
    return this.webhooks.queuesFor(type);
  }

  /**
   * Announces the event of a change that has committed, for which `writesFor` is false. It is
   * made only when the host listens (it is made on every chat post otherwise).
   */
  announceCommitted(make: () => AnyHelperEvent): void {
    if (this.emitter) this.emit(make());
  }

  /** A listener's failure is the host's: it cannot undo a committed change, so it is logged. */
  private emit(event: AnyHelperEvent): void {
    try {
      this.emitter?.emit(event.type, event);
    } catch (error) {
      this.logger.error(`a listener of ${event.type} failed: ${(error as Error).message}`);
    }
  }
}
