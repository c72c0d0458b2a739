/** The options as given to `HelperChatModule.forRoot` or its async factory. */
export const HELPER_CHAT_MODULE_OPTIONS = 'HELPER_CHAT_MODULE_OPTIONS';
/** How far each side has read (`ReadStateStorage`, docs/http-api.md). */
export const HELPER_READ_STATE_STORAGE = 'HELPER_READ_STATE_STORAGE';
/** The customers' ratings (`RatingStorage`, docs/http-api.md). */
export const HELPER_RATING_STORAGE = 'HELPER_RATING_STORAGE';
