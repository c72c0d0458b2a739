import { describe, expect, it } from '@jest/globals';
import { HelperConfigurationError } from '../../src/configuration-error.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/limits/limits.options.js';
import { startApp, StaffTokenGuard, tempDatabasePath } from '../support/app.js';
import { HelperModule } from '../../src/index.js';
import { SECRET } from '../support/secrets.js';

describe('the limits option', () => {
  it('has the documented defaults, each replaceable on its own', () => {
    expect(resolveLimits(undefined)).toEqual({
      sessionsPerIpPerHour: 60,
      conversationsPerIpPerHour: 20,
      messagesPerMinute: 30,
      streamsPerIdentity: 10,
      streamsPerIp: 100,
      streamBufferBytes: 4 * 1024 * 1024,
    });
    expect(resolveLimits({ messagesPerMinute: 5 })).toEqual({
      ...DEFAULT_LIMITS,
      messagesPerMinute: 5,
    });
  });

  it.each([
    [{ messagesPerMinute: 0 }, /limits\.messagesPerMinute must be a positive whole number/],
    [{ streamsPerIp: 2.5 }, /limits\.streamsPerIp must be a positive whole number/],
    [{ sessionsPerIpPerHour: '60' }, /limits\.sessionsPerIpPerHour .*got "60"/],
    [{ streamsPerIdentity: -1 }, /limits\.streamsPerIdentity/],
    [{ conversationsPerIpPerHour: Number.POSITIVE_INFINITY }, /conversationsPerIpPerHour/],
    [{ messagesPerHour: 10 }, /"messagesPerHour" is not a limit/],
    [30, /limits must be an object/],
    [null, /limits must be an object/],
  ])('refuses %p with a message that says what to fix', (limits, message) => {
    expect(() => resolveLimits(limits)).toThrow(HelperConfigurationError);
    expect(() => resolveLimits(limits)).toThrow(message);
  });

  it('fails at start-up on a bad limit', async () => {
    await expect(
      startApp([
        HelperModule.forRoot({
          hmacSecrets: [SECRET],
          adminGuard: StaffTokenGuard,
          database: tempDatabasePath(),
          limits: { messagesPerMinute: 0 },
        }),
      ]),
    ).rejects.toThrow(/limits\.messagesPerMinute must be a positive whole number/);
  });
});
