import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { take } from 'rxjs';
import { holdOwnedBodiesOnExpress } from './express-owned-body.js';
import { holdOwnedBodiesOnFastify, type FastifyInstanceLike } from './fastify-owned-body.js';
import { ownedBodyMatcher } from './owned-body-paths.js';
import { HELPER_ROUTE_PREFIX } from './route-prefix.js';

/**
 * Installs the platform's part of "the inbound routes read their own bodies" as soon as the
 * application has its HTTP adapter: before Nest adds its body parsers and registers the routes,
 * both of which happen when the application initialises (docs/platforms.md).
 */
@Injectable()
export class OwnedBodyRoutes {
  private readonly logger = new Logger('HelperModule');

  constructor(
    adapterHost: HttpAdapterHost,
    config: ApplicationConfig,
    @Inject(HELPER_ROUTE_PREFIX) prefix: string,
  ) {
    const isOwned = ownedBodyMatcher(prefix, () => config.getGlobalPrefix());
    // Replayed: in NestFactory.create the adapter is there before this provider; in a testing
    // module it comes later, with createNestApplication. A context without HTTP never emits.
    adapterHost.init$.pipe(take(1)).subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      if (!adapter) return;
      const type = adapter.getType();
      if (type === 'express') holdOwnedBodiesOnExpress(adapter.getInstance(), isOwned);
      else if (type === 'fastify') {
        holdOwnedBodiesOnFastify(adapter.getInstance<FastifyInstanceLike>(), isOwned);
      } else {
        this.logger.warn(
          `The HTTP platform "${type}" is neither Express nor Fastify: the inbound email routes ` +
            'get their bodies only if no body parser reads them first.',
        );
      }
    });
  }
}
