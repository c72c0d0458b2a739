import type { IncomingMessage, ServerResponse } from 'node:http';
import { holdBody } from './owned-body.js';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * On Express, Nest adds its json and urlencoded parsers as the application's first middleware
 * when the application initialises. This middleware, added when the adapter is created, runs
 * before them and hides the inbound routes' bodies from them (docs/platforms.md).
 */
export function holdOwnedBodiesOnExpress(
  app: { use(middleware: Middleware): unknown },
  isOwned: (method: string | undefined, path: string) => boolean,
): void {
  app.use((request, _response, next) => {
    if (isOwned(request.method, request.url ?? '')) holdBody(request);
    next();
  });
}
