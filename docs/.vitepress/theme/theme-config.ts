import type { DefaultTheme } from 'vitepress';

/** VitePress's default theme configuration, plus where the live widget's server is. */
export interface DocsThemeConfig extends DefaultTheme.Config {
  liveWidget: {
    /** The widget's `apiBase`: `/helper` on the site's own origin, or a full URL elsewhere. */
    apiBase: string;
  };
}
