import type * as SwaggerPackage from '@nestjs/swagger';
import type { HelperOpenApiOptions } from './openapi.options.js';

/** The `@nestjs/swagger` package, when the host installed it. */
export type Swagger = typeof SwaggerPackage;

type AnyDecorator = ClassDecorator | MethodDecorator | PropertyDecorator;

/** Makes one of `@nestjs/swagger`'s decorators, given the package and the host's OpenAPI options. */
export type SwaggerDecoratorFactory = (
  swagger: Swagger,
  options: HelperOpenApiOptions,
) => AnyDecorator;

interface Recorded {
  make: SwaggerDecoratorFactory;
  target: object;
  key: string | symbol | undefined;
  descriptor: PropertyDescriptor | undefined;
}

// `@nestjs/swagger` is an optional peer: its decorators only write reflection metadata, and
// importing it statically would break every host without it. So helperkit's own decorators only
// record which swagger decorator goes where; when HelperModule starts and the package resolves,
// they are applied (see docs/openapi.md).
const recorded: Recorded[] = [];
/** Set once the decorators were applied: a class defined later gets its metadata at once. */
let appliedWith: { swagger: Swagger; options: HelperOpenApiOptions } | null = null;

const apply = (entry: Recorded, swagger: Swagger, options: HelperOpenApiOptions): void => {
  const decorator = entry.make(swagger, options) as (
    target: object,
    key?: string | symbol,
    descriptor?: PropertyDescriptor,
  ) => void;
  decorator(entry.target, entry.key, entry.descriptor);
};

/**
 * A decorator that applies `make(swagger, openApiOptions)` once `@nestjs/swagger` is loaded, and
 * does nothing without it.
 */
export const DeferredSwagger =
  (make: SwaggerDecoratorFactory) =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const entry = { make, target, key, descriptor };
    if (appliedWith) apply(entry, appliedWith.swagger, appliedWith.options);
    else recorded.push(entry);
  };

/**
 * Applies the recorded decorators, once per process: swagger's decorators add to what is there,
 * so a second pass would list everything twice. The first HelperModule to start decides the
 * `openApi` options.
 */
export function applyDeferredSwagger(swagger: Swagger, options: HelperOpenApiOptions): void {
  if (appliedWith) return;
  appliedWith = { swagger, options };
  for (const entry of recorded.splice(0)) apply(entry, swagger, options);
}

/** `@nestjs/swagger`, or null when it is not installed; any other failure to load it is thrown. */
export async function loadSwagger(): Promise<Swagger | null> {
  try {
    return await import('@nestjs/swagger');
  } catch (error) {
    if (isMissing(error, '@nestjs/swagger')) return null;
    throw error;
  }
}

const isMissing = (error: unknown, name: string): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${name}'`)
  );
};
