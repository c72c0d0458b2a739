import { Module, type DynamicModule } from '@nestjs/common';
import { HelperChatModule } from '../chat/chat.module.js';
import { HelperConfigurationError } from '../configuration-error.js';
import { HelperModule } from '../helper.module.js';
import type { HelperModuleExtras } from '../helper.module-definition.js';
import type { HelperModuleOptions } from '../helper.options.js';
import { testHmacSecret } from './test-credentials.js';
import { TestStaffGuard } from './test-staff.guard.js';

export type HelperTestingOptions = Partial<HelperModuleOptions> & HelperModuleExtras;

/** The test secret and in-memory database must never back a real deployment. */
function refuseProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new HelperConfigurationError(
      'HelperTestingModule refuses to start with NODE_ENV=production: it verifies identities with a ' +
        'test secret and keeps everything in memory. Import HelperModule.forRoot in production.',
    );
  }
}

/**
 * HelperModule and HelperChatModule for a host's own tests (docs/operations.md, "Testing kit"):
 * an in-memory SQLite database, a random secret per process (sign with `signTestIdentity`), and an
 * admin guard that lets in `testStaffHeaders()`. Any HelperModule option may be given over these.
 */
@Module({})
export class HelperTestingModule {
  constructor() {
    refuseProduction();
  }

  static forRoot(options: HelperTestingOptions = {}): DynamicModule {
    refuseProduction();
    return {
      module: HelperTestingModule,
      imports: [
        HelperModule.forRoot({
          hmacSecrets: [testHmacSecret()],
          adminGuard: TestStaffGuard,
          database: ':memory:',
          ...options,
        }),
        HelperChatModule.forRoot(),
      ],
    };
  }
}
