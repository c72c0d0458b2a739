import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication, MessageEvent } from '@nestjs/common';
import { createParser } from 'eventsource-parser';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { EventRoutes } from '../src/chat/event-routes.js';
import { StreamHeartbeat } from '../src/chat/stream-heartbeat.js';
import { TypingService } from '../src/chat/typing.service.js';
import { EventsService } from '../src/index.js';
import { HelperObserver } from '../src/observability/helper-observer.js';
import { createApp, listen } from './support/app.js';
import { ADMIN_TOKEN } from './support/secrets.js';
import { SseClient } from './support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Small, so the test fills it quickly; the socket's kernel buffers come on top (a few MB). */
const STREAM_BUFFER_BYTES = 64 * 1024;

describe('event streams on the raw response', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let base: string;
  let closedStreams = 0;

  const customerToken = async () =>
    (await request(server).post('/helper/widget/session').send({}).expect(200)).body
      .token as string;
  const startConversation = async (token: string) =>
    (await request(server).post('/helper/conversations').set(bearer(token)).send({ body: 'Hi' }))
      .body.conversation.id as string;
  const reply = (id: string, body: string) =>
    request(server)
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body })
      .expect(201);
  /** Resolves once the server has closed `count` more streams than it had when called. */
  const streamsClosed = async (count: number) => {
    const target = closedStreams + count;
    while (closedStreams < target) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  beforeAll(async () => {
    app = await createApp({
      limits: {
        sessionsPerIpPerHour: 1000,
        conversationsPerIpPerHour: 1000,
        streamBufferBytes: STREAM_BUFFER_BYTES,
      },
    });
    server = app.getHttpServer();
    base = await listen(app);
    app.get(HelperObserver).subscribe((observation) => {
      if (observation.type === 'stream-closed') closedStreams++;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await app.close();
  });

  describe('wire format', () => {
    /** The status, headers and the first bytes of a stream, as a client receives them. */
    const firstBytes = (path: string, headers: Record<string, string>, method = 'GET') =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
        (resolve, reject) => {
          const outgoing = http.request(`${base}${path}`, { method, headers }, (response) => {
            let body = '';
            const done = () => {
              resolve({ status: response.statusCode!, headers: response.headers, body });
              outgoing.destroy();
            };
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              body += chunk;
              if (body.endsWith('}\n\n')) done();
            });
            response.on('end', done);
          });
          outgoing.on('error', reject).end();
        },
      );
    const SSE_HEADERS = {
      'content-type': 'text/event-stream',
      'cache-control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
      connection: 'keep-alive',
      pragma: 'no-cache',
      expires: '0',
      'x-accel-buffering': 'no',
      'transfer-encoding': 'chunked',
    };

    it.each([
      ['customer', '/helper/events', async () => bearer(await customerToken())],
      ['staff', '/helper/staff/events', async () => staff],
    ])(
      'a new %s stream: the SSE headers, then `ready` with its position',
      async (_, path, auth) => {
        const opened = await firstBytes(path, await auth());
        expect(opened.status).toBe(200);
        expect(opened.headers).toMatchObject(SSE_HEADERS);
        expect(opened.body).toMatch(/^\nevent: ready\nid: (\d+)\ndata: \{"position":\1\}\n\n$/);
      },
    );

    it('answers HEAD with the headers alone', async () => {
      const answer = await firstBytes('/helper/staff/events', staff, 'HEAD');
      expect(answer.status).toBe(200);
      expect(answer.headers).toMatchObject({ 'content-type': 'text/event-stream' });
      expect(answer.body).toBe('');
    });

    it('answers JSON errors before a stream starts', async () => {
      const unknownMailbox = await request(server)
        .get('/helper/staff/events?mailbox=nowhere')
        .set(staff);
      expect(unknownMailbox.status).toBe(404);
      expect(unknownMailbox.headers['content-type']).toMatch(/^application\/json/);
      const badPosition = await request(server)
        .get('/helper/staff/events?lastEventId=-1')
        .set(staff);
      expect(badPosition.status).toBe(400);
      expect(badPosition.body).toMatchObject({ code: 'validation_failed' });
      const noToken = await request(server).get('/helper/events');
      expect(noToken.status).toBe(401);
      expect(noToken.body.code).toEqual(expect.any(String));
    });
  });

  it('drops every listener of a stream as soon as its client leaves', async () => {
    // Each registration a stream makes (live events, typing, heartbeat), and whether it was undone.
    const registered = new Set<string>();
    let counter = 0;
    const track = <T extends object>(prototype: T, method: keyof T & string) => {
      const original = prototype[method] as (...args: unknown[]) => () => void;
      jest.spyOn(prototype, method as never).mockImplementation(function (
        this: unknown,
        ...args: unknown[]
      ) {
        const stop = original.apply(this, args);
        const name = `${method} ${++counter}`;
        registered.add(name);
        return () => {
          registered.delete(name);
          stop();
        };
      } as never);
    };
    track(EventRoutes.prototype, 'add');
    track(TypingService.prototype, 'watch');
    track(StreamHeartbeat.prototype, 'add');

    const customer = new SseClient(`${base}/helper/events`, bearer(await customerToken()));
    const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
    await customer.waitFor((event) => event.type === 'ready');
    await staffStream.waitFor((event) => event.type === 'ready');
    expect(registered.size).toBe(6);

    const closed = streamsClosed(2);
    customer.close();
    staffStream.close();
    await closed;
    expect([...registered]).toEqual([]);
  });

  it('drops a client that stops reading once its unread events pass the limit; it resumes and loses nothing', async () => {
    const id = await startConversation(await customerToken());
    const reader = new RawStreamReader(base, '/helper/staff/events', staff);
    await reader.until((events) => events.some((event) => event.type === 'ready'));
    const posted: string[] = [];
    // 30 kB each on the wire ('€' is 3 bytes in UTF-8), so the buffers fill in fewer posts.
    const post = () => {
      const body = `${posted.length} ${'€'.repeat(9_990)}`;
      posted.push(body);
      return reply(id, body);
    };
    await post();
    await reader.until((events) => events.some((event) => event.type === 'message'));

    reader.stopReading();
    const closedBefore = closedStreams;
    // Far more than the limit and the kernel's buffers; the server gives up long before.
    for (let batch = 0; batch < 300 && closedStreams === closedBefore; batch++) {
      await Promise.all(Array.from({ length: 5 }, post));
    }
    expect(closedStreams).toBe(closedBefore + 1);

    // What reached the client before the drop, then a resume from the last event it holds.
    const before = (await reader.readRest()).filter((event) => event.type === 'message');
    const lastId = before.at(-1)!.id;

    const resumed = new SseClient(`${base}/helper/staff/events`, {
      ...staff,
      'Last-Event-ID': lastId,
    });
    const missed = posted.length - before.length;

    const after = await resumed.waitFor((event) => event.type === 'message', missed, 20_000);
    resumed.close();
    const all = [...before, ...after];
    const ids = all.map((event) => Number(event.id));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    // Posted five at a time, so they may commit in another order than they were sent.
    const bodies = all.map((event) => (event.data as { message: { body: string } }).message.body);
    expect(bodies.sort()).toEqual([...posted].sort());
  }, 60_000); // a limit on the harness: a few hundred posts on a shared machine

  it('replays more than the unread limit in full to a client that reads: a replay waits for it', async () => {
    const id = await startConversation(await customerToken());
    const start = new SseClient(`${base}/helper/staff/events`, staff);
    const [ready] = await start.waitFor((event) => event.type === 'ready');
    start.close();
    const bodies = Array.from({ length: 20 }, (_, n) => `${n} ${'y'.repeat(9_990)}`);
    for (const body of bodies) await reply(id, body);

    const resumed = new SseClient(`${base}/helper/staff/events`, {
      ...staff,
      'Last-Event-ID': ready!.id!,
    });
    const replayed = await resumed.waitFor((event) => event.type === 'message', bodies.length);
    resumed.close();
    expect(bodies.length * 10_000).toBeGreaterThan(STREAM_BUFFER_BYTES);
    expect(
      replayed.map((event) => (event.data as { message: { body: string } }).message.body),
    ).toEqual(bodies);
  });

  it('EventsService.stream still serves the events as an Observable, for a host’s own route', async () => {
    const id = await startConversation(await customerToken());
    const received: MessageEvent[] = [];
    const subscription = app
      .get(EventsService)
      .stream({ mailbox: 'default' }, null)
      .subscribe((event) => received.push(event));
    const receivedCount = async (count: number) => {
      while (received.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await receivedCount(1);
    await reply(id, 'Through the Observable');
    await receivedCount(2);
    const [ready, message] = received as [MessageEvent, MessageEvent];
    expect(ready).toMatchObject({ type: 'ready', data: { position: Number(ready.id) } });
    expect(message).toMatchObject({
      type: 'message',
      data: { message: { body: 'Through the Observable' } },
    });
    expect(Number(message.id)).toBeGreaterThan(Number(ready.id));
    const closed = streamsClosed(1);
    subscription.unsubscribe();
    await closed;
  });
});

interface RawEvent {
  id: string;
  type: string;
  data: unknown;
}

/**
 * A stream read over a plain socket, so the test decides when the client stops reading: a paused
 * socket leaves what the server sends in the kernel's buffers, then in the server's.
 */
class RawStreamReader {
  readonly events: RawEvent[] = [];
  private readonly socket: Socket;
  private readonly parser = createParser({
    onEvent: ({ id, event, data }) =>
      this.events.push({ id: id ?? '', type: event ?? 'message', data: JSON.parse(data) }),
  });
  private headersSeen = false;
  private buffered = '';
  private ended = false;
  private wake: () => void = () => undefined;

  constructor(base: string, path: string, headers: Record<string, string>) {
    const { hostname, port } = new URL(base);
    this.socket = connect(Number(port), hostname);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n${lines.join('')}\r\n`);
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => this.feed(chunk));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  async until(check: (events: RawEvent[]) => boolean): Promise<void> {
    while (!check(this.events)) {
      if (this.ended) throw new Error(`the stream ended: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  stopReading(): void {
    this.socket.pause();
  }

  /** Reads what the kernel still holds for the client until the connection ends. */
  async readRest(): Promise<RawEvent[]> {
    this.socket.resume();
    while (!this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.events;
  }

  /** The body is chunked: each chunk is a hex size line, the bytes, and CRLF. */
  private feed(chunk: string): void {
    this.buffered += chunk;
    if (!this.headersSeen) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.buffered = this.buffered.slice(end + 4);
      this.headersSeen = true;
    }
    for (;;) {
      const sizeEnd = this.buffered.indexOf('\r\n');
      if (sizeEnd < 0) break;
      const size = parseInt(this.buffered.slice(0, sizeEnd), 16);
      if (this.buffered.length < sizeEnd + 2 + size + 2) break;
      const bytes = this.buffered.slice(sizeEnd + 2, sizeEnd + 2 + size);
      this.parser.feed(Buffer.from(bytes, 'latin1').toString('utf8'));
      this.buffered = this.buffered.slice(sizeEnd + 2 + size + 2);
    }
    this.wake();
  }
}
