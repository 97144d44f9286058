// @ts-check
// Runs the built API (cloud-api/dist) as a child process, as production would.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.mjs';
import { run } from './run.mjs';

const API_DIST = join(ROOT, 'cloud-api', 'dist');

/**
 * Starts cloud-api; resolves with its URL once it listens. Its JSON log lines go to `logFile`.
 * @param {{ env: NodeJS.ProcessEnv, logFile: string, onExit?: (code: number | null) => void }} opts
 */
export async function startApi(opts) {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(API_DIST, 'server.js')], {
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
    log.write(d);
  });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  exited.then((code) => opts.onExit?.(code));

  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^LISTENING (\S+)$/.exec(line);
      if (m) resolve(m[1]);
      else log.write(line + '\n');
    });
    exited.then((code) => reject(new Error(`cloud-api exited (${code}) before listening: ${stderr.trim()}`)));
  });

  return {
    url,
    pid: /** @type {number} */ (child.pid),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/** Loads the demo data steps not applied yet; returns what the seed printed. */
export async function seedDemo(/** @type {NodeJS.ProcessEnv} */ env) {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(API_DIST, 'cli', 'seed.js')], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`seeding demo data failed: ${stderr.trim() || err.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

export { run };
