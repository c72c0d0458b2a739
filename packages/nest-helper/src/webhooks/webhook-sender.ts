import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import type { OutboxSender } from '../outbox/outbox-sender.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { OutboxEntry } from '../outbox/outbox.storage.js';
import type { WebhookEntryPayload } from './webhook-entry.js';
import type { ResolvedWebhook } from './webhook-options.js';
import { InjectWebhookTiming, webhookRetryDelayMs, type WebhookTiming } from './webhook-retry.js';
import { webhookSignature } from './webhook-signature.js';

/** A failed attempt: which endpoint and why (never its secret), and when the webhook was queued. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly queuedAt: Date,
  ) {
    super(message);
  }
}

/**
 * POSTs the outbox's webhooks, signed per Standard Webhooks (docs/webhooks.md). A 2xx answer
 * delivers; anything else (a redirect included: it is never followed), a network error or no
 * answer within the timeout is retried with backoff until three days after it was queued.
 */
@Injectable()
export class WebhookSender implements OutboxSender, OnModuleInit {
  readonly kind = 'webhook';
  private readonly endpoints: ReadonlyMap<string, ResolvedWebhook>;

  constructor(
    @InjectResolvedHelperOptions() options: ResolvedHelperOptions,
    @InjectWebhookTiming() private readonly timing: WebhookTiming,
    private readonly outbox: OutboxService,
  ) {
    this.endpoints = new Map(options.webhooks.map((endpoint) => [endpoint.url, endpoint]));
  }

  /** Without endpoints there is nothing to deliver: the outbox need not poll for webhooks. */
  onModuleInit(): void {
    if (this.endpoints.size > 0) this.outbox.register(this);
  }

  async deliver(entry: OutboxEntry): Promise<void | { cancelled: string }> {
    const webhook = entry.payload as WebhookEntryPayload;
    const endpoint = this.endpoints.get(webhook.url);
    if (endpoint === undefined) return { cancelled: 'its endpoint is no longer configured' };
    if (!endpoint.events.has(webhook.type)) {
      return { cancelled: `its endpoint no longer receives ${webhook.type}` };
    }
    const queuedAt = new Date(webhook.queuedAt);
    const where = describeEndpoint(endpoint.url);
    let status: number;
    try {
      status = await this.post(endpoint, webhook);
    } catch (error) {
      throw new WebhookDeliveryError(`${where}: ${this.failure(error)}`, queuedAt);
    }
    if (status < 200 || status > 299) {
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
      throw new WebhookDeliveryError(`${where} answered ${status}${redirect}`, queuedAt);
    }
  }

  retryDelayMs(attempts: number, error: unknown): number | null {
    const queuedAt = error instanceof WebhookDeliveryError ? error.queuedAt : new Date();
    return webhookRetryDelayMs(this.timing, attempts, queuedAt);
  }

  /** One attempt; answers the status. */
  private async post(endpoint: ResolvedWebhook, webhook: WebhookEntryPayload): Promise<number> {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'helperkit-webhooks',
        'webhook-id': webhook.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': webhookSignature(endpoint.key, webhook.id, timestamp, webhook.body),
      },
      body: webhook.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timing.timeoutMs),
    });
    // Only the status counts: the body is never read, so a large or endless one costs nothing.
    await response.body?.cancel();
    return response.status;
  }

  private failure(error: unknown): string {
    if ((error as Error).name === 'TimeoutError') {
      return `no answer within ${this.timing.timeoutMs} ms`;
    }
    const cause = (error as { cause?: { message?: unknown } }).cause;
    return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
  }
}

/** The endpoint for logs and errors: without its query, which may carry a token of the host's. */
const describeEndpoint = (url: string): string => {
  const { origin, pathname } = new URL(url);
  return `webhook ${origin}${pathname}`;
};
