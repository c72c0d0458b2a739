import { ref } from 'vue';

/**
 * Bumped by the dashboard on every save: the host page then starts a new widget session, whose
 * answer carries the new settings (title, visibility). A real host page gets them on its next
 * load, or with `identify()` as here.
 */
export const settingsRevision = ref(0);

/** The settings revision of the widget's current session. */
export const sessionRevision = ref(0);
