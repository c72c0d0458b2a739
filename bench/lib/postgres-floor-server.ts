import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { openStream } from './echo-server.js';

const CHANNEL = 'floor_events';
const MAILBOX = 1;
const ORDER_LOCK = 1;

/**
 * The storage benchmark's floor on PostgreSQL: the least a chat server must do that stores each
 * message before it answers, keeps a mailbox's messages in commit order (so a stream can resume
 * after an id) and fans out through PostgreSQL to every instance. Node's HTTP server speaking the
 * echo server's routes (`GET /events/:n`, `POST /send/:n`); per post one statement on a pool of
 * 10, as helperkit's: the mailbox's ordering lock, one row in one indexed table, and a NOTIFY
 * carrying it, which a listening connection writes to client n's stream. No framework,
 * validation, identity, conversations or read state: what helperkit adds on top is the rest.
 */
export async function startPostgresFloorServer(
  url: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // `pool.end()` resolves before its connections have closed, and the benchmark drops the database
  // right after: PostgreSQL may end a connection still closing, which must not end the run.
  pool.on('error', () => undefined);
  await pool.query(`create table floor_events (id bigserial primary key, mailbox_id integer not null,
    client text not null, payload text not null, created_at text not null)`);
  await pool.query('create index floor_events_by_mailbox on floor_events (mailbox_id, id)');
  const insert = {
    name: 'floor_insert',
    text: `insert into floor_events (mailbox_id, client, payload, created_at)
      select $1::integer, $2::text, $3::text, $4::text
      from (select pg_advisory_xact_lock(${ORDER_LOCK}, $1::integer)) as ordered
      returning id, pg_notify('${CHANNEL}', json_build_object('i', id, 'c', client,
        'd', payload::json)::text)`,
  };

  const streams = new Map<string, ServerResponse>();
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  await listener.query(`listen ${CHANNEL}`);
  listener.on('notification', ({ payload }) => {
    const { i, c, d } = JSON.parse(payload!) as { i: number; c: string; d: unknown };
    streams.get(c)?.write(`id: ${i}\nevent: message\ndata: ${JSON.stringify(d)}\n\n`);
  });

  const server: Server = createServer((request, response) => {
    const [, kind, client] = request.url!.split('/');
    if (request.method === 'GET' && kind === 'events' && client) {
      openStream(streams, client, request, response);
      return;
    }
    if (request.method !== 'POST' || kind !== 'send' || !client) {
      response.writeHead(404).end();
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      try {
        JSON.parse(body); // stored as JSON, which PostgreSQL would refuse otherwise
      } catch {
        response.writeHead(400).end();
        return;
      }
      pool.query({ ...insert, values: [MAILBOX, client, body, new Date().toISOString()] }).then(
        () => response.writeHead(201, { 'content-type': 'application/json' }).end('{}'),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await listener.end();
      await pool.end();
    },
  };
}
