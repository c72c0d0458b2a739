// Browser-safe entry: rules only, nothing from `node:`. Signing lives in `@helperkit/core/node`.
export * from './errors.js';
export { MAX_URL_LENGTH, isLocalHostname } from './rules.js';
export * from './settings.js';
export * from './metadata.js';
export * from './visibility.js';
export * from './toggle.js';
export * from './link.js';
export * from './messages.js';
export type * from './api.js';
export * from './owner-key.js';
