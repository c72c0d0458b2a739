import type { InjectionKey } from 'vue';
import type { HelperStore } from './state.js';
import type { Helper } from './types.js';

// The plugin provides these and the composables inject them; kept apart from both so that neither
// imports the other.

/** What `useHelper()` answers. */
export const helperKey: InjectionKey<Helper> = Symbol('helperkit');
/** The widget's own state (panel, chat, locale), for its components only. */
export const storeKey: InjectionKey<HelperStore> = Symbol('helperkit-store');
