// The panel's chunk: what the chat needs once a visitor opens it (or the browser is idle), with
// its stylesheet (ChatPanel.vue pulls in panel.css), which the host's bundler emits as a CSS file
// that loads along with this chunk. See docs/widget.md#size.
import ChatPanel from './components/ChatPanel.vue';
import { createChatStore } from './chat.js';

export { ChatPanel, createChatStore };

export interface PanelModule {
  ChatPanel: typeof ChatPanel;
  createChatStore: typeof createChatStore;
}
