export { HelperModule } from './helper.module.js';
export {
  HELPER_MODULE_OPTIONS,
  type HelperModuleAsyncOptions,
  type HelperModuleExtras,
  type HelperModuleForRootOptions,
} from './helper.module-definition.js';
export {
  DEFAULT_DATABASE_PATH,
  DEFAULT_MAILBOX,
  DEFAULT_ROUTE_PREFIX,
  HelperConfigurationError,
  type HelperCorsOptions,
  type HelperDatabaseUrl,
  type HelperModuleOptions,
  type HostCustomer,
  type ResolveCustomer,
  type ResolvedHelperOptions,
  type SigningRoute,
} from './helper.options.js';
export {
  HELPER_ADMIN_GUARD,
  HELPER_RESOLVED_OPTIONS,
  HELPER_STORAGE,
  InjectHelperOptions,
  InjectHelperStorage,
  InjectResolvedHelperOptions,
} from './helper.tokens.js';
export { AdminGuard } from './admin.guard.js';
export { HelperExceptionFilter, HelperHttpError } from './errors.js';
export { HelperCustomer } from './identity/helper-customer.decorator.js';
export type { HelperCustomerContext } from './identity/customer-context.js';
export { SigningMiddleware } from './identity/signing.middleware.js';
export { SessionGuard, WidgetSessionParam } from './identity/session.guard.js';
export { SessionTokens, type WidgetSession } from './identity/session-tokens.js';
export { SettingsService } from './settings/settings.service.js';
export type { CustomerRecord, HelperStorage } from './storage/storage.js';
