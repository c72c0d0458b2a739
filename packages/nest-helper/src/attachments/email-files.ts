import { MailParser, type AttachmentStream } from 'mailparser';
import { Readable } from 'node:stream';

/** A file of an inbound email: its bytes, or null when it passed the size limit. */
export interface EmailFile {
  declaredName: string | null;
  declaredType: string | undefined;
  size: number;
  bytes: Buffer | null;
}

// Parts that carry mail about mail (delivery reports, forwarded headers), not a person's files.
const NOT_A_FILE = /^(message\/|text\/rfc822-headers)/i;

/** No email has more files worth a look; the rest are not read. */
const MAX_PARTS = 50;

/**
 * The files of a raw message, each read up to `maxBytes` (a larger one is only counted), with
 * mailparser's streaming parser, so no file sits in memory beyond the limit. The email was parsed
 * and accepted already: a parser error here answers the files found so far.
 */
export function readEmailFiles(raw: Buffer, maxBytes: number): Promise<EmailFile[]> {
  return new Promise((resolve) => {
    const files: EmailFile[] = [];
    let pending = 0;
    let ended = false;
    let settled = false;
    const finish = (force = false) => {
      if (settled || (!force && (!ended || pending > 0))) return;
      settled = true;
      resolve(files);
    };
    const read = (part: AttachmentStream) => {
      const declaredType = typeof part.contentType === 'string' ? part.contentType : undefined;
      if (files.length >= MAX_PARTS || NOT_A_FILE.test(declaredType ?? '')) {
        part.content.resume();
        part.content.once('end', () => part.release?.());
        return;
      }
      const file: EmailFile = {
        declaredName: part.filename ?? null,
        declaredType,
        size: 0,
        bytes: null,
      };
      files.push(file);
      pending++;
      const chunks: Buffer[] = [];
      part.content
        .on('data', (chunk: Buffer) => {
          file.size += chunk.length;
          if (file.size <= maxBytes) chunks.push(chunk);
        })
        .once('end', () => {
          if (file.size <= maxBytes) file.bytes = Buffer.concat(chunks);
          pending--;
          part.release?.();
          finish();
        });
    };
    const parser = new MailParser({ skipImageLinks: true, checksumAlgo: false });
    parser
      .on('data', (data: AttachmentStream | { type: 'text' }) => {
        if (data.type === 'attachment') read(data);
      })
      .once('error', () => finish(true))
      .once('end', () => {
        ended = true;
        finish();
      });
    Readable.from([raw]).pipe(parser);
  });
}
