import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import {
  HELPER_MODULE_OPTIONS,
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
  routePrefix: config.get<string>('HELPER_ROUTE_PREFIX'),
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
      HELPER_ROUTE_PREFIX: 'support',
    };
    app = await startApp([
      HelperModule.forRootAsync({
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

  it('isGlobal makes its exports available to every module, under a readable token', async () => {
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
        isGlobal: true,
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
