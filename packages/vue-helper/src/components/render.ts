import { h, type VNodeArrayChildren } from 'vue';

// Render helpers the panel's parts share: one definition in the chunk rather than one per part.

type Content = string | VNodeArrayChildren;

/** A button that is not a form's submit, e.g. `helperkit-link`. */
export const button = (cls: string, onClick: () => void, label: Content, disabled?: boolean) =>
  h('button', { type: 'button', class: cls, disabled, onClick }, label);

/** A line about the state of what shows: `status` for news, `alert` for a failure. */
export const statusLine = (role: 'status' | 'alert' | undefined, content: Content) =>
  h('p', { class: 'helperkit-status', role }, content);
