import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HelperModuleOptions } from './helper.options.js';

export interface HelperModuleExtras {
  /** Register the module globally, so feature modules need not import it. */
  isGlobal?: boolean;
}

// moduleName makes the options token readable: 'HELPER_MODULE_OPTIONS'.
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: HELPER_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HelperModuleOptions>({ moduleName: 'Helper' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHelperOptions')
  .setExtras<HelperModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `forRoot` takes: the module options and the extras (`isGlobal`). */
export type HelperModuleForRootOptions = typeof OPTIONS_TYPE;
/** What `forRootAsync` takes: `imports`, `inject` and a factory, class or existing provider. */
export type HelperModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
