import type { CanActivate, Type } from '@nestjs/common';
import {
  describeSecretsProblem,
  isAcceptableEmail,
  type CustomerMetadata,
} from '@helperkit/core/node';
import type { IncomingMessage } from 'node:http';
import { HelperConfigurationError } from './configuration-error.js';
import { resolveLimits, type HelperLimits } from './limits/limits.options.js';
import {
  resolveWebhooks,
  type HelperWebhookOptions,
  type ResolvedWebhook,
} from './webhooks/webhook-options.js';
import type { HelperOpenApiOptions } from './openapi/openapi.options.js';

export { HelperConfigurationError };

/** What the host application knows of the logged-in customer (docs/protocol.md). */
export interface HostCustomer extends CustomerMetadata {
  email: string;
}

/** Answers the logged-in customer of a request, or `null` when nobody is logged in. */
export type ResolveCustomer<TRequest = IncomingMessage> = (
  request: TRequest,
) => HostCustomer | null | undefined | Promise<HostCustomer | null | undefined>;

/** A route for the signing middleware, as `MiddlewareConsumer.forRoutes` takes it. */
export type SigningRoute = string | Type<unknown> | { path: string; method: number };

export interface HelperDatabaseUrl {
  /** A `postgres://` connection URL (several application instances share one database). */
  url: string;
}

/** Options of `HelperModule.forRoot`, and what `forRootAsync`'s factory answers (docs/options.md). */
export interface HelperModuleOptions {
  /** HMAC secrets of the mailbox, current first, then previous ones; each at least 32 bytes. */
  hmacSecrets: string[];
  /** The host's guard for the settings and staff endpoints: a class, or an instance. */
  adminGuard: Type<CanActivate> | CanActivate;
  /** The host's hook for the logged-in customer, used by the signing middleware. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolveCustomer?: ResolveCustomer<any>;
  /** SQLite file path (default `./data/helperkit.sqlite`), or `{ url }` for PostgreSQL. */
  database?: string | HelperDatabaseUrl;
  /**
   * CORS for the widget's endpoints, for a widget served from another origin than the API:
   * `true` reflects any origin; or the `cors` package's options. Off by default (same origin).
   */
  cors?: boolean | HelperCorsOptions;
  /** Routes the signing middleware runs on, besides `GET <prefix>/widget/identity`. */
  signing?: { forRoutes?: SigningRoute[]; exclude?: SigningRoute[] };
  /**
   * Mailboxes besides `default`: a slug, or `{ slug, hmacSecrets?, emailAddress? }` where omitted
   * fields inherit the module's `hmacSecrets` and the email module's `address`.
   */
  mailboxes?: Array<string | HelperMailboxOptions>;
  /**
   * Replacements for any feature's storage, a `Partial<HelperStorageOverrides>` (the rest stays
   * in the SQL database). Each also has an injection token, for `overrideProvider` in tests
   * (docs/storage.md). Typed loosely here so the options know no feature's storage.
   */
  storage?: object;
  /**
   * Customer metadata the browser sends without a `metadataHash`: `'reject'` (default) answers
   * 400 `unsigned_metadata`; `'accept'` stores it and lets it decide visibility, as Helper does
   * (then a customer can set their own value, name and links). docs/security-model.md.
   */
  clientMetadata?: 'reject' | 'accept';
  /**
   * Abuse limits per client IP, per owner and on open event streams; each optional, over a limit
   * the answer is 429 `rate_limited` with `Retry-After` (docs/limits.md).
   */
  limits?: Partial<HelperLimits>;
  /**
   * Endpoints that receive the module's events as signed webhooks through the outbox:
   * `{ url, secret: 'whsec_…', events? }` (docs/webhooks.md).
   */
  webhooks?: HelperWebhookOptions[];
  /** How the routes appear in the host's OpenAPI document (`@nestjs/swagger`; docs/openapi.md). */
  openApi?: HelperOpenApiOptions;
}

/** A mailbox of its own: its settings, HMAC secrets and email address (docs/options.md). */
export interface HelperMailboxOptions {
  slug: string;
  /** The mailbox's own HMAC secrets, current first (default: the module's `hmacSecrets`). */
  hmacSecrets?: string[];
  /** The address its email arrives at (default: the email module's `address`). */
  emailAddress?: string;
}

/** A mailbox after validation. */
export interface ResolvedMailbox {
  slug: string;
  hmacSecrets: readonly string[];
  /** Its own address, or null to use the email module's `address`. */
  emailAddress: string | null;
}

export interface HelperCorsOptions {
  origin?: boolean | string | RegExp | Array<string | RegExp>;
  credentials?: boolean;
  maxAge?: number;
}

/** Options after validation, with defaults applied: what the module's services read. */
export interface ResolvedHelperOptions {
  hmacSecrets: readonly string[];
  adminGuard: Type<CanActivate> | CanActivate;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolveCustomer: ResolveCustomer<any> | undefined;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  cors: false | HelperCorsOptions;
  signing: { forRoutes: SigningRoute[]; exclude: SigningRoute[] };
  /** Every mailbox by slug, `default` first. */
  mailboxes: ReadonlyMap<string, ResolvedMailbox>;
  clientMetadata: 'reject' | 'accept';
  limits: HelperLimits;
  webhooks: readonly ResolvedWebhook[];
}

export const DEFAULT_DATABASE_PATH = './data/helperkit.sqlite';
export const DEFAULT_MAILBOX = 'default';

export const MAILBOX_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

function resolveDatabase(database: unknown): ResolvedHelperOptions['database'] {
  if (database === undefined) return { kind: 'sqlite', path: DEFAULT_DATABASE_PATH };
  if (typeof database === 'string' && database.trim() !== '')
    return { kind: 'sqlite', path: database };
  if (typeof database === 'object' && database !== null && 'url' in database) {
    const { url } = database as HelperDatabaseUrl;
    if (typeof url === 'string' && /^postgres(ql)?:\/\//.test(url))
      return { kind: 'postgres', url };
  }
  throw new HelperConfigurationError(
    'database must be a SQLite file path such as "./data/helperkit.sqlite", or { url: "postgres://…" }.',
  );
}

const isGuard = (guard: unknown): boolean =>
  typeof guard === 'function' ||
  (typeof guard === 'object' &&
    guard !== null &&
    typeof (guard as CanActivate).canActivate === 'function');

/** Validates the module's options and applies defaults; throws a HelperConfigurationError. */
export function resolveHelperOptions(options: HelperModuleOptions): ResolvedHelperOptions {
  if (typeof options !== 'object' || options === null) {
    throw new HelperConfigurationError('options are missing: pass { hmacSecrets, adminGuard, … }.');
  }
  const secretsProblem = describeSecretsProblem(options.hmacSecrets);
  if (secretsProblem !== null) throw new HelperConfigurationError(secretsProblem);
  if (!isGuard(options.adminGuard)) {
    throw new HelperConfigurationError(
      'adminGuard is required: the class of a guard (CanActivate) that lets only your support staff in.',
    );
  }
  if (options.resolveCustomer !== undefined && typeof options.resolveCustomer !== 'function') {
    throw new HelperConfigurationError(
      'resolveCustomer must be a function (request) => customer | null.',
    );
  }
  const hmacSecrets = Object.freeze([...options.hmacSecrets]);
  return {
    hmacSecrets,
    adminGuard: options.adminGuard,
    resolveCustomer: options.resolveCustomer,
    database: resolveDatabase(options.database),
    cors: resolveCors(options.cors),
    signing: {
      forRoutes: options.signing?.forRoutes ?? [],
      exclude: options.signing?.exclude ?? [],
    },
    mailboxes: resolveMailboxes(options.mailboxes, hmacSecrets),
    clientMetadata: resolveClientMetadata(options.clientMetadata),
    limits: resolveLimits(options.limits),
    webhooks: resolveWebhooks(options.webhooks),
  };
}

function resolveMailbox(entry: unknown, moduleSecrets: readonly string[]): ResolvedMailbox {
  const given = typeof entry === 'string' ? { slug: entry } : (entry as HelperMailboxOptions);
  const slug: unknown = given?.slug;
  if (typeof slug !== 'string' || !MAILBOX_SLUG.test(slug)) {
    throw new HelperConfigurationError(
      `mailboxes: "${String(slug)}" is not a slug (lowercase letters, digits and "-", at most 64).`,
    );
  }
  if (given.hmacSecrets !== undefined) {
    const problem = describeSecretsProblem(given.hmacSecrets);
    if (problem !== null) throw new HelperConfigurationError(`mailboxes "${slug}": ${problem}`);
  }
  const { emailAddress } = given;
  if (emailAddress !== undefined && !isAcceptableEmail(emailAddress)) {
    throw new HelperConfigurationError(
      `mailboxes "${slug}": emailAddress must be an email address such as "sales@example.com".`,
    );
  }
  return {
    slug,
    hmacSecrets: Object.freeze([...(given.hmacSecrets ?? moduleSecrets)]),
    emailAddress: emailAddress ?? null,
  };
}

function resolveMailboxes(
  entries: unknown,
  moduleSecrets: readonly string[],
): ReadonlyMap<string, ResolvedMailbox> {
  if (entries !== undefined && !Array.isArray(entries)) {
    throw new HelperConfigurationError('mailboxes must be an array of slugs or { slug, … }.');
  }
  const mailboxes = new Map<string, ResolvedMailbox>([
    [DEFAULT_MAILBOX, { slug: DEFAULT_MAILBOX, hmacSecrets: moduleSecrets, emailAddress: null }],
  ]);
  for (const entry of entries ?? []) {
    const mailbox = resolveMailbox(entry, moduleSecrets);
    if (mailboxes.has(mailbox.slug) && mailbox.slug !== DEFAULT_MAILBOX) {
      throw new HelperConfigurationError(`mailboxes: "${mailbox.slug}" is listed twice.`);
    }
    mailboxes.set(mailbox.slug, mailbox);
  }
  return mailboxes;
}

/**
 * CORS for the widget's endpoints. Credentials with a reflected or wildcard origin would let any
 * site act as the visitor: refused at start-up (docs/security-model.md, "CORS").
 */
function resolveCors(cors: unknown): ResolvedHelperOptions['cors'] {
  if (cors === undefined || cors === false) return false;
  const resolved: HelperCorsOptions =
    cors === true ? { origin: true } : (cors as HelperCorsOptions);
  if (typeof resolved !== 'object' || resolved === null) {
    throw new HelperConfigurationError(
      'cors must be true, false or { origin, credentials?, maxAge? }.',
    );
  }
  if (resolved.credentials === true && (resolved.origin === true || resolved.origin === '*')) {
    throw new HelperConfigurationError(
      'cors: credentials with origin true or "*" would let any website act as your visitors. ' +
        'List the origins that serve the widget, e.g. { origin: ["https://app.example.com"], credentials: true }.',
    );
  }
  return resolved;
}

function resolveClientMetadata(mode: unknown): 'reject' | 'accept' {
  if (mode === undefined) return 'reject';
  if (mode === 'reject' || mode === 'accept') return mode;
  throw new HelperConfigurationError('clientMetadata must be "reject" (the default) or "accept".');
}
