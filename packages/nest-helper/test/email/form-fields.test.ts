import { describe, expect, it } from '@jest/globals';
import { readForm, textFields } from '../../src/email/adapters/form-fields.js';
import { expectHttpError } from './support.js';

const BOUNDARY = 'b0undary';

/** A multipart body from raw part texts (headers, blank line, content), CRLF throughout. */
const multipart = (...parts: Buffer[]) => ({
  contentType: `multipart/form-data; boundary="${BOUNDARY}"`,
  body: Buffer.concat([
    ...parts.flatMap((part) => [Buffer.from(`--${BOUNDARY}\r\n`), part, Buffer.from('\r\n')]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]),
});

const part = (headers: string[], content: Buffer | string) =>
  Buffer.concat([
    Buffer.from(`${headers.join('\r\n')}\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
  ]);

const field = (name: string, content: Buffer | string, type?: string) =>
  part(
    [`Content-Disposition: form-data; name="${name}"`, ...(type ? [`Content-Type: ${type}`] : [])],
    content,
  );

describe('readForm, multipart', () => {
  it('keeps each field as the bytes that were sent, with the charset it is labelled with', async () => {
    const latin1 = Buffer.from('Probl\xe8me r\xe9gl\xe9', 'latin1');
    const form = await readForm(
      multipart(field('email', latin1), field('subject', 'Grüße', 'text/plain; charset=UTF-8')),
      1024,
    );
    expect(form.fields.get('email')!.bytes.equals(latin1)).toBe(true);
    expect(form.fields.get('subject')).toMatchObject({ charset: 'utf-8', mediaType: 'text/plain' });
  });

  it('decodes a part labelled UTF-8 whose text stays within Latin-1 as UTF-8 (no "Gr��e")', async () => {
    const form = await readForm(
      multipart(field('text', 'Grüße aus Köln', 'text/plain; charset=utf-8')),
      1024,
    );
    expect(textFields(form).get('text')).toBe('Grüße aus Köln');
  });

  it('keeps files apart from fields, named without any path', async () => {
    const form = await readForm(
      multipart(
        field('attachments', '2'),
        part(
          [
            'Content-Disposition: form-data; name="attachment1"; filename="C:\\\\Users\\\\x\\\\a.pdf"',
            'Content-Type: application/pdf',
          ],
          '%PDF',
        ),
        part(
          [
            `Content-Disposition: form-data; name="attachment2"; filename="x"; filename*=utf-8''R%C3%A9sum%C3%A9.txt`,
          ],
          'cv',
        ),
      ),
      1024,
    );
    expect([...form.fields.keys()]).toEqual(['attachments']);
    expect(form.files.map((file) => [file.name, file.filename, file.mediaType])).toEqual([
      ['attachment1', 'a.pdf', 'application/pdf'],
      ['attachment2', 'Résumé.txt', null],
    ]);
  });

  it('takes the first of repeated fields and skips parts that are not form data', async () => {
    const form = await readForm(
      multipart(
        field('to', 'first@example.com'),
        field('to', 'second@example.com'),
        part(['Content-Disposition: attachment; name="x"'], 'ignored'),
      ),
      1024,
    );
    expect(textFields(form)).toEqual(new Map([['to', 'first@example.com']]));
  });

  it('answers 413 for a field over the limit, while a larger file counts only to the body', async () => {
    await expectHttpError(
      readForm(multipart(field('email', 'x'.repeat(101))), 100),
      413,
      'payload_too_large',
    );
    const file = part(
      ['Content-Disposition: form-data; name="attachment1"; filename="big.bin"'],
      Buffer.alloc(500, 1),
    );
    expect((await readForm(multipart(file), 100)).files[0]!.bytes.length).toBe(500);
  });

  it('answers 400 for a body that is not a whole form', async () => {
    const whole = multipart(field('email', 'x'));
    for (const broken of [
      { ...whole, contentType: 'multipart/form-data' },
      { ...whole, body: whole.body.subarray(0, whole.body.length - 20) },
      { ...whole, body: Buffer.from('no boundary anywhere') },
      { ...whole, body: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data`) },
    ]) {
      await expectHttpError(readForm(broken, 1024), 400, 'bad_request');
    }
  });

  it('answers 400 for more parts than any provider sends', async () => {
    const parts = Array.from({ length: 251 }, (_, index) => field(`f${index}`, 'x'));
    const message = await expectHttpError(readForm(multipart(...parts), 1024), 400, 'bad_request');
    expect(message).toMatch(/more than 250 parts/);
  });
});

describe('readForm, urlencoded', () => {
  const urlencoded = (body: string) => ({
    contentType: 'application/x-www-form-urlencoded',
    body: Buffer.from(body),
  });

  it('decodes each value to the bytes that were encoded, + as a space', async () => {
    const form = await readForm(
      urlencoded('body-mime=Probl%E8me+r%c3%a9gl%C3%A9%&empty=&flag'),
      1024,
    );
    expect(form.fields.get('body-mime')!.bytes).toEqual(
      Buffer.concat([Buffer.from('Probl\xe8me ', 'latin1'), Buffer.from('réglé%')]),
    );
    expect(textFields(form).get('empty')).toBe('');
    expect(textFields(form).get('flag')).toBe('');
  });

  it('answers 413 for a value over the limit and 415 for another type', async () => {
    await expectHttpError(
      readForm(urlencoded(`a=${'x'.repeat(101)}`), 100),
      413,
      'payload_too_large',
    );
    await expectHttpError(
      readForm({ contentType: 'text/plain', body: Buffer.from('a=b') }, 100),
      415,
      'unsupported_media_type',
    );
  });
});
