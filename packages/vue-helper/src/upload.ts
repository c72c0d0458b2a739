import type { AttachmentView } from '@helperkit/core';
import { isPlainObject } from '@helperkit/core';
import { failureOf, type Failure, type Outcome } from './client.js';

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
    const fail = (failure: Failure) => resolve({ ok: false, failure });
    request.open('POST', url);
    request.setRequestHeader('authorization', `Bearer ${token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body: unknown = request.response;
      if (request.status === 201 && isAttachment(body)) resolve({ ok: true, value: body });
      else fail(failureOf(body, request.status));
    };
    request.onerror = () => fail({ code: 'network_error', message: `Could not reach ${url}.` });
    request.onabort = () => fail({ code: 'aborted', message: 'The upload was cancelled.' });
    signal.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
