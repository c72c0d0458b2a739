import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every response the test apps sent, for the secret scan that runs after each suite. */
export interface CapturedResponse {
  url: string;
  status: number;
  headers: string;
  body: string;
}

export const capturedResponses: CapturedResponse[] = [];

/**
 * Express middleware that records each response's status, headers and body as sent on the wire,
 * whichever handler, filter or guard produced it.
 */
export function captureResponses(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) {
  const chunks: Buffer[] = [];
  const write = response.write.bind(response);
  const end = response.end.bind(response);
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(
            chunk as string,
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          ),
    );
  };
  response.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    keep(chunk, encoding);
    return write(chunk as never, encoding as never, callback as never);
  }) as typeof response.write;
  response.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    keep(chunk, encoding);
    return end(chunk as never, encoding as never, callback as never);
  }) as typeof response.end;
  response.on('finish', () => {
    capturedResponses.push({
      url: request.url ?? '',
      status: response.statusCode,
      headers: JSON.stringify(response.getHeaders()),
      body: Buffer.concat(chunks).toString('utf8'),
    });
  });
  next();
}
