// Node-only entry: everything in the browser-safe entry, plus identity signing and verification.
export * from './index.js';
export * from './identity.js';
