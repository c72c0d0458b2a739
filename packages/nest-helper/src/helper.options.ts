import type { CanActivate, Type } from '@nestjs/common';
import { describeSecretsProblem, type CustomerMetadata } from '@helperkit/core/node';
import type { IncomingMessage } from 'node:http';
import { HelperConfigurationError } from './configuration-error.js';
import {
  resolveEmailOptions,
  type HelperEmailOptions,
  type ResolvedEmailOptions,
} from './email/email.options.js';

export { HelperConfigurationError };

/** What the host application knows of the logged-in customer (SPEC 1, "Signing middleware"). */
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

/** Options of `HelperModule.forRoot`, and what `forRootAsync`'s factory answers (SPEC 11). */
export interface HelperModuleOptions {
  /** HMAC secrets of the mailbox, current first, then previous ones; each at least 32 bytes. */
  hmacSecrets: string[];
  /** The host's guard for the settings and staff endpoints: a class, or an instance. */
  adminGuard: Type<CanActivate> | CanActivate;
  /** The host's hook for the logged-in customer, used by the signing middleware. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolveCustomer?: ResolveCustomer<any>;
  /** Route prefix of every helperkit endpoint (default `helper`). */
  routePrefix?: string;
  /** SQLite file path (default `./data/helperkit.sqlite`), or `{ url }` for PostgreSQL. */
  database?: string | HelperDatabaseUrl;
  /**
   * CORS for the widget's endpoints, for a widget served from another origin than the API:
   * `true` reflects any origin; or the `cors` package's options. Off by default (same origin).
   */
  cors?: boolean | HelperCorsOptions;
  /** Routes the signing middleware runs on, besides `GET <prefix>/widget/identity`. */
  signing?: { forRoutes?: SigningRoute[]; exclude?: SigningRoute[] };
  /** Slugs of mailboxes to create at start-up, besides `default`. */
  mailboxes?: string[];
  /** Inbound email and the email-to-chat auto-reply (SPEC 7); off when absent. */
  email?: HelperEmailOptions;
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
  routePrefix: string;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  cors: false | HelperCorsOptions;
  signing: { forRoutes: SigningRoute[]; exclude: SigningRoute[] };
  mailboxes: string[];
  email: ResolvedEmailOptions | null;
}

export const DEFAULT_ROUTE_PREFIX = 'helper';
export const DEFAULT_DATABASE_PATH = './data/helperkit.sqlite';
export const DEFAULT_MAILBOX = 'default';

const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;
export const MAILBOX_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

function normalizeRoutePrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_ROUTE_PREFIX;
  if (typeof prefix !== 'string')
    throw new HelperConfigurationError('routePrefix must be a string.');
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  if (
    segments.some((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..')
  ) {
    throw new HelperConfigurationError(
      `routePrefix "${prefix}" is not a plain path: use letters, digits, ".", "_", "~" and "-" ` +
        'between slashes, e.g. "helper" or "api/support".',
    );
  }
  return segments.join('/');
}

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
  const mailboxes = options.mailboxes ?? [];
  for (const slug of mailboxes) {
    if (typeof slug !== 'string' || !MAILBOX_SLUG.test(slug)) {
      throw new HelperConfigurationError(
        `mailboxes: "${String(slug)}" is not a slug (lowercase letters, digits and "-", at most 64).`,
      );
    }
  }
  return {
    hmacSecrets: Object.freeze([...options.hmacSecrets]),
    adminGuard: options.adminGuard,
    resolveCustomer: options.resolveCustomer,
    routePrefix: normalizeRoutePrefix(options.routePrefix),
    database: resolveDatabase(options.database),
    cors: options.cors === true ? { origin: true } : options.cors || false,
    signing: {
      forRoutes: options.signing?.forRoutes ?? [],
      exclude: options.signing?.exclude ?? [],
    },
    mailboxes: [...new Set([DEFAULT_MAILBOX, ...mailboxes])],
    email: options.email === undefined ? null : resolveEmailOptions(options.email),
  };
}
