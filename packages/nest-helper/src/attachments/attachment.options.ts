import { Inject } from '@nestjs/common';
import { HelperConfigurationError } from '../configuration-error.js';

/** `HelperChatModule.forRoot({ attachments })` (docs/options.md, "HelperChatModule"). */
export interface HelperAttachmentOptions {
  /** The largest file, in bytes (default 10 MB). The platform's own body limit does not apply. */
  maxBytes?: number;
  /**
   * The types accepted, as sniffed from the bytes (default png, jpeg, gif, webp, pdf and
   * `text/plain`). HTML and SVG are refused at start-up: a browser runs their scripts.
   */
  types?: readonly string[];
}

export interface ResolvedAttachmentOptions {
  maxBytes: number;
  types: ReadonlySet<string>;
  /** Uploads of one conversation not yet sent with a message. */
  maxUnattached: number;
  /** How long an upload waits for its message before it is deleted. */
  unattachedTtlMs: number;
  /** How often each instance deletes the uploads that waited too long. */
  sweepIntervalMs: number;
  /** How long a signed link opens its file. */
  linkTtlMs: number;
  /** The most files one message carries. */
  maxPerMessage: number;
}

export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;

/** Types a browser would run as a document, whatever a host lists (docs/security-model.md). */
const NEVER_SERVED =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)$/;

const MINUTE_MS = 60_000;

/** The most files one message carries. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

export const HELPER_ATTACHMENT_OPTIONS = 'HELPER_ATTACHMENT_OPTIONS';
export const InjectAttachmentOptions = (): ParameterDecorator => Inject(HELPER_ATTACHMENT_OPTIONS);

/** The options with their defaults, or a start-up error that says what to fix. */
export function resolveAttachmentOptions(
  options: HelperAttachmentOptions = {},
): ResolvedAttachmentOptions {
  const { maxBytes = DEFAULT_ATTACHMENT_MAX_BYTES, types = DEFAULT_ATTACHMENT_TYPES } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new HelperConfigurationError(
      `chat.attachments.maxBytes must be a positive whole number of bytes, not ${String(maxBytes)}.`,
    );
  }
  if (!Array.isArray(types) || types.some((type) => typeof type !== 'string')) {
    throw new HelperConfigurationError('chat.attachments.types must be an array of media types.');
  }
  const normalised = types.map((type: string) => type.trim().toLowerCase());
  const refused = normalised.filter((type) => NEVER_SERVED.test(type));
  if (refused.length > 0) {
    throw new HelperConfigurationError(
      `chat.attachments.types must not list ${refused.join(', ')}: a browser runs the scripts ` +
        'of HTML and SVG files, so helperkit never accepts them.',
    );
  }
  return {
    maxBytes,
    types: new Set(normalised),
    maxUnattached: 20,
    unattachedTtlMs: 24 * 60 * MINUTE_MS,
    sweepIntervalMs: 10 * MINUTE_MS,
    linkTtlMs: 5 * MINUTE_MS,
    maxPerMessage: MAX_ATTACHMENTS_PER_MESSAGE,
  };
}
