import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A webhook as the receiver got it: its headers, its exact body, and what it answered. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** How the receiver answers one request: a status, or its own handling of the response. */
type Answer = number | ((response: ServerResponse) => void);

/**
 * A real HTTP endpoint in the test process that keeps every webhook it receives. It answers 200,
 * or in turn the answers given to `answerWith` first.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly server: Server;
  private readonly answers: Answer[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly path = '/hooks/helper') {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = this.answers.shift() ?? 200;
        const status = typeof answer === 'number' ? answer : 0;
        this.received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        if (typeof answer === 'number') response.writeHead(answer).end();
        else answer(response);
        const woken = this.waiters;
        this.waiters = [];
        for (const wake of woken) wake();
      });
    });
  }

  /** The URL to configure, on a loopback port. */
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${this.path}`;
    return this;
  }

  /** The next requests get these answers, in order; the ones after them get 200. */
  answerWith(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  /** Resolves once at least `count` webhooks arrived (the test's timeout bounds the wait). */
  async waitFor(count: number): Promise<ReceivedWebhook[]> {
    while (this.received.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.received;
  }

  /** Each webhook's event, verified with the `standardwebhooks` package (throws if one fails). */
  verified<T = { type: string; timestamp: string; data: Record<string, unknown> }>(
    secret: string,
  ): T[] {
    const verifier = new Webhook(secret);
    return this.received.map(
      ({ headers, body }) => verifier.verify(body, headers as Record<string, string>) as T,
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
