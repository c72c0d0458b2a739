import { createApp } from 'vue';
import { createHelper } from '@helperkit/vue';
import App from './App.vue';
import { toggleOption } from './toggle-option.js';
import { localeOption, themeOption } from './widget-look.js';
import './style.css';

// A host application installs the widget once. The host page's switches reload the page with
// ?toggle=true|false, ?lang= and ?theme=, since these options are given at initialisation.
createApp(App)
  .use(
    createHelper({
      apiBase: '/helper',
      showToggleButton: toggleOption(),
      locale: localeOption(),
      theme: themeOption(),
    }),
  )
  .mount('#app');
