import type { INestApplication } from '@nestjs/common';
import { onFastify } from '../support/platform.js';

/** A route the app's HTTP router serves, as `METHOD /path/:param`. */
export interface ServedRoute {
  method: string;
  path: string;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

interface FastifyRouteOptions {
  method: string | string[];
  url: string;
}

/**
 * Starts recording the routes the platform's router registers, read from the router itself (not
 * from Nest), so a route that lacks OpenAPI metadata cannot hide. Call before `init()`.
 * Answers a function that lists them once the app is initialised.
 */
export function recordServedRoutes(app: INestApplication): () => ServedRoute[] {
  const instance = app.getHttpAdapter().getInstance() as {
    addHook?(name: 'onRoute', hook: (route: FastifyRouteOptions) => void): void;
    router?: { stack: ExpressLayer[] };
  };
  if (onFastify) {
    const routes: ServedRoute[] = [];
    instance.addHook!('onRoute', ({ method, url }) => {
      for (const one of [method].flat()) routes.push({ method: one, path: url });
    });
    // Fastify answers HEAD for every GET by itself: not a route of the module.
    return () => routes.filter((route) => route.method !== 'HEAD');
  }
  // Express keeps the module's middleware for a method and path (Nest's `forRoutes`) as routes of
  // its router too; those are the wildcard ones (`email/inbound/*path`), as no handler is.
  return () =>
    instance.router!.stack.flatMap(({ route }) =>
      route && !route.path.includes('*')
        ? Object.keys(route.methods)
            .filter((method) => method !== '_all')
            .map((method) => ({ method: method.toUpperCase(), path: route.path }))
        : [],
    );
}
