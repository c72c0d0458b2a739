import { describe, expect, it } from '@jest/globals';
import { composeAutoReply } from '../../src/email/auto-reply.js';
import { composeContinuityEmail } from '../../src/email/continuity-email.js';
import { couldBeOwnMessageId, ownMessageId } from '../../src/email/own-message-id.js';
import { parsedFixture } from './support.js';

describe('our Message-IDs', () => {
  it('are random, at the mailbox domain, and always of the shape looked up', async () => {
    const reply = composeAutoReply({
      original: await parsedFixture('gmail-plain.eml'),
      mailboxAddress: 'support@shop.example',
      widgetHost: 'https://shop.example/help',
      linkToken: 'token',
    });
    const continuity = composeContinuityEmail({
      from: 'support@shop.example',
      to: 'ann@example.org',
      mailboxAddress: 'support@shop.example',
      subject: 'Order 7',
      thread: [],
      replies: ['It ships tomorrow.'],
      chatLink: 'https://shop.example/help?helper_chat=token',
    });
    const ids = [
      String(reply.messageId),
      String(continuity.messageId),
      ownMessageId('a@b.example'),
    ];
    expect(ids[0]).toMatch(/@shop\.example>$/);
    expect(new Set(ids).size).toBe(3);
    expect(ids.filter(couldBeOwnMessageId)).toEqual(ids);
  });

  it.each([
    '<CAF=abc123@mail.gmail.com>',
    '<order-77@mail.example.org>',
    '<c1d2e3f4-0a1b-4c2d-8e3f-9a0b1c2d3e4f@example.com> trailing',
    'c1d2e3f4-0a1b-4c2d-8e3f-9a0b1c2d3e4f@example.com',
    '<c1d2e3f4-0a1b-4c2d-8e3f@example.com>',
  ])('are never %s, which is not looked up', (id) => {
    expect(couldBeOwnMessageId(id)).toBe(false);
  });
});
