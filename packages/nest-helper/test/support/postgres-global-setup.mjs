export { setup as default } from './postgres-run-hooks.mjs';
