import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import {
  HELPER_CUSTOMER_KEY,
  type HelperCustomerContext,
  type RequestWithHelperCustomer,
} from './customer-context.js';
import { nativeRequest } from '../http/native-request.js';

/**
 * The signed identity and customer that the signing middleware attached to the request, or
 * `null` when nobody is logged in or the middleware does not run on this route.
 *
 * @example
 * ＠Get('account')
 * account(＠HelperCustomer() helper: HelperCustomerContext | null) {
 *   return { helperIdentity: helper?.identity ?? null };
 * }
 */
export const HelperCustomer = createParamDecorator(
  (_data: unknown, context: ExecutionContext): HelperCustomerContext | null =>
    // The middleware wrote on Node's request: on Fastify that is `request.raw`.
    (nativeRequest(context.switchToHttp().getRequest<object>()) as RequestWithHelperCustomer)[
      HELPER_CUSTOMER_KEY
    ] ?? null,
);
