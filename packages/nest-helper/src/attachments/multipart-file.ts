import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { nativeRequest } from '../http/native-request.js';
import { bodyStream, sentContentType } from '../http/owned-body.js';
import { badUpload, fileTooLarge } from './attachment-errors.js';

/** One uploaded file: its bytes, and what its sender said about it (never trusted). */
export interface UploadedFile {
  bytes: Buffer;
  declaredName: string | null;
  declaredType: string | undefined;
}

export const FILE_FIELD = 'file';

/** Room for the multipart boundaries and part headers around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The file of an upload request (Express's or Fastify's), read from the request stream with the
 * module's own limit: the platform's body parsers never saw this body (docs/platforms.md).
 */
export function uploadedFileOf(request: object, maxBytes: number): Promise<UploadedFile> {
  const node = nativeRequest(request);
  return readUploadedFile(node, bodyStream(node), sentContentType(node), maxBytes);
}

/**
 * Reads the multipart field `file`. Refuses with 413 as soon as the file passes `maxBytes`, 400
 * when there is no file or it is empty. Other fields are ignored.
 */
function readUploadedFile(
  request: IncomingMessage,
  stream: Readable,
  contentType: string | undefined,
  maxBytes: number,
): Promise<UploadedFile> {
  const declaredLength = Number(request.headers['content-length']);
  if (declaredLength > maxBytes + ENVELOPE_BYTES) return Promise.reject(fileTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType ?? '' },
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxBytes, fields: 20, parts: 21 },
      });
    } catch {
      reject(badUpload('not_multipart', 'Send the file as multipart/form-data, field "file".'));
      return;
    }
    let settled = false;
    let file: UploadedFile | null = null;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      if (error) {
        // Paused, not destroyed: the server discards the rest once the answer is sent, and the
        // client reads the error instead of a closed connection.
        stream.unpipe(parser);
        stream.pause();
        parser.on('error', () => undefined);
        reject(error);
      } else if (!file) {
        reject(badUpload('file_missing', 'The form has no file in the field "file".'));
      } else if (file.bytes.length === 0) {
        reject(badUpload('file_empty', 'The file is empty.'));
      } else resolve(file);
    };
    parser.on('file', (name, content, info) => {
      if (name !== FILE_FIELD || file) {
        content.resume();
        return;
      }
      const chunks: Buffer[] = [];
      content.on('data', (chunk: Buffer) => chunks.push(chunk));
      content.on('limit', () => finish(fileTooLarge(maxBytes)));
      content.on('end', () => {
        file = {
          bytes: Buffer.concat(chunks),
          declaredName: info.filename ?? null,
          declaredType: info.mimeType,
        };
      });
    });
    parser.on('error', () => finish(badUpload('malformed_form', 'The form body is malformed.')));
    parser.on('close', () => finish(null));
    stream.on('error', () =>
      finish(badUpload('malformed_form', 'The request body could not be read to the end.')),
    );
    stream.pipe(parser);
  });
}
