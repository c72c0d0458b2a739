import {
  Body,
  Controller,
  Get,
  Post,
  Injectable,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type ModuleMetadata,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HelperChatModule,
  HelperCustomer,
  HelperEmailModule,
  HelperModule,
  SessionGuard,
  WidgetSessionParam,
  type HelperCustomerContext,
  type HelperEmailOptions,
  type HelperModuleExtras,
  type HelperModuleOptions,
  type HostCustomer,
  type WidgetSession,
} from '../../src/index.js';
import { captureResponses } from './capture.js';
import { initApp, testHttpAdapter } from './platform.js';
import { createTestDatabase, onPostgres } from './postgres.js';
import { ADMIN_TOKEN, SECRET } from './secrets.js';

/** The demo's kind of admin guard: a bearer token for support staff. */
@Injectable()
export class StaffTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>()
      .headers.authorization;
    if (header === undefined) throw new UnauthorizedException('Staff login required.');
    return header === `Bearer ${ADMIN_TOKEN}`;
  }
}

/** Host routes: a page that embeds the signed identity, and one that a customer session guards. */
@Controller()
export class HostController {
  @Get('account')
  account(@HelperCustomer() helper: HelperCustomerContext | null) {
    return { identity: helper?.identity ?? null, name: helper?.customer.name ?? null };
  }

  @Get('public')
  publicPage(@HelperCustomer() helper: HelperCustomerContext | null) {
    return { identity: helper?.identity ?? null };
  }

  /** A host route left to the platform's own JSON parser and its default limit. */
  @Post('echo')
  echo(@Body() body: unknown) {
    return { received: body };
  }

  @Get('my-session')
  @UseGuards(SessionGuard)
  mySession(@WidgetSessionParam() session: WidgetSession) {
    return session;
  }
}

/** A fresh database per app: a SQLite file, or a PostgreSQL database in the PostgreSQL run. */
export const testDatabase = async (): Promise<HelperModuleOptions['database']> =>
  onPostgres ? { url: await createTestDatabase() } : tempDatabasePath();

/** A fresh directory per call, so each app gets its own SQLite file unless it asks otherwise. */
export const tempDatabasePath = () =>
  join(mkdtempSync(join(tmpdir(), 'helperkit-')), 'helperkit.sqlite');

/** The logged-in customer of a request, from the test's `x-user` header (JSON). */
export const customerFromHeader = (request: {
  headers: Record<string, unknown>;
}): HostCustomer | null => {
  const header = request.headers['x-user'];
  return typeof header === 'string' ? (JSON.parse(header) as HostCustomer) : null;
};

/**
 * The three modules as a host imports them: HelperModule with these options, HelperChatModule,
 * and HelperEmailModule when `email` is given.
 */
export const helperModules = (
  options: HelperModuleOptions & HelperModuleExtras,
  email?: HelperEmailOptions,
): NonNullable<ModuleMetadata['imports']> => [
  HelperModule.forRoot(options),
  HelperChatModule.forRoot(),
  ...(email ? [HelperEmailModule.forRoot(email)] : []),
];

/** A host app with HelperModule (these options over the tests' defaults) and HelperChatModule. */
export async function createApp(
  options: Partial<HelperModuleOptions & HelperModuleExtras> = {},
  imports: ModuleMetadata['imports'] = [HelperChatModule.forRoot()],
): Promise<INestApplication> {
  const helper = HelperModule.forRoot({
    hmacSecrets: [SECRET],
    adminGuard: StaffTokenGuard,
    database: await testDatabase(),
    resolveCustomer: customerFromHeader,
    signing: { forRoutes: [HostController], exclude: ['public'] },
    ...options,
  });
  return startApp([helper, ...imports]);
}

export async function startApp(
  imports: NonNullable<ModuleMetadata['imports']>,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports,
    controllers: [HostController],
  }).compile();
  const app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  app.use(captureResponses);
  await initApp(app);
  return app;
}

/** Starts the app on a loopback port (for fetch and streams) and answers its base URL. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${port}`;
}
