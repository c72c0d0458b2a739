import {
  Inject,
  Module,
  RequestMethod,
  type CanActivate,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import cors from 'cors';
import { AdminGuard } from './admin.guard.js';
import { ConfigurableModuleClass } from './helper.module-definition.js';
import {
  resolveHelperOptions,
  type HelperModuleOptions,
  type ResolvedHelperOptions,
} from './helper.options.js';
import {
  HELPER_ADMIN_GUARD,
  HELPER_MODULE_OPTIONS,
  HELPER_RESOLVED_OPTIONS,
  InjectResolvedHelperOptions,
} from './helper.tokens.js';
import { restoreSentContentType } from './http/owned-body.js';
import { ownedBodyRoutes } from './http/owned-body-paths.js';
import { OwnedBodyRoutes } from './http/owned-body-routes.js';
import { ResponseWriter } from './http/response-writer.js';
import { HELPER_ROUTE_PREFIX, underPrefix } from './http/route-prefix.js';
import { HostCustomerService } from './identity/host-customer.service.js';
import { IdentitySigner } from './identity/identity-signer.js';
import { SessionController } from './identity/session.controller.js';
import { SessionGuard } from './identity/session.guard.js';
import { SessionService } from './identity/session.service.js';
import { SessionTokens } from './identity/session-tokens.js';
import { SigningMiddleware } from './identity/signing.middleware.js';
import { HELPER_LIMIT_CLOCK } from './limits/limit-clock.js';
import { RateLimits } from './limits/rate-limits.service.js';
import { StreamSlots } from './limits/stream-slots.service.js';
import { HelperMailboxes } from './mailboxes/mailboxes.service.js';
import { MailboxPipe } from './mailboxes/mailbox.pipe.js';
import { openApiMetadataProvider } from './openapi/openapi.provider.js';
import { observabilityProviders } from './observability/index.js';
import { SettingsController } from './settings/settings.controller.js';
import { SettingsService } from './settings/settings.service.js';
import type { SettingsStorage } from './settings/settings.storage.js';
import type { SqlDatabase } from './storage/sql-database.js';
import { STORAGE_TOKENS, storageProviders } from './helper.stores.js';
import { InjectHelperDatabase, InjectSettingsStorage } from './storage/storage.tokens.js';
import { ChatLinkTokens } from './tokens/chat-link-tokens.js';
import { OutboxService } from './outbox/outbox.service.js';
import { HelperEventPublisher } from './events/helper-event-publisher.js';
import { DEFAULT_WEBHOOK_TIMING, HELPER_WEBHOOK_TIMING } from './webhooks/webhook-retry.js';
import { WebhookQueue } from './webhooks/webhook-queue.js';
import { WebhookSender } from './webhooks/webhook-sender.js';

const providers: Provider[] = [
  {
    provide: HELPER_RESOLVED_OPTIONS,
    useFactory: (options: HelperModuleOptions) => resolveHelperOptions(options),
    inject: [HELPER_MODULE_OPTIONS],
  },
  ...storageProviders,
  {
    provide: HELPER_ADMIN_GUARD,
    useFactory: (options: ResolvedHelperOptions, moduleRef: ModuleRef) =>
      resolveGuard(options.adminGuard, moduleRef),
    inject: [HELPER_RESOLVED_OPTIONS, ModuleRef],
  },
  { provide: HELPER_LIMIT_CLOCK, useValue: Date.now },
  { provide: HELPER_WEBHOOK_TIMING, useValue: DEFAULT_WEBHOOK_TIMING },
  openApiMetadataProvider,
  AdminGuard,
  ChatLinkTokens,
  HelperEventPublisher,
  HelperMailboxes,
  HostCustomerService,
  IdentitySigner,
  MailboxPipe,
  OutboxService,
  OwnedBodyRoutes,
  ResponseWriter,
  RateLimits,
  SessionGuard,
  SessionService,
  SessionTokens,
  SettingsService,
  StreamSlots,
  WebhookQueue,
  WebhookSender,
  ...observabilityProviders,
];

/**
 * helperkit's core for a NestJS application: the signing middleware, the widget's identity and
 * session endpoints, the settings endpoints and the storage, under one route prefix (default
 * `helper`). The chat and email are opt-in modules next to it: `HelperChatModule`,
 * `HelperEmailModule`. Registered globally, so they and the host's modules use its guard and
 * services without importing it again.
 *
 * @example
 * ＠Module({ imports: [HelperModule.forRoot({ hmacSecrets: [secret], adminGuard: StaffGuard })] })
 * export class AppModule {}
 */
@Module({
  controllers: [SessionController, SettingsController],
  providers,
  exports: [
    HELPER_ADMIN_GUARD,
    HELPER_MODULE_OPTIONS,
    HELPER_RESOLVED_OPTIONS,
    ...STORAGE_TOKENS,
    AdminGuard,
    ChatLinkTokens,
    HelperEventPublisher,
    HelperMailboxes,
    HostCustomerService,
    MailboxPipe,
    OutboxService,
    ResponseWriter,
    RateLimits,
    SessionGuard,
    SessionTokens,
    SettingsService,
    StreamSlots,
    ...observabilityProviders,
  ],
})
export class HelperModule
  extends ConfigurableModuleClass
  implements NestModule, OnModuleInit, OnApplicationShutdown
{
  constructor(
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    @InjectHelperDatabase() private readonly database: SqlDatabase,
    @InjectSettingsStorage() private readonly settings: SettingsStorage,
    @Inject(HELPER_ROUTE_PREFIX) private readonly prefix: string,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // The inbound requests' bodies were held back from the parsers (docs/platforms.md).
    consumer.apply(restoreSentContentType).forRoutes(...ownedBodyRoutes(this.prefix));
    if (this.options.cors) {
      // Only the widget's session and chat endpoints answer other origins. Never the identity
      // (it is personal, and a credentialed cross-origin read would hand it to any site), nor
      // the admin endpoints.
      consumer.apply(cors({ ...this.options.cors, methods: ['GET', 'POST'] })).forRoutes(
        ...['widget/session', 'conversations', 'conversations/*path', 'events'].map((path) => ({
          path: underPrefix(this.prefix, path),
          method: RequestMethod.ALL,
        })),
      );
    }
    consumer
      .apply(SigningMiddleware)
      .forRoutes({ path: underPrefix(this.prefix, 'widget/identity'), method: RequestMethod.GET });
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

  /** Every configured mailbox exists before the first request. */
  async onModuleInit(): Promise<void> {
    await this.settings.ensureMailboxes([...this.options.mailboxes.keys()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
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
