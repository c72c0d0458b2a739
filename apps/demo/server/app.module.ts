import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { HelperMetricsModule } from '@helperkit/nest/metrics';
import { HelperHealthModule } from '@helperkit/nest/terminus';
import { Registry } from 'prom-client';
import { DEMO_AUTHSERV_ID } from './test-email.js';
import {
  HelperChatModule,
  HelperEmailModule,
  HelperModule,
  type HelperEmailOptions,
  type HelperModuleOptions,
} from '@helperkit/nest';
import { join } from 'node:path';
import { DEMO_STAFF_SECURITY } from './api-docs.js';
import { SALES_ADDRESS, SUPPORT_ADDRESS, resolveDemoCustomer } from './customers.js';
import { DemoConfig, loadDemoConfig } from './demo-config.js';
import { DemoController } from './demo.controller.js';
import { DemoRuntime } from './demo-runtime.js';
import { MailCatcher } from './mail-catcher.service.js';
import { OpsController } from './ops.controller.js';
import { demoRoot } from './paths.js';
import { StaffGuard } from './staff.guard.js';

/** The demo's configuration, staff guard and mail catcher, shared by helperkit and the demo. */
@Module({
  providers: [
    { provide: DemoConfig, useFactory: loadDemoConfig, inject: [ConfigService] },
    {
      // Listening before helperkit's options are made: they need its port.
      provide: MailCatcher,
      useFactory: async (config: DemoConfig) => {
        const catcher = new MailCatcher();
        await catcher.listen(config.smtpPort);
        return catcher;
      },
      inject: [DemoConfig],
    },
    DemoRuntime,
    StaffGuard,
  ],
  exports: [DemoConfig, MailCatcher, DemoRuntime, StaffGuard],
})
export class DemoCoreModule {}

/** helperkit's options for the demo, from its configuration. */
export function helperOptions(config: DemoConfig): HelperModuleOptions {
  return {
    hmacSecrets: config.hmacSecrets,
    adminGuard: StaffGuard,
    resolveCustomer: resolveDemoCustomer,
    database: config.databasePath,
    // A second mailbox with its own secret and address: the dashboard and inbox switch to it.
    mailboxes: [{ slug: 'sales', hmacSecrets: [config.salesSecret], emailAddress: SALES_ADDRESS }],
    // The staff routes in the OpenAPI document at /docs use the demo's staff token.
    openApi: { staffSecurity: DEMO_STAFF_SECURITY },
  };
}

/** The email module's options for the demo: its SMTP catcher, short windows to try again. */
export function emailOptions(config: DemoConfig, catcher: MailCatcher): HelperEmailOptions {
  return {
    address: SUPPORT_ADDRESS,
    from: `"Demo Support" <${SUPPORT_ADDRESS}>`,
    // The local catcher speaks plain SMTP: no TLS, no login.
    smtp: { host: '127.0.0.1', port: catcher.port, secure: false, ignoreTLS: true },
    inboundSecret: config.inboundSecret,
    // The test emails carry the Authentication-Results of the demo's stand-in MTA.
    trustedAuthServIds: [DEMO_AUTHSERV_ID],
    // Short, so the demo's test emails can be tried again and again (the default is a day).
    rateWindowMs: 60_000,
    retryDelayMs: 5_000,
  };
}

export interface AppModuleOptions {
  /**
   * Configuration values that win over the environment (tests). With them, the process
   * environment and the `.env` file are not read at all.
   */
  env?: Record<string, string>;
}

@Module({})
export class AppModule {
  static forRoot({ env }: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ...(env === undefined
            ? { envFilePath: join(demoRoot(), '.env') }
            : { ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] }),
        }),
        DemoCoreModule,
        HelperModule.forRootAsync({
          imports: [DemoCoreModule],
          inject: [DemoConfig],
          useFactory: helperOptions,
        }),
        HelperChatModule.forRoot(),
        HelperEmailModule.forRootAsync({
          imports: [DemoCoreModule],
          inject: [DemoConfig, MailCatcher],
          useFactory: emailOptions,
        }),
        TerminusModule,
        HelperHealthModule,
        // A registry per app: tests start the demo more than once in one process.
        HelperMetricsModule.forRoot({ registry: new Registry() }),
      ],
      controllers: [DemoController, OpsController],
    };
  }
}
