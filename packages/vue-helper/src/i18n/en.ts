/**
 * The English catalogue, part of the panel's chunk; its keys are the `HelperMessages` contract
 * that every other catalogue and the `messages` option follow. `{name}` is filled in; an object
 * holds one text per plural category (Intl.PluralRules) and needs at least `other`.
 * See docs/widget.md#locales.
 */
const en = {
  /**
   * The default title; a title from the options or the mailbox settings is shown as given. The
   * same word as core's `DEFAULT_TITLE`, which the server answers for a mailbox without a title.
   */
  title: 'Support',
  toggle: 'Open {title} chat',
  // Only `other` where English's singular reads like its plural: t() falls back to it.
  unread: { other: '{count} unread' },
  close: 'Close {title} chat',
  connecting: 'Connecting…',
  unavailable: 'The chat is unavailable right now. Please try again later.',
  reconnecting: 'Reconnecting…',
  allConversations: 'All conversations',
  conversations: 'Conversations',
  newConversation: 'New conversation',
  loadingConversations: 'Loading conversations…',
  tryAgain: 'Try again',
  closed: 'Closed',
  closedNotice: 'This conversation is closed. Writing again reopens it.',
  newReplies: { other: '{count} new' },
  conversation: 'Conversation',
  messages: 'Messages',
  loadEarlier: 'Load earlier messages',
  loadingMessages: 'Loading messages…',
  noMessages: 'No messages yet: ask us anything',
  you: 'You:',
  staff: 'Support:',
  sending: 'Sending…',
  notSent: 'Not sent: {reason}',
  retryAfter: { one: 'Try again in {count} second.', other: 'Try again in {count} seconds.' },
  retry: 'Retry',
  byEmail: 'by email',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  emptyMessage: 'Write a message first.',
  tooLong: 'A message can have at most {max} characters.',
  controlCharacters: 'The message contains characters that cannot be sent.',
  staffTyping: 'Support is typing…',
  ratingQuestion: 'How was this conversation?',
  ratingGood: 'Good',
  ratingBad: 'Bad',
  ratingComment: 'Comment (optional)',
  ratingSend: 'Send rating',
  ratingThanks: 'Thank you for your feedback.',
  ratingChoose: 'Choose good or bad first.',
  attach: 'Attach a file',
  attachments: 'Files to send',
  uploading: 'Uploading {name}',
  removeFile: 'Remove {name}',
  fileRefused: '{name} was not sent: {reason}',
  fileTypeRefused: 'this type of file is not accepted (images, PDF and plain text are).',
  fileTooLarge: 'the file is too large.',
  tooManyFiles: 'too many files are waiting: send the ones attached first.',
};

export default en;
