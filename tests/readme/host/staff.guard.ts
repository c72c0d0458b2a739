// The host's own files that README examples import (`./staff.guard.js`, `./App.vue`): the
// examples are type-checked next to these, as they would be in an application.
import { Injectable, type CanActivate } from '@nestjs/common';

@Injectable()
export class StaffGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
