import type { SignedIdentity } from '@helperkit/core/node';
import type { HostCustomer } from '../helper.options.js';

/** What the signing middleware attaches to a request whose user the host knows. */
export interface HelperCustomerContext {
  /** The host's customer, as `resolveCustomer` answered. */
  customer: HostCustomer;
  /** The customer's identity signed with the current secret, for the page to hand to the widget. */
  identity: SignedIdentity;
}

/** The request property the middleware writes and `@HelperCustomer()` reads. */
export const HELPER_CUSTOMER_KEY = 'helperCustomer';

export type RequestWithHelperCustomer = { [HELPER_CUSTOMER_KEY]?: HelperCustomerContext | null };
