import type {
  CustomerMetadata,
  FieldError,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '@helperkit/core';
import type { ComputedRef, Ref } from 'vue';
import type { HelperPosition, HelperTheme } from './choices.js';
import type { HelperEventHandler, HelperEventName } from './events.js';
import type { HelperMessages } from './i18n/types.js';

/**
 * The signed identity the host server makes: `{ email, timestamp, emailHash }`, and, when the
 * server signed the customer's metadata along with it, `metadata` and its `metadataHash`.
 */
export type HelperIdentity = Required<
  Pick<WidgetSessionRequest, 'email' | 'timestamp' | 'emailHash'>
> & { metadata?: CustomerMetadata; metadataHash?: string };

/**
 * Who the visitor is: a signed identity, `null` for an anonymous visitor, or a function that
 * fetches the identity (called again before each session refresh, so its signature stays fresh).
 */
export type IdentitySource = HelperIdentity | null | (() => Promise<HelperIdentity | null>);

export interface HelperOptions {
  /** Where the helperkit Nest module is mounted, e.g. `/helper` or `https://api.example.com/helper`. */
  apiBase: string;
  /** Panel title (1..100 characters); overrides the mailbox's setting. */
  title?: string;
  /** `true` or `false` overrides the server's `showWidget` for the floating toggle button. */
  showToggleButton?: boolean;
  /** The Helper widget's own name for `showToggleButton`, for configurations written for it. */
  show_toggle_button?: boolean;
  /** The mailbox's slug; `default` for a single-mailbox app. */
  mailbox?: string;
  /** BCP 47 tag; defaults to `navigator.language`, then `en`. */
  locale?: string;
  /** Replaces any built-in string, in every locale. */
  messages?: Partial<HelperMessages>;
  /** The side of the screen, whatever the text direction. Default `right`. */
  position?: HelperPosition;
  /** Default `auto`: follows the visitor's `prefers-color-scheme`. */
  theme?: HelperTheme;
  /** Sent with an identity only; validated first, and never sent when invalid. */
  metadata?: CustomerMetadata;
  /** Defaults to fetching `GET <apiBase>/widget/identity` (the host's signing middleware). */
  identity?: IdentitySource;
  /** Called with every failure, in addition to the `error` state. */
  onError?: (error: HelperError) => void;
}

export type HelperErrorKind =
  'title' | 'metadata' | 'identity' | 'session' | 'chat' | 'locale' | 'panel';

/** A failure reported through `error` instead of being thrown into the page. */
export interface HelperError {
  /** What failed: an option the host gave, getting the identity, the session, or a chat request. */
  readonly kind: HelperErrorKind;
  /** The server's machine-readable code, or `network_error`, `invalid_response`, a field code. */
  readonly code: string;
  readonly message: string;
  /** HTTP status of an error answer; absent when no answer came. */
  readonly statusCode?: number;
  readonly fields?: readonly FieldError[];
  /** Seconds to wait before trying again, from a 429 answer's `Retry-After`. */
  readonly retryAfter?: number;
}

/** `idle` before start and during SSR; `error` only while there is no usable session. */
export type HelperStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What `useHelper()` returns. */
export interface Helper {
  readonly isOpen: Readonly<Ref<boolean>>;
  /** The server's decision for this visitor (display mode and revenue); `false` until a session answers. */
  readonly showWidget: ComputedRef<boolean>;
  /** Whether the floating toggle button shows (the option, else the server's decision). */
  readonly showToggleButton: ComputedRef<boolean>;
  /** The client option, else the mailbox's title, else "Support" in the widget's language. */
  readonly title: ComputedRef<string>;
  readonly session: Readonly<Ref<WidgetSessionResponse | null>>;
  readonly status: Readonly<Ref<HelperStatus>>;
  readonly error: Readonly<Ref<HelperError | null>>;
  /** The `helper_chat` token of an email-to-chat link the page was opened with. */
  readonly chatLinkToken: Readonly<Ref<string | null>>;
  /** Staff replies that arrived while their conversation was not on screen. */
  readonly unreadCount: Readonly<Ref<number>>;
  /** With `prompt`: a new conversation, its composer filled in with the prompt. */
  open(options?: { prompt?: string }): void;
  close(): void;
  toggle(): void;
  /** Opens the panel on this conversation (a `ConversationView` id), loading its messages. */
  openConversation(id: string): void;
  /** Starts a new session for this identity; `metadata` replaces the `metadata` option. */
  identify(identity: Exclude<IdentitySource, null>, metadata?: CustomerMetadata): Promise<void>;
  /** Forgets the identity, metadata and token, and starts an anonymous session. */
  reset(): Promise<void>;
  /** Calls `handler` on each such event; answers the function that stops it. */
  on<N extends HelperEventName>(name: N, handler: HelperEventHandler<N>): () => void;
}
