import {
  Module,
  RequestMethod,
  type CanActivate,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from '@nestjs/common';
import { ModuleRef, ModulesContainer } from '@nestjs/core';
import cors from 'cors';
import { AdminGuard } from './admin.guard.js';
import { ConfigurableModuleClass, HELPER_MODULE_OPTIONS } from './helper.module-definition.js';
import {
  resolveHelperOptions,
  type HelperModuleOptions,
  type ResolvedHelperOptions,
} from './helper.options.js';
import {
  HELPER_ADMIN_GUARD,
  HELPER_RESOLVED_OPTIONS,
  HELPER_STORAGE,
  InjectHelperStorage,
  InjectResolvedHelperOptions,
} from './helper.tokens.js';
import { HostCustomerService } from './identity/host-customer.service.js';
import { SessionController } from './identity/session.controller.js';
import { SessionGuard } from './identity/session.guard.js';
import { SessionService } from './identity/session.service.js';
import { SessionTokens } from './identity/session-tokens.js';
import { SigningMiddleware } from './identity/signing.middleware.js';
import { mountModuleAt } from './route-prefix.js';
import { ConversationsService } from './conversations/conversations.service.js';
import { CustomerConversationsController } from './conversations/customer.controller.js';
import { EventsService } from './conversations/events.service.js';
import { MessageRateLimitGuard } from './conversations/message-rate-limit.guard.js';
import { StaffConversationsController } from './conversations/staff.controller.js';
import { SettingsController } from './settings/settings.controller.js';
import { InboundEmailController } from './email/inbound.controller.js';
import { InboundEmailService } from './email/inbound-email.service.js';
import { ChatLinkTokens } from './email/link-token.js';
import { OutboxService } from './email/outbox.service.js';
import { SettingsService } from './settings/settings.service.js';
import { openStorage } from './storage/open-storage.js';
import type { HelperStorage } from './storage/storage.js';

const providers: Provider[] = [
  {
    provide: HELPER_RESOLVED_OPTIONS,
    useFactory: (options: HelperModuleOptions) => resolveHelperOptions(options),
    inject: [HELPER_MODULE_OPTIONS],
  },
  {
    provide: HELPER_STORAGE,
    useFactory: async (options: ResolvedHelperOptions) => {
      const storage = await openStorage(options.database);
      await storage.ensureMailboxes(options.mailboxes);
      return storage;
    },
    inject: [HELPER_RESOLVED_OPTIONS],
  },
  {
    provide: HELPER_ADMIN_GUARD,
    useFactory: (options: ResolvedHelperOptions, moduleRef: ModuleRef) =>
      resolveGuard(options.adminGuard, moduleRef),
    inject: [HELPER_RESOLVED_OPTIONS, ModuleRef],
  },
  {
    provide: ChatLinkTokens,
    useFactory: (options: ResolvedHelperOptions) => new ChatLinkTokens(options.hmacSecrets),
    inject: [HELPER_RESOLVED_OPTIONS],
  },
  AdminGuard,
  ConversationsService,
  InboundEmailService,
  OutboxService,
  EventsService,
  HostCustomerService,
  MessageRateLimitGuard,
  SessionGuard,
  SessionService,
  SessionTokens,
  SettingsService,
];

/**
 * helperkit for a NestJS application: the signing middleware, the widget's session endpoint and
 * the settings endpoints, under one route prefix (default `helper`).
 *
 * @example
 * ＠Module({ imports: [HelperModule.forRoot({ hmacSecrets: [secret], adminGuard: StaffGuard })] })
 * export class AppModule {}
 */
@Module({
  controllers: [
    SessionController,
    SettingsController,
    CustomerConversationsController,
    StaffConversationsController,
    InboundEmailController,
  ],
  providers,
  exports: [
    HELPER_MODULE_OPTIONS,
    HELPER_RESOLVED_OPTIONS,
    HELPER_STORAGE,
    SessionGuard,
    SessionTokens,
    SettingsService,
    HostCustomerService,
    ConversationsService,
    EventsService,
  ],
})
export class HelperModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationShutdown
{
  constructor(
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    @InjectHelperStorage() private readonly storage: HelperStorage,
    modules: ModulesContainer,
  ) {
    super();
    mountModuleAt(HelperModule, options.routePrefix, modules);
  }

  configure(consumer: MiddlewareConsumer): void {
    const prefix = this.options.routePrefix === '' ? '' : `/${this.options.routePrefix}`;
    if (this.options.cors) {
      // Only the widget's endpoints answer other origins; the admin endpoints never do.
      consumer.apply(cors({ ...this.options.cors, methods: ['GET', 'POST'] })).forRoutes(
        ...['widget/*path', 'conversations', 'conversations/*path', 'events'].map((path) => ({
          path: `${prefix}/${path}`,
          method: RequestMethod.ALL,
        })),
      );
    }
    consumer
      .apply(SigningMiddleware)
      .forRoutes({ path: `${prefix}/widget/identity`, method: RequestMethod.GET });
    const { forRoutes, exclude } = this.options.signing;
    if (forRoutes.length > 0) {
      consumer
        .apply(SigningMiddleware)
        .exclude(...(exclude as Parameters<ReturnType<MiddlewareConsumer['apply']>['exclude']>))
        .forRoutes(
          ...(forRoutes as Parameters<ReturnType<MiddlewareConsumer['apply']>['forRoutes']>),
        );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }
}

/** The host's guard instance: its own provider when it registered one, else one made here. */
async function resolveGuard(
  guard: Type<CanActivate> | CanActivate,
  moduleRef: ModuleRef,
): Promise<CanActivate> {
  if (typeof guard !== 'function') return guard;
  try {
    return moduleRef.get(guard, { strict: false });
  } catch {
    return moduleRef.create(guard);
  }
}
