import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HELPER_ADMIN_GUARD } from './helper.tokens.js';

/**
 * Guards the settings and staff endpoints with the host's own guard (the `adminGuard` option),
 * resolved once at start-up. helperkit has no notion of staff accounts: the host decides.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(HELPER_ADMIN_GUARD) private readonly hostGuard: CanActivate) {}

  canActivate(context: ExecutionContext) {
    return this.hostGuard.canActivate(context);
  }
}
