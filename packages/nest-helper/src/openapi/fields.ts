import type { ApiPropertyOptions } from '@nestjs/swagger';
import { DeferredSwagger } from './deferred.js';

/** A documented field of a request or response body (applied when `@nestjs/swagger` is installed). */
export const ApiField = (options: ApiPropertyOptions) =>
  DeferredSwagger((swagger) => swagger.ApiProperty(options));

/** A documented field that may be left out. */
export const ApiOptionalField = (options: ApiPropertyOptions) =>
  DeferredSwagger((swagger) => swagger.ApiPropertyOptional(options));
