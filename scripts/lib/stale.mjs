// @ts-check
// "Build what is stale": a build step is skipped when the content hash of its inputs matches the
// stamp left by its last successful run and its outputs still exist.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CACHE, ROOT } from './paths.mjs';

const SKIP = new Set(['node_modules', 'dist', '.cache', 'data', '.git', '.swc', 'coverage', 'artifacts']);

/** @param {string} path @param {string[]} out */
function walk(path, out) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) {
    // Tests are not part of any build output.
    if (!/\.test\.tsx?$/.test(path)) out.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) {
    if (!SKIP.has(name)) walk(join(path, name), out);
  }
}

/** Hash of the contents of every file under the given paths (relative to the repo root). */
export function hashInputs(/** @type {string[]} */ inputs, extra = '') {
  const h = createHash('sha256');
  h.update(extra);
  /** @type {string[]} */
  const files = [];
  for (const input of inputs) walk(join(ROOT, input), files);
  for (const file of files) {
    h.update(relative(ROOT, file));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Runs `build` unless the inputs are unchanged since its last success and every output exists.
 * @param {{ name: string, inputs: string[], outputs: string[], extra?: string, build: () => void | Promise<void>, log?: (m: string) => void }} step
 * @returns {Promise<boolean>} whether it built
 */
export async function buildIfStale(step) {
  const stampDir = join(CACHE, 'stamps');
  mkdirSync(stampDir, { recursive: true });
  const stampFile = join(stampDir, `${step.name}.sha256`);
  const hash = hashInputs(step.inputs, step.extra ?? '');
  const previous = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  const outputsThere = step.outputs.every((o) => existsSync(join(ROOT, o)));
  if (previous === hash && outputsThere) return false;
  step.log?.(`building ${step.name}…`);
  await step.build();
  writeFileSync(stampFile, hash + '\n');
  return true;
}
