import { Inject } from '@nestjs/common';

/** The options as given to `HelperEmailModule.forRoot` or its async factory. */
export const HELPER_EMAIL_MODULE_OPTIONS = 'HELPER_EMAIL_MODULE_OPTIONS';
/** The email options after validation and defaults (`ResolvedEmailOptions`). */
export const HELPER_EMAIL_OPTIONS = 'HELPER_EMAIL_OPTIONS';

/** Injects the validated email options with defaults applied. */
export const InjectEmailOptions = (): ParameterDecorator => Inject(HELPER_EMAIL_OPTIONS);
