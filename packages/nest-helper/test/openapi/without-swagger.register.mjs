import { register } from 'node:module';

register('./without-swagger.hooks.mjs', import.meta.url);
