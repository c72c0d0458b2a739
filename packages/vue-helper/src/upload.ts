import type { AttachmentView } from '@helperkit/core';
import { isPlainObject } from '@helperkit/core';
import type { Outcome } from './client.js';

const isAttachment = (body: unknown): body is AttachmentView =>
  isPlainObject(body) && typeof body.id === 'string' && typeof body.url === 'string';

/**
 * Posts one file as `multipart/form-data` (field `file`). XMLHttpRequest rather than fetch: only
 * it reports upload progress in every browser. Never throws: failures come back as outcomes, with
 * the server's `{ code, message }` when it sent one.
 */
export function uploadFile(
  url: string,
  token: string,
  file: File,
  { signal, onProgress }: { signal: AbortSignal; onProgress: (fraction: number) => void },
): Promise<Outcome<AttachmentView>> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    const fail = (code: string, message: string, statusCode?: number) =>
      resolve({ ok: false, failure: { code, message, ...(statusCode && { statusCode }) } });
    request.open('POST', url);
    request.setRequestHeader('authorization', `Bearer ${token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body: unknown = request.response;
      if (request.status === 201 && isAttachment(body)) return resolve({ ok: true, value: body });
      if (isPlainObject(body) && typeof body.code === 'string' && typeof body.message === 'string')
        return fail(body.code, body.message, request.status);
      fail('http_error', `The helperkit server answered HTTP ${request.status}.`, request.status);
    };
    request.onerror = () => fail('network_error', `Could not reach ${url}.`);
    request.onabort = () => fail('aborted', 'The upload was cancelled.');
    signal.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
