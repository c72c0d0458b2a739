import { Inject } from '@nestjs/common';

/** The options as given to `forRoot` or answered by `forRootAsync`'s factory. */
export const HELPER_MODULE_OPTIONS = 'HELPER_MODULE_OPTIONS';
/** The options after validation and defaults (`ResolvedHelperOptions`). */
export const HELPER_RESOLVED_OPTIONS = 'HELPER_RESOLVED_OPTIONS';
/** The host's admin guard, resolved to an instance. */
export const HELPER_ADMIN_GUARD = 'HELPER_ADMIN_GUARD';

/** Injects the options as given to `forRoot` or answered by `forRootAsync`'s factory. */
export const InjectHelperOptions = (): ParameterDecorator => Inject(HELPER_MODULE_OPTIONS);
/** Injects the validated options with defaults applied. */
export const InjectResolvedHelperOptions = (): ParameterDecorator =>
  Inject(HELPER_RESOLVED_OPTIONS);
