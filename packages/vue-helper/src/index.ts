export { default as HelperWidget } from './components/HelperWidget.js';
export { createHelper } from './plugin.js';
export { helperKey } from './injection-keys.js';
export { useHelper } from './useHelper.js';
export { ANONYMOUS_TOKEN_KEY } from './anonymous-token-key.js';
export { HELPER_LOCALES, HELPER_POSITIONS, HELPER_THEMES } from './choices.js';
export type { HelperLocale, HelperPosition, HelperTheme } from './choices.js';
export type {
  Helper,
  HelperError,
  HelperErrorKind,
  HelperIdentity,
  HelperOptions,
  HelperStatus,
  IdentitySource,
} from './types.js';
export type { HelperEventHandler, HelperEventMap, HelperEventName } from './events.js';
export type { HelperMessages, PluralMessage } from './i18n/types.js';
export type { CustomerMetadata, FieldError, WidgetSessionResponse } from '@helperkit/core';
