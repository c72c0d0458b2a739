import type { ApiErrorBody, AttachmentView } from '@helperkit/core';
import { ApiError, inMailbox, staffToken } from './api.js';

/** Uploads a file to a conversation as staff (multipart, field `file`), for the next reply. */
export async function uploadAsStaff(conversationId: string, file: File): Promise<AttachmentView> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(
      inMailbox(`/helper/staff/conversations/${encodeURIComponent(conversationId)}/attachments`),
      {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken.value ?? ''}` },
        body: form,
      },
    );
  } catch {
    throw new ApiError(0, 'network_error', 'The demo server does not answer. Is it running?');
  }
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return data as AttachmentView;
  const body = (data ?? {}) as Partial<ApiErrorBody>;
  throw new ApiError(
    response.status,
    body.code ?? 'error',
    body.message ?? `The server answered ${response.status}.`,
  );
}
