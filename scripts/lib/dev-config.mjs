// @ts-check
// Embedded defaults for `npm start` and the tests: the two mini-programs' dev appids, known to the
// WeChat stand-in and the API alike (declared with the rest of the dev console in
// wechat-console.cjs). Real appids and secrets come from the environment in production.
import { createRequire } from 'node:module';

/** @type {typeof import('./wechat-console.cjs')} */
const devConsole = createRequire(import.meta.url)('./wechat-console.cjs');
export const { DEV_WECHAT_APPS, DEV_PUSH_TOKEN } = devConsole;
