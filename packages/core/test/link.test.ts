import { describe, expect, it } from '@jest/globals';
import { CHAT_LINK_PARAM, buildChatLink } from '../src/index.js';

describe('buildChatLink', () => {
  it('appends helper_chat to the widget host', () => {
    expect(CHAT_LINK_PARAM).toBe('helper_chat');
    expect(buildChatLink('https://app.example.com/support', 'tok.en')).toBe(
      'https://app.example.com/support?helper_chat=tok.en',
    );
  });

  it('keeps an existing query and fragment', () => {
    expect(buildChatLink('https://app.example.com/?lang=en#help', 'abc')).toBe(
      'https://app.example.com/?lang=en&helper_chat=abc#help',
    );
  });
});
