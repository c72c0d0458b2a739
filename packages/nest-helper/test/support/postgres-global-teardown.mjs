export { teardown as default } from './postgres-run-hooks.mjs';
