// @ts-check
// Runs the built API (cloud-api/dist) as a child process, as production would.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.mjs';
import { run } from './run.mjs';
import { describeExit, diedBeforeReady, exitOf } from './supervise.cjs';

const API_DIST = join(ROOT, 'cloud-api', 'dist');

/**
 * Starts cloud-api; resolves with its URL once it listens. Its JSON log lines go to `logFile`
 * (appended to, so a restarted API continues the same file).
 * @param {{ env: NodeJS.ProcessEnv, logFile: string }} opts
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
  const exited = exitOf(child);
  // After the last output, however the process ended (a restart opens the file again).
  child.once('close', () => log.end());
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  /** @type {string} */
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^LISTENING (\S+)$/.exec(line);
      if (m) resolve(m[1]);
      else log.write(line + '\n');
    });
    exited.then((status) =>
      reject(diedBeforeReady(`cloud-api exited (${describeExit(status)}) before listening: ${stderr.trim()}`, status)),
    );
    child.on('error', reject);
  });

  return { url, pid: /** @type {number} */ (child.pid), exited, stop };
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
