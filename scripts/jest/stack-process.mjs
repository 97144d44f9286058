// @ts-check
// The whole product (startStack) in a process of its own, for a test that needs a stack it may
// damage: jest test files cannot import ES modules, and the e2e journeys share one global stack.
// Driven over the IPC channel of child_process.fork:
//   parent → { start: <startStack options> }   child → { ready: { urls, regulatorToken, publicAppid } }
//   parent → { pids: true }                      child → { pids: { database?, api, media?, cameras } }
//   child → { log: "<a line startStack logged>" }
// It stops the stack when told ({ stop: true }) or when the parent goes away.
import { DEV_WECHAT_APPS } from '../lib/dev-config.mjs';
import { startStack } from '../lib/stack.mjs';

/** @type {Awaited<ReturnType<typeof startStack>> | undefined} */
let stack;
/** @type {ReturnType<typeof startStack> | undefined} */
let starting;
let stopping = false;

const send = (/** @type {unknown} */ message) => {
  if (process.connected) process.send?.(message);
};

async function stop() {
  if (stopping) return;
  stopping = true;
  // A stack still starting is stopped once it has started (a failed start stopped itself).
  await (await starting?.catch(() => undefined))?.stop();
  process.exit(0);
}

process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
/** @typedef {{ start?: Omit<Parameters<typeof startStack>[0], 'log'>, pids?: true, stop?: true }} Message */
process.on('message', async (/** @type {Message | undefined} */ message) => {
  if (message?.start) {
    try {
      starting = startStack({ ...message.start, log: (/** @type {string} */ line) => send({ log: line }) });
      stack = await starting;
      send({
        ready: { urls: stack.urls, regulatorToken: stack.regulatorToken, publicAppid: DEV_WECHAT_APPS.public.appid },
      });
    } catch (err) {
      send({ error: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    }
  } else if (message?.pids && stack) {
    const p = stack.processes;
    send({
      pids: {
        database: p.database?.pid,
        api: p.api.pid,
        media: p.media?.pid,
        cameras: p.cameras.map((c) => c.pid),
      },
    });
  } else if (message?.stop) {
    await stop();
  }
});
