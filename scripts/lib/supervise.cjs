// @ts-check
// Keeps one child process of `npm start` running. A child that dies on its own is started again
// after a backoff (0.5 s, doubling to 10 s, back to 0.5 s once a child has stayed up 30 s), so a
// crash loop neither spins the CPU nor leaves the product down long after a single accident; each
// restart is one log line. Only the owner stops it (stop(), or its abort signal on Ctrl-C).
// CommonJS so that jest tests and the ESM scripts can both load it.

/**
 * How a child process ended.
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ExitStatus
 */
/**
 * What a start function gives back once its child is ready.
 * @typedef {{ pid: number, exited: Promise<ExitStatus>, stop: () => Promise<void> }} Child
 */

/** Resolves once `child` has exited, with its code or signal. */
function exitOf(/** @type {import('node:child_process').ChildProcess} */ child) {
  return /** @type {Promise<ExitStatus>} */ (
    new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  );
}

/** "SIGKILL" or "exit 1", as the restart line shows it. */
function describeExit(/** @type {ExitStatus} */ status) {
  return status.signal ?? `exit ${status.code}`;
}

/**
 * An error for a child that died before it was ready; the supervisor logs its exit status.
 * @param {string} message @param {ExitStatus} status
 */
function diedBeforeReady(message, status) {
  return Object.assign(new Error(message), { exitStatus: status });
}

/**
 * Starts a child with `start` (which resolves once the child is ready) and starts it again
 * whenever it exits, until stopped. A start that fails is retried like an exit; only a failure of
 * the very first start is thrown, since nothing was running yet.
 * @template {Child} C
 * @param {{
 *   name: string,
 *   start: () => Promise<C>,
 *   log: (m: string) => void,
 *   signal?: AbortSignal,
 *   firstDelayMs?: number,
 *   maxDelayMs?: number,
 *   stableAfterMs?: number,
 * }} opts
 *   signal: once aborted, exits are no longer restarted (the owner is stopping everything and
 *     Ctrl-C reaches every child at once); stop() still stops the child.
 */
async function supervise(opts) {
  const { name, start, log, signal } = opts;
  const firstDelayMs = opts.firstDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 10_000;
  const stableAfterMs = opts.stableAfterMs ?? 30_000;
  let delay = firstDelayMs;
  let stopped = false;
  let restarts = 0;
  /** @type {C | undefined} */
  let current;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<void> | undefined} */
  let starting;
  const halted = () => stopped || !!signal?.aborted;

  const restartLater = (/** @type {string} */ why) => {
    const wait = delay;
    delay = Math.min(delay * 2, maxDelayMs);
    log(`${name} exited (${why}); restarting in ${wait / 1000} s`);
    timer = setTimeout(() => {
      timer = undefined;
      starting = restart();
    }, wait);
  };

  const watch = (/** @type {C} */ child) => {
    current = child;
    const readyAt = Date.now();
    void child.exited.then((status) => {
      if (current === child) current = undefined;
      if (halted()) return;
      if (Date.now() - readyAt >= stableAfterMs) delay = firstDelayMs;
      restartLater(describeExit(status));
    });
  };

  const restart = async () => {
    if (halted()) return;
    /** @type {C} */
    let child;
    try {
      child = await start();
    } catch (err) {
      if (halted()) return;
      const status = /** @type {{ exitStatus?: ExitStatus }} */ (err).exitStatus;
      restartLater(status ? describeExit(status) : String(err instanceof Error ? err.message : err).split('\n')[0]);
      return;
    }
    if (halted()) return void (await child.stop());
    restarts += 1;
    watch(child);
  };

  watch(await start());
  return {
    name,
    /** The running child's process id; undefined while it is being restarted. */
    get pid() {
      return current?.pid;
    },
    /** The running child's handle (its URL and so on); undefined while it is being restarted. */
    get current() {
      return current;
    },
    /** How many times the child was started again. */
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await starting; // a start under way ends first, and stops what it started
      await current?.stop();
    },
  };
}

module.exports = { describeExit, diedBeforeReady, exitOf, supervise };
