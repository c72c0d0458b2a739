import { DEFAULT_TITLE } from '@helperkit/core';
import { describe, expect, it, vi } from 'vitest';
import de from '../src/i18n/de.js';
import en from '../src/i18n/en.js';
import { HELPER_LOCALES } from '../src/index.js';
import { byText, fakeServer, mountHelper, openChat, panel, toggleButton } from './harness.js';

const root = () => toggleButton()!.closest('.helperkit')!;
const heading = () => panel()!.querySelector('h2')!.textContent;

describe('locales', () => {
  it.each(HELPER_LOCALES)('every exported locale has its catalogue: %s', async (locale) => {
    const { default: catalogue } = (await import(`../src/i18n/${locale}.ts`)) as {
      default: typeof en;
    };
    fakeServer();
    const { helper } = await mountHelper({ locale });
    await openChat(helper);

    expect(root().getAttribute('lang')).toBe(locale);
    expect(heading()).toBe(catalogue.title);
    expect(panel()!.textContent).toContain(catalogue.noMessages);
  });

  it("the server's default title is the English one, so it is the one translated", () => {
    expect(en.title).toBe(DEFAULT_TITLE);
  });

  it('English by default, from navigator.language', async () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'en-GB' });
    fakeServer();
    await mountHelper();

    expect(root().getAttribute('lang')).toBe('en-GB');
    expect(root().getAttribute('dir')).toBe('ltr');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('navigator.language picks the catalogue, which loads as its own chunk', async () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'de-AT' });
    fakeServer();
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(root().getAttribute('lang')).toBe('de-AT');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Chat mit Kundenservice öffnen');
    expect(heading()).toBe('Kundenservice');
    expect(panel()!.textContent).toContain(de.noMessages);
  });

  it('the locale option wins; Arabic is right to left, with its plural forms', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'مرحبا']]);
    const { helper } = await mountHelper({ locale: 'ar' });
    server.chat.reply(conversation.id, 'أهلا');
    server.chat.reply(conversation.id, 'كيف نساعدك؟');
    await vi.waitFor(() => expect(helper.unreadCount.value).toBe(2));

    expect(root().getAttribute('dir')).toBe('rtl');
    expect(toggleButton()!.getAttribute('aria-label')).toBe(
      'فتح الدردشة مع الدعم, رسالتان غير مقروءتين',
    );
    server.chat.reply(conversation.id, 'نحن هنا');
    await vi.waitFor(() => expect(helper.unreadCount.value).toBe(3));
    expect(toggleButton()!.getAttribute('aria-label')).toBe(
      'فتح الدردشة مع الدعم, 3 رسائل غير مقروءة',
    );
  });

  it('a region picks its language’s catalogue: pt-BR uses pt, with Brazilian dates', async () => {
    fakeServer();
    const { helper } = await mountHelper({ locale: 'pt-BR' });
    await openChat(helper);

    expect(root().getAttribute('lang')).toBe('pt-BR');
    expect(heading()).toBe('Suporte');
  });

  it('a tag in any case is read canonically: AR-eg is Arabic, right to left', async () => {
    fakeServer();
    const { helper } = await mountHelper({ locale: 'AR-eg' });
    await openChat(helper);

    expect(root().getAttribute('lang')).toBe('ar-EG');
    expect(root().getAttribute('dir')).toBe('rtl');
    expect(heading()).toBe('الدعم');
  });

  it('a right-to-left language without a catalogue shows English, left to right', async () => {
    fakeServer();
    await mountHelper({ locale: 'he-IL' });

    expect(root().getAttribute('lang')).toBe('en');
    expect(root().getAttribute('dir')).toBe('ltr');
  });

  it('a language without a catalogue shows English, labelled English', async () => {
    fakeServer();
    await mountHelper({ locale: 'nl-NL' });

    expect(root().getAttribute('lang')).toBe('en');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('a language named like an object property finds no catalogue: English shows', async () => {
    fakeServer();
    const { helper } = await mountHelper({ locale: 'valueof' });

    expect(helper.error.value).toBeNull();
    expect(root().getAttribute('lang')).toBe('en');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('an empty locale is reported as malformed, and English shows', async () => {
    fakeServer();
    const { helper } = await mountHelper({ locale: '' });

    expect(helper.error.value).toMatchObject({ kind: 'locale', code: 'invalid_locale' });
    expect(root().getAttribute('lang')).toBe('en');
  });

  it('a malformed locale is reported, and English shows', async () => {
    fakeServer();
    const { helper } = await mountHelper({ locale: 'not a locale!' });

    expect(helper.error.value).toMatchObject({ kind: 'locale', code: 'invalid_locale' });
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('a catalogue that cannot load is reported, and English shows, labelled English', async () => {
    vi.doMock('../src/i18n/ja.js', () => {
      throw new Error('offline');
    });
    fakeServer();
    const { helper } = await mountHelper({ locale: 'ja' });
    vi.doUnmock('../src/i18n/ja.js');

    expect(helper.error.value).toMatchObject({ kind: 'locale', code: 'locale_unavailable' });
    expect(root().getAttribute('lang')).toBe('en');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('messages override any string, over the loaded catalogue too', async () => {
    fakeServer();
    const { helper } = await mountHelper({
      locale: 'fr',
      messages: { newConversation: 'Écrire au support', send: 'Go' },
    });
    await openChat(helper);

    expect(byText('Go')).not.toBeNull();
    expect(panel()!.textContent).toContain('Aucun message');
  });

  it('a title from the options or the mailbox shows as given, in any language', async () => {
    const server = fakeServer();
    server.title = 'Acme Hilfe';
    const { helper } = await mountHelper({ locale: 'de' });
    await openChat(helper);

    expect(heading()).toBe('Acme Hilfe');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Chat mit Acme Hilfe öffnen');
  });

  it('every catalogue has every key of the English one, and no other', async () => {
    const locales = ['de', 'fr', 'es', 'pt', 'ja', 'ar'];
    for (const locale of locales) {
      const { default: catalogue } = (await import(`../src/i18n/${locale}.ts`)) as {
        default: Record<string, unknown>;
      };
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    }
  });

  it('plural forms follow Intl.PluralRules', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const { helper } = await mountHelper({ locale: 'fr' });
    server.chat.reply(conversation.id, 'Bonjour');
    await vi.waitFor(() => expect(helper.unreadCount.value).toBe(1));
    expect(toggleButton()!.getAttribute('aria-label')).toBe(
      'Ouvrir la discussion avec Assistance, 1 non lu',
    );

    server.chat.reply(conversation.id, 'Encore');
    await vi.waitFor(() => expect(helper.unreadCount.value).toBe(2));
    expect(toggleButton()!.getAttribute('aria-label')).toBe(
      'Ouvrir la discussion avec Assistance, 2 non lus',
    );
  });
});
