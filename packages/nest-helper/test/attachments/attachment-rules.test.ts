import { describe, expect, it } from '@jest/globals';
import { storedFileName } from '../../src/attachments/attachment-name.js';
import { sniffAllowedType } from '../../src/attachments/attachment-type.js';
import { resolveAttachmentOptions } from '../../src/attachments/attachment.options.js';
import { PNG } from '../support/attachments.js';

describe('stored file names', () => {
  it.each([
    ['photo.jpeg', 'jpg', 'photo.jpeg'],
    ['photo.JPG', 'jpg', 'photo.JPG'],
    ['photo.png', 'jpg', 'photo.png.jpg'],
    ['../../etc/passwd', 'txt', 'etc passwd.txt'],
    ['evil\u202Egnp.exe', 'png', 'evil gnp.exe.png'],
    ['  ', 'pdf', 'file.pdf'],
    [null, 'png', 'file.png'],
    ['.hidden', 'txt', 'hidden.txt'],
  ])('stores %j sniffed as %s as %j', (declared, extension, stored) => {
    expect(storedFileName(declared, extension)).toBe(stored);
  });

  it('shortens a long name by whole characters and keeps the extension', () => {
    const stored = storedFileName(`${'😀'.repeat(300)}.png`, 'png');
    expect(Array.from(stored)).toHaveLength(200);
    expect(stored.endsWith('😀.png')).toBe(true);
    expect(stored).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('types sniffed from the bytes', () => {
  const allowed = resolveAttachmentOptions().types;

  it('knows a PNG whatever it was declared as', async () => {
    expect(await sniffAllowedType(PNG, 'text/plain', allowed)).toEqual({
      contentType: 'image/png',
      extension: 'png',
    });
  });

  it('takes text only when declared text/plain, valid UTF-8 and not markup', async () => {
    const text = Buffer.from('Grüße, 你好\n');
    expect(await sniffAllowedType(text, 'text/plain; charset=utf-8', allowed)).toEqual({
      contentType: 'text/plain',
      extension: 'txt',
    });
    expect(await sniffAllowedType(text, 'application/octet-stream', allowed)).toBeNull();
    expect(await sniffAllowedType(Buffer.from([0xc3, 0x28]), 'text/plain', allowed)).toBeNull();
    expect(
      await sniffAllowedType(Buffer.from('  <IFRAME src=x>'), 'text/plain', allowed),
    ).toBeNull();
    expect(
      await sniffAllowedType(Buffer.from('<?xml version="1.0"?>'), 'text/plain', allowed),
    ).toBeNull();
  });

  it('refuses an allowed-by-default type the host left out', async () => {
    const pngOnly = resolveAttachmentOptions({ types: ['image/png'] }).types;
    expect(await sniffAllowedType(Buffer.from('words'), 'text/plain', pngOnly)).toBeNull();
  });

  it('refuses bad options at start-up with what to fix', () => {
    expect(() => resolveAttachmentOptions({ maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() =>
      resolveAttachmentOptions({ types: ['image/png', 'application/xhtml+xml'] }),
    ).toThrow(/must not list application\/xhtml\+xml/);
  });
});
