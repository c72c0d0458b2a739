import { isPlainObject } from '@helperkit/core';
import { reactive } from 'vue';
import {
  markRead,
  rateConversation,
  sendTyping,
  type ChatRequest,
  type RatingValue,
  type RatingView,
} from './chat-client.js';
import type { Failure, Outcome, Transport } from './client.js';
import type { LiveData } from './live.js';

/** The composer tells support at most this often that the customer is typing (the server's rate too). */
export const TYPING_SEND_INTERVAL_MS = 3000;
/** "Support is typing…" ends by itself this long after the last notice. */
export const TYPING_SHOWN_MS = 6000;

export interface ActivityDeps {
  transport: Transport;
  /** Runs a request with the session, renewing it after a 401; `null` for a previous visitor. */
  authorized<T>(request: ChatRequest<T>): Promise<Outcome<T> | null>;
  /** Runs a request whose failure nobody needs to hear of (a lost typing notice). */
  quietly(request: ChatRequest<unknown>): void;
  /** The server's count of what is still unread in a conversation. */
  setUnread(id: string, count: number): void;
}

/**
 * What happens around the messages: the customer's read marks, typing both ways, and ratings
 * (docs/widget.md, "Read state, typing and rating").
 */
export function createActivity(deps: ActivityDeps) {
  const typingIn = reactive(new Set<string>());
  const ratings = reactive(new Map<string, RatingView>());
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const readSent = new Map<string, number>();
  const typingSent = new Map<string, number>();

  function stopTyping(id: string): void {
    clearTimeout(typingTimers.get(id));
    typingTimers.delete(id);
    typingIn.delete(id);
  }

  return {
    /** Conversations where support is typing now. */
    typingIn,
    /** The customer's rating of each conversation rated so far. */
    ratings,
    stopTyping,

    /** A `typing` event: support's shows for 6 s after the last one. */
    onTyping(data: LiveData): void {
      if (data.side !== 'staff' || typeof data.conversationId !== 'string') return;
      const id = data.conversationId;
      clearTimeout(typingTimers.get(id));
      typingTimers.set(
        id,
        setTimeout(() => stopTyping(id), TYPING_SHOWN_MS),
      );
      typingIn.add(id);
    },

    /** Tells the server the customer has read up to `upTo`, once per newer message. */
    async markRead(id: string, upTo: number): Promise<void> {
      if ((readSent.get(id) ?? 0) >= upTo) return;
      readSent.set(id, upTo);
      const outcome = await deps.authorized(markRead(deps.transport, id, upTo));
      if (outcome?.ok) deps.setUnread(id, outcome.value.unreadCount);
      // Sent again with the next message, or the next time the conversation shows.
      else readSent.delete(id);
    },

    /** The customer typed in this conversation: support hears of it at most every 3 s. */
    typing(id: string): void {
      const now = Date.now();
      if (now - (typingSent.get(id) ?? -Infinity) < TYPING_SEND_INTERVAL_MS) return;
      typingSent.set(id, now);
      deps.quietly(sendTyping(deps.transport, id));
    },

    /** Rates a closed conversation; answers the failure to show, or `null` once it is rated. */
    async rate(id: string, rating: RatingValue, comment: string): Promise<Failure | null> {
      const text = comment.trim();
      const outcome = await deps.authorized(
        rateConversation(deps.transport, id, rating, text === '' ? undefined : text),
      );
      if (!outcome) return null;
      if (!outcome.ok) return outcome.failure;
      ratings.set(id, outcome.value.rating);
      return null;
    },

    /** A rating the server reported (a conversation list, or this customer's other tab). */
    rememberRating(id: string, rating: unknown): void {
      if (isPlainObject(rating) && (rating.rating === 'good' || rating.rating === 'bad'))
        ratings.set(id, rating as unknown as RatingView);
    },

    /** Everything of the previous visitor goes. */
    forget(): void {
      typingTimers.forEach(clearTimeout);
      typingTimers.clear();
      readSent.clear();
      typingSent.clear();
      typingIn.clear();
      ratings.clear();
    },
  };
}
