// @ts-check
// The WeChat stand-in (scripts/lib/fake-wechat.cjs) for ESM callers, and on its own:
//   node scripts/fake-wechat.mjs [port]
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** @type {typeof import('./lib/fake-wechat.cjs')} */
const impl = createRequire(import.meta.url)('./lib/fake-wechat.cjs');
export const { createFakeWeChat, pushSignature } = impl;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fake = createFakeWeChat();
  const url = await fake.listen(Number(process.argv[2] ?? 0));
  process.stdout.write(`LISTENING ${url}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
