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

/** Whether an attachment part of an email is one of its files, given those found before it. */
export const isEmailFile = (declaredType: string | undefined, filesSoFar: number): boolean =>
  filesSoFar < MAX_PARTS && !NOT_A_FILE.test(declaredType ?? '');

/**
 * Collects one file's bytes as the email's parser streams them: up to `maxBytes` (a larger file is
 * only counted), so no file sits in memory beyond the limit. The parse of the message itself
 * reads them, so a message is parsed once (docs/email.md, "Attachments").
 */
export function emailFileReader(
  declared: Pick<EmailFile, 'declaredName' | 'declaredType'>,
  maxBytes: number,
) {
  const file: EmailFile = { ...declared, size: 0, bytes: null };
  let chunks: Buffer[] = [];
  return {
    /** The file, in the order its part began; its bytes are set once its content ends. */
    file,
    take(chunk: Buffer) {
      file.size += chunk.length;
      if (file.size <= maxBytes) chunks.push(chunk);
      else chunks = [];
    },
    done(): void {
      if (file.size <= maxBytes) file.bytes = Buffer.concat(chunks, file.size);
      chunks = [];
    },
  };
}
