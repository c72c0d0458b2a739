import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { HelperLimits } from '../../src/limits/limits.options.js';
import { HELPER_LIMIT_CLOCK } from '../../src/limits/limit-clock.js';
import type { HelperModuleOptions } from '../../src/index.js';
import { HostController, StaffTokenGuard, customerFromHeader, helperModules } from './app.js';
import { captureResponses } from './capture.js';
import { SECRET } from './secrets.js';

/** A clock the limits read, moved by the test: past a window at once, and never by accident. */
export class FakeClock {
  /** A window boundary (a whole hour), so the first window runs its full length. */
  private time = Date.parse('2031-03-01T10:00:00Z');
  readonly read = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * A host app with these limits and the fake clock. It trusts `X-Forwarded-For` (as a host
 * behind its own proxy would), so a test can be several clients.
 */
export async function startLimitedApp(
  limits: Partial<HelperLimits>,
  clock: FakeClock,
  database: HelperModuleOptions['database'],
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: helperModules({
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database,
      resolveCustomer: customerFromHeader,
      limits,
    }),
    controllers: [HostController],
  })
    .overrideProvider(HELPER_LIMIT_CLOCK)
    .useValue(clock.read)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.set('trust proxy', true);
  app.use(captureResponses);
  await app.init();
  return app;
}

/** A client at this address (through the trusted proxy header). */
export const from = (ip: string) => ({ 'X-Forwarded-For': ip });

/** A new anonymous session's token, started from `ip`. */
export async function anonymousToken(app: INestApplication, ip = '198.51.100.1'): Promise<string> {
  const response = await request(app.getHttpServer())
    .post('/helper/widget/session')
    .set(from(ip))
    .send({})
    .expect(200);
  return response.body.token as string;
}
