// @helperkit/nest/testing: helpers for a host's own tests. See docs/operations.md.
export { HelperTestingModule, type HelperTestingOptions } from './testing.module.js';
export { signTestIdentity, testStaffHeaders } from './test-credentials.js';
