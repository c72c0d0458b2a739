import { describe, expect, it } from '@jest/globals';
import { withoutQuote } from '../../src/email/reply-text.js';

// How mail programs quote the email a customer answers: the customer's words stay, the rest goes.
describe('an emailed answer without its quote', () => {
  it.each([
    [
      'Gmail',
      [
        'Great, thank you!',
        '',
        'On Mon, Nov 30, 2026 at 10:00 AM Example Support <support@example.com> wrote:',
        '> It ships tomorrow.',
        '>',
        '> Answer this email, or continue the conversation in our chat:',
      ],
    ],
    [
      'Gmail, its attribution line wrapped',
      [
        'Great, thank you!',
        '',
        'On Mon, Nov 30, 2026 at 10:00 AM Example Support <',
        'support@example.com> wrote:',
        '',
        '> It ships tomorrow.',
      ],
    ],
    [
      'Outlook',
      [
        'Great, thank you!',
        '',
        '________________________________',
        'From: Example Support <support@example.com>',
        'Sent: Monday, November 30, 2026 10:00 AM',
        'To: Ann Customer <ann@example.org>',
        'Subject: Re: Order 77 has not arrived',
        '',
        'It ships tomorrow.',
      ],
    ],
    [
      'Outlook, original message divider',
      [
        'Great, thank you!',
        '',
        '-----Original Message-----',
        'From: Example Support',
        '',
        'It ships tomorrow.',
      ],
    ],
    [
      'Apple Mail on an iPhone',
      [
        'Great, thank you!',
        '',
        'Sent from my iPhone',
        '',
        '> On 30 Nov 2026, at 10:00, Example Support <support@example.com> wrote:',
        '> ',
        '> It ships tomorrow.',
      ],
    ],
  ])('%s', (_client, lines) => {
    expect(withoutQuote(lines.join('\n')).trim()).toBe('Great, thank you!');
  });

  it('keeps a message that has no quote as it is', () => {
    expect(withoutQuote('Line one\n\nLine two\n').trim()).toBe('Line one\n\nLine two');
  });

  it('keeps the whole text when the answer is written inside the quote', () => {
    const inline = '> Which colour?\n> \n> It ships tomorrow.';
    expect(withoutQuote(inline)).toBe(inline);
  });
});
