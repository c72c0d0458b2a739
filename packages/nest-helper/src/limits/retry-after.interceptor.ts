import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { RateLimitedError, setRetryAfter } from './rate-limited.error.js';

/** Adds `Retry-After` to a 429 that a handler's service threw (guards add their own). */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof RateLimitedError) setRetryAfter(context, error);
        return throwError(() => error);
      }),
    );
  }
}
