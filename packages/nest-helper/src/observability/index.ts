import { HelperObserver } from './helper-observer.js';
import { HelperOutboxBacklog } from './outbox-backlog.js';

/** Provided and exported by HelperModule, for the optional metrics and health modules. */
export const observabilityProviders = [HelperObserver, HelperOutboxBacklog];
