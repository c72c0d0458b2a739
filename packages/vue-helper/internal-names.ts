// Property names the package's own modules pass between themselves (the stores' fields and
// actions, the options of its internal factories). The package's build shortens exactly these in
// dist, the same way in every chunk: a host's minifier shortens local names but never a
// property's, and these cost launcher + panel + English about 260 B of min+gzip. The source
// keeps the readable names. See docs/widget.md#size.
//
// A name belongs here only if nothing outside the package's code spells it: not the HTTP API's
// fields, not a public option, ref or type, not a catalogue key, not a component prop, not a DOM
// or Vue name. test/internal-names.test.ts checks what it can of that.
export const INTERNAL_NAMES = [
  // The launcher's store and internals, which the panel's chunk fills in.
  'internals',
  'loadPanel',
  'report',
  'clearError',
  'disposers',
  'visitor',
  'connect',
  'switchVisitor',
  'firstConnect',
  'dispose',
  // The chat store.
  'transport',
  'listStatus',
  'listError',
  'current',
  'loadList',
  'loadNewest',
  'fileUrl',
  'refused',
  'ratings',
  'renewSession',
  'recovered',
  'staffMessage',
  'loadingEarlier',
  // Read marks, typing and rating.
  'stopTyping',
  'onTyping',
  'markRead',
  'rememberRating',
  'forget',
  'authorized',
  'quietly',
  'setUnread',
  // The transport, the session's client, live updates, uploads.
  'base',
  'request',
  'failure',
  'startSession',
  'fetchIdentity',
  'onConnection',
  'onClosed',
  'onProgress',
  'uploaded',
  'progress',
  'thumbnail',
  'typingIn',
  'supportTyping',
  'loadOlder',
  // The events' emitter, the locale's tag, the chat store's start, the message list's scroll anchor.
  'events',
  'tag',
  'start',
  'first',
] as const;
