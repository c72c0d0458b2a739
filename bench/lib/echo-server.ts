import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * `GET /events/:id` of the bare servers: holds the response as client `id`'s stream, says `ready`,
 * and lets it go when the client leaves.
 */
export function openStream(
  streams: Map<string, ServerResponse>,
  id: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write('event: ready\ndata: {}\n\n');
  streams.set(id, response);
  request.on('close', () => streams.delete(id));
}

/**
 * The chat benchmark's baseline: the least an SSE chat server can do. Each client holds
 * `GET /events/:n`; `POST /send/:n` writes the posted body to client n and answers at once.
 * No storage, no auth, no validation: the floor helperkit's figures are compared with.
 */
export function startEchoServer(): Promise<Server> {
  const streams = new Map<string, ServerResponse>();
  const server = createServer((request, response) => {
    const [, kind, id] = request.url!.split('/');
    if (request.method === 'GET' && kind === 'events' && id) {
      openStream(streams, id, request, response);
      return;
    }
    if (request.method === 'POST' && kind === 'send' && id) {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        streams.get(id)?.write(`event: message\ndata: ${body}\n\n`);
        response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      });
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
