import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RATE_WINDOW_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_UNSEEN_REPLY_DELAY_MS,
  resolveEmailOptions,
  type HelperEmailOptions,
} from '../../src/email/email.options.js';
import { HelperConfigurationError } from '../../src/helper.options.js';
import { INBOUND_SECRET } from './support.js';

const valid: HelperEmailOptions = {
  address: 'support@example.com',
  smtp: 'smtps://mailer:smtp-password-123@smtp.example.com',
  inboundSecret: INBOUND_SECRET,
};

/** The error message resolving these options fails with. */
function failure(options: Partial<HelperEmailOptions> | null): string {
  try {
    resolveEmailOptions(options as HelperEmailOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(HelperConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the options to be refused');
}

describe('resolveEmailOptions', () => {
  it("applies the defaults: From is the address, 24 h window, 25 MiB raw, each provider's own limit", () => {
    expect(resolveEmailOptions(valid)).toEqual({
      ...valid,
      trustedAuthServIds: [],
      senderAuthentication: 'verify',
      maxAutoRepliesPerHour: 100,
      from: 'support@example.com',
      mailgunSigningKey: null,
      rateWindowMs: DEFAULT_RATE_WINDOW_MS,
      maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
      messageLimits: {
        sendgrid: 30 * 1024 * 1024,
        mailgun: 25 * 1024 * 1024,
        postmark: expect.any(Number),
      },
      retryDelayMs: DEFAULT_RETRY_DELAY_MS,
      continuity: true,
      unseenReplyDelayMs: DEFAULT_UNSEEN_REPLY_DELAY_MS,
    });
    // Postmark: 35 MiB of attachments in base64 fit.
    expect(resolveEmailOptions(valid).messageLimits.postmark).toBeGreaterThan(
      (35 * 1024 * 1024 * 4) / 3,
    );
    expect(DEFAULT_UNSEEN_REPLY_DELAY_MS).toBe(10 * 60_000);
    expect(DEFAULT_RATE_WINDOW_MS).toBe(86_400_000);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(25 * 1024 * 1024);
  });

  it('keeps what was given, SMTP transport options included', () => {
    const smtp = { host: 'smtp.example.com', port: 587, auth: { user: 'u', pass: 'p' } };
    expect(
      resolveEmailOptions({
        ...valid,
        smtp,
        from: '"Acme Support" <support@example.com>',
        mailgunSigningKey: 'key-123',
        rateWindowMs: 3_600_000,
        maxMessageBytes: 1_000_000,
        continuity: false,
        unseenReplyDelayMs: 60_000,
      }),
    ).toMatchObject({
      continuity: false,
      unseenReplyDelayMs: 60_000,
      smtp,
      from: '"Acme Support" <support@example.com>',
      mailgunSigningKey: 'key-123',
      rateWindowMs: 3_600_000,
      maxMessageBytes: 1_000_000,
      // The host's own limit holds on every route.
      messageLimits: { sendgrid: 1_000_000, mailgun: 1_000_000, postmark: 1_000_000 },
    });
  });

  it.each([
    ['no options', null, /options are missing/],
    ['a missing address', { address: undefined }, /email\.address/],
    ['an address that is not one', { address: 'support at example.com' }, /email\.address/],
    ['two From addresses', { from: 'a@example.com, b@example.com' }, /email\.from/],
    ['a missing SMTP server', { smtp: undefined }, /email\.smtp is required/],
    ['an SMTP URL of another protocol', { smtp: 'https://example.com' }, /email\.smtp/],
    ['a missing inbound secret', { inboundSecret: undefined }, /email\.inboundSecret/],
    ['a short inbound secret', { inboundSecret: 'too-short' }, /at least 32 bytes/],
    ['an empty Mailgun key', { mailgunSigningKey: ' ' }, /mailgunSigningKey/],
    ['a zero window', { rateWindowMs: 0 }, /rateWindowMs must be a positive whole number/],
    ['a fractional size', { maxMessageBytes: 1.5 }, /maxMessageBytes must be a positive whole/],
    [
      'continuity as a word',
      { continuity: 'yes' as unknown as boolean },
      /email\.continuity must be true .* or false/,
    ],
    [
      'a negative unseen delay',
      { unseenReplyDelayMs: -1 },
      /unseenReplyDelayMs must be a positive/,
    ],
  ])('refuses %s, saying what to fix', (_case, change, message) => {
    expect(failure(change === null ? null : { ...valid, ...change })).toMatch(message);
  });

  it('never quotes a secret or a password in its message', () => {
    const messages = [
      failure({ ...valid, inboundSecret: 'short-secret-value' }),
      failure({ ...valid, smtp: 'ftp://mailer:smtp-password-123@smtp.example.com' }),
      failure({ ...valid, smtp: 'smtp://mailer:smtp-password-123@[bad' }),
    ];
    for (const message of messages) {
      expect(message).not.toContain('short-secret-value');
      expect(message).not.toContain('smtp-password-123');
    }
  });
});
