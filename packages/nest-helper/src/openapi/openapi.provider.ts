import type { Provider } from '@nestjs/common';
import type { HelperModuleOptions } from '../helper.options.js';
import { HELPER_MODULE_OPTIONS } from '../helper.tokens.js';
import { applyDeferredSwagger, loadSwagger } from './deferred.js';
import { resolveOpenApiOptions } from './openapi.options.js';

/** Resolves to whether `@nestjs/swagger` was found and the module's metadata applied. */
export const HELPER_OPENAPI_METADATA = Symbol('HELPER_OPENAPI_METADATA');

/**
 * Applies the module's OpenAPI metadata while the app starts, before the host can call
 * `SwaggerModule.createDocument`; without `@nestjs/swagger` it does nothing (docs/openapi.md).
 */
export const openApiMetadataProvider: Provider = {
  provide: HELPER_OPENAPI_METADATA,
  useFactory: async (options: HelperModuleOptions): Promise<boolean> => {
    const openApi = resolveOpenApiOptions(options.openApi);
    const swagger = await loadSwagger();
    if (swagger === null) return false;
    applyDeferredSwagger(swagger, openApi);
    return true;
  },
  inject: [HELPER_MODULE_OPTIONS],
};
