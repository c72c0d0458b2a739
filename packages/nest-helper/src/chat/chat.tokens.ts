/** The options as given to `HelperChatModule.forRoot` or its async factory. */
export const HELPER_CHAT_MODULE_OPTIONS = 'HELPER_CHAT_MODULE_OPTIONS';
