import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { demoRoot } from './paths.js';

/** Where a secret came from; the value itself is never logged nor answered. */
export type SecretSource = 'environment' | 'generated';

/**
 * The demo's configuration, read once from the environment through `@nestjs/config`. A secret
 * that is not set is generated for this run (development only), and the log says so.
 */
export class DemoConfig {
  constructor(
    /** HMAC secrets for helperkit, current first, then previous ones (rotation). */
    readonly hmacSecrets: string[],
    readonly hmacSecretSource: SecretSource,
    /** Bearer token of the support staff: the settings dashboard and the inbox. */
    readonly staffToken: string,
    readonly staffTokenSource: SecretSource,
    /** Shared secret of helperkit's inbound email endpoint. */
    readonly inboundSecret: string,
    readonly databasePath: string,
    /** The built Vue app, served at `/`. */
    readonly webDir: string,
    readonly port: number,
    readonly host: string,
    /** Port of the local SMTP catcher; 0 picks a free one. */
    readonly smtpPort: number,
    /** The sales mailbox's own HMAC secret (a second mailbox, with its own secret). */
    readonly salesSecret: string,
    /** The built documentation site (VitePress), served under /guide/. */
    readonly docsDir: string,
  ) {}
}

/** Environment variables the demo reads (a `.env` file in apps/demo works too). */
export const ENV = {
  hmacSecret: 'HELPER_HMAC_SECRET',
  previousSecrets: 'HELPER_HMAC_PREVIOUS_SECRETS',
  staffToken: 'DEMO_STAFF_TOKEN',
  inboundSecret: 'HELPER_INBOUND_SECRET',
  database: 'HELPERKIT_DEMO_DATABASE',
  webDir: 'HELPERKIT_DEMO_WEB_DIR',
  port: 'PORT',
  host: 'HOST',
  smtpPort: 'DEMO_SMTP_PORT',
  salesSecret: 'HELPER_SALES_HMAC_SECRET',
  docsDir: 'HELPERKIT_DEMO_DOCS_DIR',
} as const;

const generated = () => randomBytes(32).toString('hex');

function port(config: ConfigService, name: string, fallback: number): number {
  const text = config.get<string | number>(name);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535.`);
  }
  return value;
}

export function loadDemoConfig(config: ConfigService): DemoConfig {
  const logger = new Logger('Demo');
  const root = demoRoot();
  const fromRoot = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const text = (name: string) => {
    const value = config.get<string>(name);
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  const currentSecret = text(ENV.hmacSecret);
  if (currentSecret === undefined) {
    logger.warn(
      `${ENV.hmacSecret} is not set: using a secret generated for this run (development only). ` +
        'Widget sessions and email chat links end when the demo restarts. ' +
        `For a stable one: ${ENV.hmacSecret}=$(openssl rand -hex 32)`,
    );
  }
  const previousSecrets = (text(ENV.previousSecrets) ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);

  const staffToken = text(ENV.staffToken);
  if (staffToken === undefined) {
    logger.warn(
      `${ENV.staffToken} is not set: a staff token was generated for this run (printed below). ` +
        'The dashboard, opened on this machine, gets it by itself; API clients send it as ' +
        '"Authorization: Bearer <token>".',
    );
  }
  const inboundSecret = text(ENV.inboundSecret);

  return new DemoConfig(
    [currentSecret ?? generated(), ...previousSecrets],
    currentSecret === undefined ? 'generated' : 'environment',
    staffToken ?? generated(),
    staffToken === undefined ? 'generated' : 'environment',
    inboundSecret ?? generated(),
    fromRoot(text(ENV.database) ?? join('data', 'helperkit.sqlite')),
    fromRoot(text(ENV.webDir) ?? join('dist', 'web')),
    port(config, ENV.port, 3000),
    text(ENV.host) ?? '127.0.0.1',
    port(config, ENV.smtpPort, 0),
    text(ENV.salesSecret) ?? generated(),
    fromRoot(text(ENV.docsDir) ?? join('..', '..', 'docs', '.vitepress', 'dist')),
  );
}
