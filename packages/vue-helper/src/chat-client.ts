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
const isOpened = (body: unknown): body is { conversation: ConversationSummary } =>
  isPlainObject(body) && isPlainObject(body.conversation);
const isPosted = (body: unknown): body is { message: MessageView } =>
  isPlainObject(body) && isPlainObject(body.message);
const isRead = (body: unknown): body is ReadAnswer =>
  isPlainObject(body) &&
  typeof body.lastReadId === 'number' &&
  typeof body.unreadCount === 'number';
const isRated = (body: unknown): body is { rating: RatingView } =>
  isPlainObject(body) && isPlainObject(body.rating);

/** The customer's conversation endpoints (see docs/widget.md), authorised by the widget session token. */
export function createChatClient(transport: Transport) {
  const call = <T>(
    token: string,
    signal: AbortSignal,
    path: string,
    isExpected: (body: unknown) => body is T,
    body?: object,
  ): Promise<Outcome<T>> =>
    transport.requestJson(
      path,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body && { 'content-type': 'application/json' }),
        },
        body: body && JSON.stringify(body),
        signal,
      },
      isExpected,
    );
  const conversationPath = (id: string, what: string) =>
    `/conversations/${encodeURIComponent(id)}/${what}`;
  const messagesPath = (id: string) => conversationPath(id, 'messages');

  return {
    conversations: (token: string, signal: AbortSignal) =>
      call(token, signal, '/conversations', isList),

    /** `clientId` makes a retried start answer the conversation the first attempt made. */
    start: (token: string, signal: AbortSignal, body: string, clientId: string) =>
      call(token, signal, '/conversations', isStarted, {
        body,
        clientId,
      }),

    messages: (token: string, signal: AbortSignal, id: string, before: number | null) =>
      call(
        token,
        signal,
        before === null ? messagesPath(id) : `${messagesPath(id)}?before=${before}`,
        isPage,
      ),

    /** Idempotent on `clientId`: a retry answers the message the first attempt stored. */
    post: (
      token: string,
      signal: AbortSignal,
      id: string,
      body: string,
      clientId: string,
      attachmentIds: readonly string[],
    ) =>
      call(token, signal, messagesPath(id), isPosted, {
        body,
        clientId,
        ...(attachmentIds.length > 0 && { attachmentIds }),
      }),

    /** Uploads a file to the conversation, reporting progress from 0 to 1. */
    upload: (
      token: string,
      signal: AbortSignal,
      id: string,
      file: File,
      onProgress: (fraction: number) => void,
    ): Promise<Outcome<AttachmentView>> =>
      uploadFile(
        `${transport.base}/conversations/${encodeURIComponent(id)}/attachments`,
        token,
        file,
        { signal, onProgress },
      ),

    /** A file's `url` (a path on the API's host) as an address the page can load. */
    fileUrl: (url: string): string => new URL(url, new URL(transport.base, document.baseURI)).href,

    /** The conversation an email-to-chat link points to, when it is this customer's. */
    fromLink: (token: string, signal: AbortSignal, linkToken: string) =>
      call(token, signal, '/conversations/from-link', isOpened, {
        token: linkToken,
      }),

    /** Tells support the customer has read the conversation up to this message. */
    read: (token: string, signal: AbortSignal, id: string, upTo: number) =>
      call(token, signal, conversationPath(id, 'read'), isRead, {
        upTo,
      }),

    /** "The customer is typing": answered 202 with nothing to read, passed on or dropped. */
    async typing(token: string, signal: AbortSignal, id: string): Promise<Outcome<null>> {
      const outcome = await transport.request(conversationPath(id, 'typing'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal,
      });
      return outcome.ok ? { ok: true, value: null } : outcome;
    },

    rate: (
      token: string,
      signal: AbortSignal,
      id: string,
      rating: RatingValue,
      comment: string | undefined,
    ) =>
      call(token, signal, conversationPath(id, 'rating'), isRated, {
        rating,
        comment,
      }),

    /** EventSource cannot send headers: the token, and where to resume, go in the query. */
    eventsUrl(token: string, lastEventId: string): string {
      const query = new URLSearchParams({ token });
      if (lastEventId !== '') query.set('lastEventId', lastEventId);
      return `${transport.base}/events?${query}`;
    },
  };
}

export type ChatClient = ReturnType<typeof createChatClient>;
