// @ts-check
// The embedded database: builds the Go launcher of FerretDB (SQLite backend) when its sources
// change, starts it on a data folder, waits until it answers `ping`, and stops it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CACHE, ROOT } from './paths.mjs';
import { buildIfStale } from './stale.mjs';
import { run } from './run.mjs';
import { describeExit, diedBeforeReady, exitOf } from './supervise.cjs';

export const LAUNCHER = join(CACHE, 'bin', 'ferretdb-launcher');
const SOURCE = join(ROOT, 'scripts', 'ferretdb');

/** Builds the launcher if its Go sources (or the Go version) changed. */
export async function ensureFerretDB(log = (/** @type {string} */ m) => process.stderr.write(m + '\n')) {
  let goVersion;
  try {
    goVersion = execFileSync('go', ['version'], { encoding: 'utf8' });
  } catch {
    throw new Error('Go is needed to build the embedded database (scripts/ferretdb); install Go or set MONGODB_URI');
  }
  await buildIfStale({
    name: 'ferretdb-launcher',
    inputs: ['scripts/ferretdb'],
    outputs: ['.cache/bin/ferretdb-launcher'],
    extra: goVersion,
    log,
    build: () =>
      run('go', ['build', '-tags', 'ferretdb_no_postgresql', '-trimpath', '-o', LAUNCHER, '.'], {
        cwd: SOURCE,
        env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      }),
  });
}

/**
 * Pings a MongoDB-protocol server until it answers or the deadline passes.
 * @param {string} uri @param {number} timeoutMs
 */
export async function waitForPing(uri, timeoutMs = 15_000) {
  const { MongoClient } = await import('mongodb');
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.close().catch(() => {});
    }
  }
  throw new Error(`database at ${uri} did not answer ping within ${timeoutMs} ms: ${lastError}`);
}

/**
 * Starts FerretDB on `dataDir`; resolves once it answers ping. `listen` defaults to a free port;
 * a supervisor that restarts it passes a fixed one, so the API's connection string stays valid.
 * @param {{ dataDir: string, listen?: string, logLevel?: string }} opts
 * @returns {Promise<{ uri: string, pid: number, stop: () => Promise<void>, exited: Promise<import('./supervise.cjs').ExitStatus> }>}
 */
export async function startFerretDB(opts) {
  await ensureFerretDB();
  mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn(
    LAUNCHER,
    ['-listen', opts.listen ?? '127.0.0.1:0', '-data', opts.dataDir, '-log-level', opts.logLevel ?? 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = exitOf(child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const uri = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const m = /^READY (\S+)$/.exec(line);
        if (m) resolve(m[1]);
      });
      exited.then((status) =>
        reject(
          diedBeforeReady(`ferretdb exited (${describeExit(status)}) before it was ready: ${stderr.trim()}`, status),
        ),
      );
      child.on('error', reject);
    });
    await waitForPing(uri);
    return { uri, pid: /** @type {number} */ (child.pid), exited, stop };
  } catch (err) {
    await stop(); // never leave a launcher that did not get ready holding the port
    throw err;
  }
}
