import { HelperConfigurationError } from '../configuration-error.js';

/** `HelperModule` option `limits`: how much one client may do (docs/limits.md). */
export interface HelperLimits {
  /** New anonymous sessions per client IP per hour (refreshes and identified sessions are free). */
  sessionsPerIpPerHour: number;
  /** New conversations per client IP per hour. */
  conversationsPerIpPerHour: number;
  /** Messages per minute per owner: an identified email, or an anonymous visitor's token. */
  messagesPerMinute: number;
  /** Open customer event streams per owner; one more closes that owner's oldest. */
  streamsPerIdentity: number;
  /** Open event streams per client IP; one more is refused. */
  streamsPerIp: number;
  /**
   * Bytes of events that may wait, unread, for one stream's client; past them the connection is
   * dropped, and the client resumes with Last-Event-ID (docs/platforms.md, "Event streams").
   */
  streamBufferBytes: number;
}

export const DEFAULT_LIMITS: Readonly<HelperLimits> = Object.freeze({
  sessionsPerIpPerHour: 60,
  conversationsPerIpPerHour: 20,
  messagesPerMinute: 30,
  streamsPerIdentity: 10,
  streamsPerIp: 100,
  streamBufferBytes: 4 * 1024 * 1024,
});

const NAMES = Object.keys(DEFAULT_LIMITS) as Array<keyof HelperLimits>;

/** Validates the `limits` option and fills in the defaults; throws a HelperConfigurationError. */
export function resolveLimits(limits: unknown): HelperLimits {
  if (limits === undefined) return { ...DEFAULT_LIMITS };
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new HelperConfigurationError(
      'limits must be an object such as { messagesPerMinute: 30 } (see docs/limits.md).',
    );
  }
  const given = limits as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!(NAMES as string[]).includes(name)) {
      throw new HelperConfigurationError(
        `limits: "${name}" is not a limit. The limits are ${NAMES.join(', ')}.`,
      );
    }
  }
  const resolved = { ...DEFAULT_LIMITS };
  for (const name of NAMES) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new HelperConfigurationError(
        `limits.${name} must be a positive whole number (default ${DEFAULT_LIMITS[name]}), got ${JSON.stringify(value)}.`,
      );
    }
    resolved[name] = value;
  }
  return resolved;
}
