import { Injectable } from '@nestjs/common';
import { isAcceptableEmail, type CustomerMetadata } from '@helperkit/core/node';
import type { HostCustomer, ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';

type MaybePromise<T> = T | Promise<T>;

/** Asks the host's `resolveCustomer` hook who is logged in. */
@Injectable()
export class HostCustomerService {
  constructor(@InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions) {}

  /**
   * The host's customer for a request, or `null` when nobody is logged in, no hook is configured
   * or the hook answers something without a usable email. Synchronous when the hook is, since
   * the signing middleware calls it on every page view. A hook that throws is the host's bug:
   * the error reaches the host's error handling.
   */
  resolve(request: unknown): MaybePromise<HostCustomer | null> {
    const answer = this.options.resolveCustomer?.(request);
    return answer instanceof Promise ? answer.then(usable) : usable(answer);
  }
}

const usable = (customer: HostCustomer | null | undefined): HostCustomer | null =>
  customer && isAcceptableEmail(customer.email) ? customer : null;

const METADATA_FIELDS = ['value', 'name', 'links', 'context'] as const;

/** The metadata fields the host's customer carries (`{}` when none), not yet validated. */
export function hostCustomerMetadata(customer: HostCustomer): CustomerMetadata {
  // A plain loop: this runs on every page the signing middleware covers.
  const metadata: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    if (customer[field] !== undefined) metadata[field] = customer[field];
  }
  return metadata as CustomerMetadata;
}
