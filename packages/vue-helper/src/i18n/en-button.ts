/**
 * The English strings of the floating button, part of the launcher; the rest of the English
 * catalogue (en.ts) comes with the panel's chunk. See docs/widget.md#size.
 */
const enButton = {
  /**
   * The default title; a title from the options or the mailbox settings is shown as given. The
   * same word as core's `DEFAULT_TITLE`, which the server answers for a mailbox without a title.
   */
  title: 'Support',
  toggle: 'Open {title} chat',
  unread: { one: '{count} unread', other: '{count} unread' },
};

export default enButton;
