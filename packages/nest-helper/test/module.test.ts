import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import {
  HELPER_MODULE_OPTIONS,
  HelperChatModule,
  HelperEmailModule,
  HelperModule,
  InjectHelperOptions,
  SettingsService,
  type HelperModuleOptions,
} from '../src/index.js';
import { StaffTokenGuard, startApp, tempDatabasePath } from './support/app.js';
import { ADMIN_TOKEN, PREVIOUS_SECRET, SECRET } from './support/secrets.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** The documented @nestjs/config recipe: secrets from the environment through ConfigService. */
const helperOptionsFromConfig = (config: ConfigService): HelperModuleOptions => ({
  hmacSecrets: [
    config.getOrThrow<string>('HELPER_HMAC_SECRET'),
    ...(config.get<string>('HELPER_HMAC_PREVIOUS_SECRETS') ?? '').split(',').filter(Boolean),
  ],
  adminGuard: StaffTokenGuard,
  database: config.getOrThrow<string>('HELPER_DATABASE'),
});

const configModule = (env: Record<string, string>) =>
  ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] });

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Proves a running module: the settings answer, and a session verifies with each given secret. */
async function expectWorking(prefix: string, secrets: string[]) {
  const server = app!.getHttpServer();
  await request(server).get(`/${prefix}/settings`).set(staff).expect(200);
  for (const secret of secrets) {
    await request(server)
      .post(`/${prefix}/widget/session`)
      .send(signIdentity({ email: 'ann@example.com' }, secret))
      .expect(200);
  }
}

describe('HelperModule', () => {
  it('forRoot with a custom route prefix', async () => {
    app = await startApp([
      HelperModule.forRoot({
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: tempDatabasePath(),
        routePrefix: '/api/support/',
      }),
    ]);
    await expectWorking('api/support', [SECRET]);
    await request(app.getHttpServer()).get('/helper/settings').set(staff).expect(404);
  });

  it('forRootAsync with useFactory and ConfigService, current and previous secrets', async () => {
    const env = {
      HELPER_HMAC_SECRET: SECRET,
      HELPER_HMAC_PREVIOUS_SECRETS: PREVIOUS_SECRET,
      HELPER_DATABASE: tempDatabasePath(),
    };
    app = await startApp([
      HelperModule.forRootAsync({
        routePrefix: 'support',
        imports: [configModule(env)],
        inject: [ConfigService],
        useFactory: helperOptionsFromConfig,
      }),
    ]);
    await expectWorking('support', [SECRET, PREVIOUS_SECRET]);
  });

  it('forRootAsync with useClass', async () => {
    const database = tempDatabasePath();
    @Injectable()
    class HelperConfig {
      createHelperOptions(): HelperModuleOptions {
        return { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database };
      }
    }
    app = await startApp([HelperModule.forRootAsync({ useClass: HelperConfig })]);
    await expectWorking('helper', [SECRET]);
  });

  it('forRootAsync with useExisting', async () => {
    const database = tempDatabasePath();
    @Injectable()
    class SharedConfig {
      createHelperOptions(): HelperModuleOptions {
        return { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database };
      }
    }
    @Module({ providers: [SharedConfig], exports: [SharedConfig] })
    class SharedConfigModule {}
    app = await startApp([
      HelperModule.forRootAsync({ imports: [SharedConfigModule], useExisting: SharedConfig }),
    ]);
    await expectWorking('helper', [SECRET]);
  });

  it('is global: its exports reach every module, under a readable token', async () => {
    @Injectable()
    class Consumer {
      constructor(
        readonly settings: SettingsService,
        @InjectHelperOptions() readonly options: HelperModuleOptions,
      ) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    app = await startApp([
      HelperModule.forRoot({
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: tempDatabasePath(),
      }),
      FeatureModule,
    ]);
    const consumer = app.get(Consumer);
    expect(HELPER_MODULE_OPTIONS).toBe('HELPER_MODULE_OPTIONS');
    expect(await consumer.settings.get('default')).toMatchObject({ title: 'Support' });
    expect(consumer.options.hmacSecrets).toEqual([SECRET]);
  });

  it('accepts an admin guard instance as well as a class', async () => {
    app = await startApp([
      HelperModule.forRoot({
        hmacSecrets: [SECRET],
        adminGuard: { canActivate: () => true },
        database: tempDatabasePath(),
      }),
    ]);
    await request(app.getHttpServer()).get('/helper/settings').expect(200);
  });
});

describe('opt-in feature modules', () => {
  const core = (routePrefix?: string) =>
    HelperModule.forRoot({
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: tempDatabasePath(),
      routePrefix,
    });
  const email = {
    address: 'support@example.com',
    smtp: 'smtp://127.0.0.1:2525',
    inboundSecret: 'inbound-secret-for-tests-0123456789abcdef',
  };

  /** What Nest's own router answers for a path no controller has. */
  const expectNoRoute = async (method: 'get' | 'post', path: string) => {
    const response = await request(app!.getHttpServer())[method](path).set(staff);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Cannot ${method.toUpperCase()} ${path}`);
  };

  it('HelperModule alone mounts no chat or email route', async () => {
    app = await startApp([core()]);
    await request(app.getHttpServer()).get('/helper/settings').set(staff).expect(200);
    await expectNoRoute('get', '/helper/conversations');
    await expectNoRoute('get', '/helper/staff/conversations');
    await expectNoRoute('get', '/helper/events');
    await expectNoRoute('post', '/helper/email/inbound');
    await expectNoRoute('post', '/helper/email/inbound/sendgrid');
  });

  it('HelperChatModule mounts the chat under the same prefix, and no email route', async () => {
    app = await startApp([core('api/support'), HelperChatModule.forRoot()]);
    await request(app.getHttpServer())
      .get('/api/support/staff/conversations')
      .set(staff)
      .expect(200);
    await request(app.getHttpServer()).get('/api/support/conversations').expect(401);
    await expectNoRoute('get', '/helper/staff/conversations');
    await expectNoRoute('post', '/api/support/email/inbound');
  });

  it('HelperEmailModule mounts the inbound routes next to the chat', async () => {
    app = await startApp([core(), HelperChatModule.forRoot(), HelperEmailModule.forRoot(email)]);
    const answer = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Content-Type', 'message/rfc822')
      .send('From: a@example.org\r\n\r\nhi');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ statusCode: 401, code: expect.any(String) });
  });

  it('HelperEmailModule without HelperChatModule fails at start-up and says what to import', async () => {
    await expect(startApp([core(), HelperEmailModule.forRoot(email)])).rejects.toThrow(
      /HelperEmailModule needs HelperChatModule: import HelperChatModule.forRoot\(\)/,
    );
  });

  it('HelperEmailModule.forRootAsync validates its options like forRoot', async () => {
    await expect(
      startApp([
        core(),
        HelperChatModule.forRoot(),
        HelperEmailModule.forRootAsync({
          useFactory: () => ({ ...email, inboundSecret: 'short' }),
        }),
      ]),
    ).rejects.toThrow(/email.inboundSecret must be a string of at least 32 bytes/);
  });
});
