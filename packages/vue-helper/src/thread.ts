import type { AttachmentView, MessageAuthor, MessageOrigin, MessageView } from '@helperkit/core';

/** A message as the chat shows it: one the server stored, or the customer's own on its way. */
export interface ChatMessage {
  /** The same before and after the server stored it, so the element stays (and is not re-announced). */
  key: string;
  /** `null` until the server has stored it. */
  id: number | null;
  author: MessageAuthor;
  body: string;
  origin: MessageOrigin;
  clientId: string | null;
  createdAt: string;
  /** Files it carries; an unsent message keeps them, so a retry sends them again. */
  attachments: AttachmentView[];
  state: 'sending' | 'sent' | 'failed';
  /** Why it was not sent. */
  error?: string;
  /** Seconds the server asked to wait before sending again. */
  retryAfter?: number;
}

/** The messages of one conversation, as far as they are loaded. */
export interface Thread {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  messages: ChatMessage[];
  /** Where "Load earlier" continues; `null` at the conversation's start. */
  nextBefore: number | null;
  loadingEarlier: boolean;
}

/**
 * 128 random bits as four decimal numbers joined by `-`. Not `crypto.randomUUID()`, which is
 * missing outside secure contexts (plain HTTP) and in older Safari: one way everywhere is less
 * code than both.
 */
export const newClientId = (): string => crypto.getRandomValues(new Uint32Array(4)).join('-');

// The customer's own messages are keyed by clientId, so the optimistic one and the stored one match.
export const keyOf = (author: MessageAuthor, id: number | null, clientId: string | null) =>
  clientId === null ? `#${id}` : `${author}:${clientId}`;

// The server's fields as they came (a copy: the view is the server's answer, this the chat's).
const toChatMessage = (view: MessageView): ChatMessage => ({
  ...view,
  key: keyOf(view.author, view.id, view.clientId),
  // A server from before attachments sends none.
  attachments: view.attachments ?? [],
  state: 'sent',
});

/** Adds or replaces a stored message: stored ones in id order, the customer's unsent ones last. */
export function upsertMessage(thread: Thread, view: MessageView): void {
  const message = toChatMessage(view);
  const list = thread.messages;
  const known = list.findIndex((item) => item.id === view.id || item.key === message.key);
  if (known >= 0) list.splice(known, 1);
  const at = list.findIndex((item) => item.id === null || item.id > view.id);
  list.splice(at < 0 ? list.length : at, 0, message);
}
