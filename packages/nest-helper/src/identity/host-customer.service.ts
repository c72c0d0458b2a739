import { Injectable } from '@nestjs/common';
import { isAcceptableEmail } from '@helperkit/core/node';
import type { HostCustomer, ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';

/** Asks the host's `resolveCustomer` hook who is logged in. */
@Injectable()
export class HostCustomerService {
  constructor(@InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions) {}

  /**
   * The host's customer for a request, or `null` when nobody is logged in, no hook is configured
   * or the hook answers something without a usable email. A hook that throws is the host's bug:
   * the error reaches the host's error handling.
   */
  async resolve(request: unknown): Promise<HostCustomer | null> {
    const customer = await this.options.resolveCustomer?.(request);
    if (!customer || !isAcceptableEmail(customer.email)) return null;
    return customer;
  }
}
