// The site's theme: VitePress's default theme, plus <LiveWidget>, the real @helperkit/vue widget
// on the pages that show it (see docs/README.md, "Try the widget live").
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import LiveWidget from './LiveWidget.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('LiveWidget', LiveWidget);
  },
} satisfies Theme;
