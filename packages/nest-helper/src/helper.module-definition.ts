import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { HELPER_ROUTE_PREFIX, normalizeRoutePrefix } from './http/route-prefix.js';
import { routedModules } from './http/routed-modules.js';
import { HELPER_MODULE_OPTIONS } from './helper.tokens.js';
import type { HelperModuleOptions } from './helper.options.js';
import type { HelperStorageOption } from './helper.stores.js';

export interface HelperModuleExtras {
  /**
   * Route prefix of every helperkit endpoint (default `helper`). Given to `forRoot` or
   * `forRootAsync` itself, not answered by the async factory: routes are registered with Nest's
   * `RouterModule` when the module is declared, before any factory runs.
   */
  routePrefix?: string;
}

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<HelperModuleOptions & HelperStorageOption>({
    optionsInjectionToken: HELPER_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createHelperOptions')
    .setExtras<HelperModuleExtras>({ routePrefix: undefined }, (definition, extras) => {
      const prefix = normalizeRoutePrefix(extras.routePrefix);
      const prefixProvider: Provider = { provide: HELPER_ROUTE_PREFIX, useValue: prefix };
      return {
        ...definition,
        // Global: the feature modules (chat, email) and the host's own modules use its guard,
        // tokens and storage without importing it again.
        global: true,
        imports: [
          ...(definition.imports ?? []),
          RouterModule.register(
            [definition.module, ...routedModules()].map((module) => ({ path: prefix, module })),
          ),
        ],
        providers: [...(definition.providers ?? []), prefixProvider],
        exports: [...(definition.exports ?? []), HELPER_ROUTE_PREFIX],
      };
    })
    .build();

/** What `forRoot` takes: the module options and the extras (`routePrefix`). */
export type HelperModuleForRootOptions = typeof OPTIONS_TYPE;
/** What `forRootAsync` takes: `imports`, `inject` and a factory, class or existing provider. */
export type HelperModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
