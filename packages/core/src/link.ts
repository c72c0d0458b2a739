/** Query parameter of the email-to-chat link: `<widgetHost>?helper_chat=<token>`. */
export const CHAT_LINK_PARAM = 'helper_chat';

/** Builds the email-to-chat link, keeping any query or fragment the widget host already has. */
export function buildChatLink(widgetHost: string, token: string): string {
  const url = new URL(widgetHost);
  url.searchParams.set(CHAT_LINK_PARAM, token);
  return url.toString();
}
