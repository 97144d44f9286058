// @ts-check
// "Installs what is missing": npm install (exactly what package-lock.json pins) when node_modules
// is absent or was installed from another lock file. Not `npm ci`: npm 11 refuses this lock file
// with "Missing: @swc/core-darwin-arm64@ from lock file" for optional platform packages of other
// operating systems, which `npm install` handles.
// Uses Node built-ins only, since it runs before any package is installed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ROOT } from './paths.mjs';
import { run } from './run.mjs';

export async function installIfNeeded(log = (/** @type {string} */ m) => process.stdout.write(m + '\n')) {
  const lock = join(ROOT, 'package-lock.json');
  const stamp = join(CACHE, 'stamps', 'npm-install.sha256');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  const installed = existsSync(join(ROOT, 'node_modules', '.package-lock.json'));
  if (installed && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return;
  log('installing npm packages…');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  mkdirSync(join(CACHE, 'stamps'), { recursive: true });
  writeFileSync(stamp, hash + '\n');
}
