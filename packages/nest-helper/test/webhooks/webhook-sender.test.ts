import { afterEach, describe, expect, it } from '@jest/globals';
import type { ResolvedHelperOptions } from '../../src/index.js';
import type { OutboxService } from '../../src/outbox/outbox.service.js';
import type { OutboxEntry } from '../../src/outbox/outbox.storage.js';
import type { WebhookEntryPayload } from '../../src/webhooks/webhook-entry.js';
import { resolveWebhooks } from '../../src/webhooks/webhook-options.js';
import {
  DEFAULT_WEBHOOK_TIMING,
  webhookRetryDelayMs,
  type WebhookTiming,
} from '../../src/webhooks/webhook-retry.js';
import { WebhookDeliveryError, WebhookSender } from '../../src/webhooks/webhook-sender.js';
import { FAST_WEBHOOK_TIMING } from '../support/webhook-app.js';
import { WebhookReceiver, newWebhookSecret } from '../support/webhook-receiver.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

const unusedOutbox = { register: () => undefined } as unknown as OutboxService;

/** A sender for these endpoints, as HelperModule makes it. */
const senderFor = (
  webhooks: Array<{ url: string; secret: string; events?: string[] }>,
  timing: WebhookTiming = FAST_WEBHOOK_TIMING,
) =>
  new WebhookSender(
    { webhooks: resolveWebhooks(webhooks) } as ResolvedHelperOptions,
    timing,
    unusedOutbox,
  );

let entryId = 0;
const entryFor = (url: string, body = '{"type":"helper.message.created"}'): OutboxEntry => {
  const payload: WebhookEntryPayload = {
    url,
    id: `msg_test${++entryId}`,
    type: 'helper.message.created',
    body,
    queuedAt: new Date().toISOString(),
  };
  return {
    id: entryId,
    kind: 'webhook',
    mailbox: 'default',
    recipient: null,
    payload,
    attempts: 0,
    inboundId: null,
    conversationId: null,
  };
};

describe('WebhookSender', () => {
  const receivers: WebhookReceiver[] = [];
  const receiver = async (path?: string) => {
    const started = await new WebhookReceiver(path).start();
    receivers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((started) => started.stop()));
  });

  it('signs the exact body so that the standardwebhooks package verifies it', async () => {
    const hooks = await receiver();
    const secret = newWebhookSecret();
    const entry = entryFor(hooks.url, '{"type":"helper.message.created","data":{"é":"ü"}}');
    await senderFor([{ url: hooks.url, secret }]).deliver(entry);
    expect(hooks.verified(secret)).toEqual([{ type: 'helper.message.created', data: { é: 'ü' } }]);
    expect(hooks.received[0]!.headers['webhook-id']).toBe(
      (entry.payload as WebhookEntryPayload).id,
    );
  });

  it('fails verification under another secret', async () => {
    const hooks = await receiver();
    await senderFor([{ url: hooks.url, secret: newWebhookSecret() }]).deliver(entryFor(hooks.url));
    expect(() => hooks.verified(newWebhookSecret())).toThrow(/signature/i);
  });

  it('never follows a redirect', async () => {
    const elsewhere = await receiver('/elsewhere');
    const hooks = await receiver();
    hooks.answerWith((response) => response.writeHead(307, { Location: elsewhere.url }).end());
    const attempt = senderFor([{ url: hooks.url, secret: newWebhookSecret() }]).deliver(
      entryFor(hooks.url),
    );
    await expect(attempt).rejects.toThrow(
      `webhook ${hooks.url} answered 307 (redirects are not followed)`,
    );
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up an attempt that gets no answer within the timeout', async () => {
    const hooks = await receiver();
    hooks.answerWith(() => undefined);
    const attempt = senderFor([{ url: hooks.url, secret: newWebhookSecret() }], {
      ...FAST_WEBHOOK_TIMING,
      timeoutMs: 300,
    }).deliver(entryFor(hooks.url));
    await expect(attempt).rejects.toThrow(`webhook ${hooks.url}: no answer within 300 ms`);
  });

  it('counts a 2xx as delivered without reading the body, however long it is', async () => {
    const hooks = await receiver();
    const chunk = 'x'.repeat(64 * 1024);
    // A body that never ends: reading it would never finish.
    hooks.answerWith((response) => {
      response.writeHead(200);
      const more = () => {
        if (!response.destroyed) response.write(chunk, () => setImmediate(more));
      };
      more();
    });
    await expect(
      senderFor([{ url: hooks.url, secret: newWebhookSecret() }]).deliver(entryFor(hooks.url)),
    ).resolves.toBeUndefined();
  });

  it('names the endpoint without its query or secret when it fails', async () => {
    const hooks = await receiver();
    hooks.answerWith(503);
    const secret = newWebhookSecret();
    const url = `${hooks.url}?token=host-query-token`;
    const error = await senderFor([{ url, secret }])
      .deliver(entryFor(url))
      .catch((failure: unknown) => failure as WebhookDeliveryError);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect((error as Error).message).toBe(`webhook ${hooks.url} answered 503`);
    expect((error as Error).message).not.toContain('host-query-token');
    expect((error as Error).message).not.toContain(secret.slice('whsec_'.length));
  });

  it('cancels an entry whose endpoint was removed or no longer receives its event', async () => {
    const hooks = await receiver();
    const secret = newWebhookSecret();
    await expect(
      senderFor([{ url: hooks.url, secret }]).deliver(entryFor('https://gone.example.com/hooks')),
    ).resolves.toEqual({ cancelled: 'its endpoint is no longer configured' });
    await expect(
      senderFor([{ url: hooks.url, secret, events: ['helper.email.received'] }]).deliver(
        entryFor(hooks.url),
      ),
    ).resolves.toEqual({ cancelled: 'its endpoint no longer receives helper.message.created' });
    expect(hooks.received).toHaveLength(0);
  });
});

describe('webhook retries', () => {
  const queuedAt = new Date('2031-03-01T10:00:00Z');
  const at = (ms: number) => queuedAt.getTime() + ms;

  it('backs off from 5 s, doubling, with jitter, up to 6 h apart', () => {
    for (const [attempts, full] of [
      [1, 5_000],
      [2, 10_000],
      [5, 80_000],
      [20, 6 * HOUR],
    ] as const) {
      const delay = webhookRetryDelayMs(DEFAULT_WEBHOOK_TIMING, attempts, queuedAt, at(0))!;
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });

  it('gives up when the next attempt would come more than 3 days after queueing', () => {
    expect(webhookRetryDelayMs(DEFAULT_WEBHOOK_TIMING, 20, queuedAt, at(2 * DAY))).not.toBeNull();
    expect(webhookRetryDelayMs(DEFAULT_WEBHOOK_TIMING, 20, queuedAt, at(3 * DAY))).toBeNull();
  });

  it('reads when the webhook was queued from the failed attempt', () => {
    const sender = senderFor([], DEFAULT_WEBHOOK_TIMING);
    const old = new WebhookDeliveryError('answered 500', new Date(Date.now() - 3 * DAY));
    const fresh = new WebhookDeliveryError('answered 500', new Date());
    expect(sender.retryDelayMs(3, old)).toBeNull();
    expect(sender.retryDelayMs(3, fresh)).toBeGreaterThanOrEqual(10_000);
  });
});
