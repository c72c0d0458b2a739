import { Injectable, type NestMiddleware } from '@nestjs/common';
import { signIdentity } from '@helperkit/core/node';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { HELPER_CUSTOMER_KEY, type RequestWithHelperCustomer } from './customer-context.js';
import { HostCustomerService } from './host-customer.service.js';

/**
 * Signs the logged-in customer's identity on the routes the host chooses, so a server-rendered
 * page can embed `{ email, timestamp, emailHash }` and `GET <prefix>/widget/identity` can answer
 * it. Read the result with `@HelperCustomer()`.
 */
@Injectable()
export class SigningMiddleware implements NestMiddleware {
  constructor(
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    private readonly hostCustomers: HostCustomerService,
  ) {}

  async use(
    request: RequestWithHelperCustomer,
    _response: unknown,
    next: (error?: unknown) => void,
  ) {
    try {
      const customer = await this.hostCustomers.resolve(request);
      request[HELPER_CUSTOMER_KEY] = customer
        ? {
            customer,
            identity: signIdentity({ email: customer.email }, this.options.hmacSecrets[0]!),
          }
        : null;
      next();
    } catch (error) {
      next(error);
    }
  }
}
