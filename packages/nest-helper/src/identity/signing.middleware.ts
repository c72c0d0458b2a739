import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { HostCustomer } from '../helper.options.js';
import { HELPER_CUSTOMER_KEY, type RequestWithHelperCustomer } from './customer-context.js';
import { HostCustomerService } from './host-customer.service.js';
import { IdentitySigner } from './identity-signer.js';

/**
 * Signs the logged-in customer's identity on the routes the host chooses, so a server-rendered
 * page can embed `{ email, timestamp, emailHash }` and `GET <prefix>/widget/identity` can answer
 * it. Read the result with `@HelperCustomer()`.
 */
@Injectable()
export class SigningMiddleware implements NestMiddleware {
  constructor(
    private readonly hostCustomers: HostCustomerService,
    private readonly signer: IdentitySigner,
  ) {}

  use(
    request: RequestWithHelperCustomer,
    _response: unknown,
    next: (error?: unknown) => void,
  ): void {
    let customer: ReturnType<HostCustomerService['resolve']>;
    try {
      customer = this.hostCustomers.resolve(request);
    } catch (error) {
      return next(error);
    }
    // Most hooks answer synchronously (the user is on the request already): no extra tick then.
    if (customer instanceof Promise) {
      customer.then((resolved) => this.attach(request, resolved, next), next);
    } else {
      this.attach(request, customer, next);
    }
  }

  private attach(
    request: RequestWithHelperCustomer,
    customer: HostCustomer | null,
    next: (error?: unknown) => void,
  ) {
    request[HELPER_CUSTOMER_KEY] = customer
      ? { customer, identity: this.signer.sign(customer) }
      : null;
    next();
  }
}
