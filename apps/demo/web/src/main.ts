import { createApp } from 'vue';
import { createHelper } from '@helperkit/vue';
import App from './App.vue';
import { toggleOption } from './toggle-option.js';
import './style.css';

// A host application installs the widget once. The host page's "showToggleButton" switch reloads
// the page with ?toggle=true|false, since the option is given at initialisation (SPEC 3).
createApp(App)
  .use(createHelper({ apiBase: '/helper', showToggleButton: toggleOption() }))
  .mount('#app');
