import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AnyHelperEvent } from '../events/helper-events.js';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import type { OutboxStorage } from '../outbox/outbox.storage.js';
import { InjectOutboxStorage } from '../storage/storage.tokens.js';
import type { WebhookEntryPayload } from './webhook-entry.js';

/** Queues an event for each endpoint that receives it, in the caller's transaction. */
@Injectable()
export class WebhookQueue {
  constructor(
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    @InjectOutboxStorage() private readonly outbox: OutboxStorage,
  ) {}

  /** Whether an endpoint receives events of this type. */
  queuesFor(type: AnyHelperEvent['type']): boolean {
    return this.options.webhooks.some(({ events }) => events.has(type));
  }

  async enqueue(event: AnyHelperEvent): Promise<void> {
    const endpoints = this.options.webhooks.filter(({ events }) => events.has(event.type));
    if (endpoints.length === 0) return;
    // One id per event, kept in each entry: every attempt, on any instance, sends the same one.
    const id = `msg_${randomBytes(16).toString('base64url')}`;
    const body = JSON.stringify(event);
    const queuedAt = new Date().toISOString();
    for (const { url } of endpoints) {
      const payload: WebhookEntryPayload = { url, id, type: event.type, body, queuedAt };
      await this.outbox.enqueue({
        kind: 'webhook',
        mailbox: event.data.conversation.mailbox,
        payload,
      });
    }
  }
}
