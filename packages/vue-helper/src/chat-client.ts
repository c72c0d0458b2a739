import {
  isPlainObject,
  type AttachmentView,
  type ConversationSummary,
  type MessagePage,
  type MessageView,
} from '@helperkit/core';
import { uploadFile } from './upload.js';
import type { Outcome, Transport } from './client.js';

type Started = { conversation: ConversationSummary; message: MessageView };
/** `POST /conversations/:id/read`: the customer's mark and what is still unread after it. */
type ReadAnswer = { lastReadId: number; unreadCount: number };
export type RatingValue = 'good' | 'bad';
export interface RatingView {
  rating: RatingValue;
  comment: string | null;
  createdAt: string;
}

// Shallow checks: enough to tell a helperkit answer from a proxy's error page or another API.
const isList = (body: unknown): body is { conversations: ConversationSummary[] } =>
  isPlainObject(body) && Array.isArray(body.conversations);
const isStarted = (body: unknown): body is Started =>
  isPlainObject(body) && isPlainObject(body.conversation) && isPlainObject(body.message);
const isPage = (body: unknown): body is MessagePage =>
  isPlainObject(body) &&
  Array.isArray(body.messages) &&
  (body.nextBefore === null || typeof body.nextBefore === 'number');
const isPosted = (body: unknown): body is { message: MessageView } =>
  isPlainObject(body) && isPlainObject(body.message);
const isRead = (body: unknown): body is ReadAnswer =>
  isPlainObject(body) &&
  typeof body.lastReadId === 'number' &&
  typeof body.unreadCount === 'number';
const isRated = (body: unknown): body is { rating: RatingView } =>
  isPlainObject(body) && isPlainObject(body.rating);

/** A request waiting for the session's token and the visitor's abort signal. */
export type ChatRequest<T> = (token: string, signal: AbortSignal) => Promise<Outcome<T>>;

/**
 * The customer's conversation endpoints (see docs/widget.md), authorised by the widget session
 * token. Each answers a {@link ChatRequest}, so that one caller supplies the token for all.
 * Functions of their own rather than one client object's methods: the host's minifier shortens
 * their names, never an object's property names (see docs/widget.md#size).
 */
const call =
  <T>(
    transport: Transport,
    path: string,
    isExpected: (body: unknown) => body is T,
    body?: object,
  ): ChatRequest<T> =>
  (token, signal) =>
    transport.json(path, isExpected, signal, body, token);
const conversationPath = (id: string, what: string) =>
  `/conversations/${encodeURIComponent(id)}/${what}`;
const messagesPath = (id: string) => conversationPath(id, 'messages');

export const listConversations = (transport: Transport) =>
  call(transport, '/conversations', isList);

/** `clientId` makes a retried start answer the conversation the first attempt made. */
export const startConversation = (transport: Transport, body: string, clientId: string) =>
  call(transport, '/conversations', isStarted, { body, clientId });

export const listMessages = (transport: Transport, id: string, before: number | null) =>
  call(
    transport,
    before === null ? messagesPath(id) : `${messagesPath(id)}?before=${before}`,
    isPage,
  );

/** Idempotent on `clientId`: a retry answers the message the first attempt stored. */
export const postMessage = (
  transport: Transport,
  id: string,
  body: string,
  clientId: string,
  attachmentIds: readonly string[],
) =>
  call(transport, messagesPath(id), isPosted, {
    body,
    clientId,
    ...(attachmentIds.length > 0 && { attachmentIds }),
  });

/** Uploads a file to the conversation, reporting progress from 0 to 1. */
export const uploadAttachment =
  (
    transport: Transport,
    id: string,
    file: File,
    onProgress: (fraction: number) => void,
  ): ChatRequest<AttachmentView> =>
  (token, signal) =>
    uploadFile(`${transport.base}${conversationPath(id, 'attachments')}`, token, file, {
      signal,
      onProgress,
    });

/** A file's `url` (a path on the API's host) as an address the page can load. */
export const fileAddress = (transport: Transport, url: string): string =>
  new URL(url, new URL(transport.base, document.baseURI)).href;

/** Tells support the customer has read the conversation up to this message. */
export const markRead = (transport: Transport, id: string, upTo: number) =>
  call(transport, conversationPath(id, 'read'), isRead, { upTo });

/** "The customer is typing": answered 202 with nothing to read, passed on or dropped. */
export const sendTyping =
  (transport: Transport, id: string): ChatRequest<unknown> =>
  (token, signal) =>
    transport.request(conversationPath(id, 'typing'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal,
    });

export const rateConversation = (
  transport: Transport,
  id: string,
  rating: RatingValue,
  comment: string | undefined,
) => call(transport, conversationPath(id, 'rating'), isRated, { rating, comment });

/** EventSource cannot send headers: the token, and where to resume, go in the query. */
export function eventsAddress(transport: Transport, token: string, lastEventId: string): string {
  const query = new URLSearchParams({ token });
  if (lastEventId !== '') query.set('lastEventId', lastEventId);
  return `${transport.base}/events?${query}`;
}
