import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HelperEmailOptions } from './email.options.js';
import { HELPER_EMAIL_MODULE_OPTIONS } from './email.tokens.js';

export const {
  ConfigurableModuleClass: ConfigurableEmailModule,
  OPTIONS_TYPE: EMAIL_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: EMAIL_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HelperEmailOptions>({
  optionsInjectionToken: HELPER_EMAIL_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  // Global, so the chat's staff pages find what the email module adds to their messages.
  .setExtras({}, (definition) => ({ ...definition, global: true }))
  .build();

export type HelperEmailModuleAsyncOptions = typeof EMAIL_ASYNC_OPTIONS_TYPE;
