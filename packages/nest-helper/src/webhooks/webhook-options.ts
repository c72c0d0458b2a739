import { HelperConfigurationError } from '../configuration-error.js';
import { HELPER_EVENT_NAMES, type HelperEventName } from '../events/helper-events.js';

/** An endpoint that receives the module's events as signed webhooks (docs/webhooks.md). */
export interface HelperWebhookOptions {
  /** Where to POST: `https://…`; `http://` only for localhost, 127.0.0.1 or [::1]. */
  url: string;
  /** The endpoint's signing secret: `whsec_` and the base64 of 24 to 64 random bytes. */
  secret: string;
  /** The events it receives (default: all of them). */
  events?: HelperEventName[];
}

/** An endpoint after validation. */
export interface ResolvedWebhook {
  url: string;
  /** The decoded secret: the HMAC key of its signatures. */
  key: Buffer;
  events: ReadonlySet<HelperEventName>;
}

const SECRET_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Validates the `webhooks` option; throws a HelperConfigurationError that never quotes a secret. */
export function resolveWebhooks(webhooks: unknown): readonly ResolvedWebhook[] {
  if (webhooks === undefined) return [];
  if (!Array.isArray(webhooks)) {
    throw new HelperConfigurationError('webhooks must be an array of { url, secret, events? }.');
  }
  const resolved = webhooks.map((webhook: unknown, index) =>
    resolveWebhook(webhook, `webhooks[${index}]`),
  );
  const urls = new Set<string>();
  for (const [index, { url }] of resolved.entries()) {
    if (urls.has(url)) {
      throw new HelperConfigurationError(`webhooks[${index}]: its url is listed twice.`);
    }
    urls.add(url);
  }
  return resolved;
}

function resolveWebhook(webhook: unknown, at: string): ResolvedWebhook {
  if (typeof webhook !== 'object' || webhook === null) {
    throw new HelperConfigurationError(`${at} must be { url, secret, events? }.`);
  }
  const given = webhook as Partial<Record<keyof HelperWebhookOptions, unknown>>;
  return {
    url: resolveUrl(given.url, at),
    key: resolveSecret(given.secret, at),
    events: resolveEvents(given.events, at),
  };
}

function resolveUrl(url: unknown, at: string): string {
  const parsed = typeof url === 'string' && URL.canParse(url) ? new URL(url) : null;
  if (parsed === null) {
    throw new HelperConfigurationError(
      `${at}.url must be a URL such as "https://example.com/hooks".`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // fetch refuses such URLs, and they would put a password in the logs.
    throw new HelperConfigurationError(
      `${at}.url must not hold a user name or password: the signature authenticates each request.`,
    );
  }
  const secure = parsed.protocol === 'https:';
  const local = parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  if (!secure && !local) {
    throw new HelperConfigurationError(
      `${at}.url must be https:// (http:// only for localhost, 127.0.0.1 or [::1]).`,
    );
  }
  return parsed.href;
}

function resolveSecret(secret: unknown, at: string): Buffer {
  const encoded =
    typeof secret === 'string' && secret.startsWith(SECRET_PREFIX)
      ? secret.slice(SECRET_PREFIX.length)
      : '';
  const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new HelperConfigurationError(
      `${at}.secret must be "${SECRET_PREFIX}" followed by the base64 of ${MIN_KEY_BYTES} to ` +
        `${MAX_KEY_BYTES} random bytes, e.g. "${SECRET_PREFIX}" + \`openssl rand -base64 32\`.`,
    );
  }
  return key;
}

function resolveEvents(events: unknown, at: string): ReadonlySet<HelperEventName> {
  if (events === undefined) return new Set(HELPER_EVENT_NAMES);
  const known = new Set<unknown>(HELPER_EVENT_NAMES);
  if (!Array.isArray(events) || events.length === 0) {
    throw new HelperConfigurationError(
      `${at}.events must be a non-empty array of event names (omit it for all): ` +
        `${HELPER_EVENT_NAMES.join(', ')}.`,
    );
  }
  for (const name of events) {
    if (!known.has(name)) {
      throw new HelperConfigurationError(
        `${at}.events: "${String(name)}" is not an event; known: ${HELPER_EVENT_NAMES.join(', ')}.`,
      );
    }
  }
  return new Set(events as HelperEventName[]);
}
