// What an application's Vite set-up declares (`vite/client`): single-file components, and
// stylesheets imported for their side effect.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
declare module '*.css';
