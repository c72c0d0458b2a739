import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { secretsEqual } from '../email/secret-compare.js';
import { testStaffHeaders } from './test-credentials.js';

/** The testing module's admin guard: lets in requests with `testStaffHeaders()`. */
@Injectable()
export class TestStaffGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const given = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
      .headers.authorization;
    if (typeof given !== 'string' || !secretsEqual(given, testStaffHeaders().authorization)) {
      throw new UnauthorizedException('Support staff only: send testStaffHeaders().');
    }
    return true;
  }
}
