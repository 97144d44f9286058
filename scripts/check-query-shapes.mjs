// @ts-check
// `node scripts/check-query-shapes.mjs`: checks that a declared index serves every query shape the
// API tests recorded (.cache/query-shapes/, written by cloud-api/test/setup/query-shapes.ts; run
// `npx jest --selectProjects cloud-api` first). Prints how many shapes, then each one that no index
// serves and that scripts/lib/query-shapes-allowed.json does not allow; exits 1 if there is one.
// `npm test` runs the same check after jest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QUERY_SHAPES, ROOT } from './lib/paths.mjs';

/** @type {typeof import('./lib/query-shapes.cjs')} */
const rule = createRequire(import.meta.url)('./lib/query-shapes.cjs');
export const ALLOWED = join(ROOT, 'scripts', 'lib', 'query-shapes-allowed.json');

/** @returns {import('./lib/query-shapes.cjs').QueryShape[]} */
export function readShapes(dir = QUERY_SHAPES) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/**
 * Checks the recorded shapes; returns the report's lines and whether every shape is served (or allowed).
 * @param {{ dir?: string, allowedFile?: string }} [opts]
 */
export function checkQueryShapes(opts = {}) {
  const shapes = readShapes(opts.dir);
  /** @type {import('./lib/query-shapes.cjs').AllowEntry[]} */
  const allowed = JSON.parse(readFileSync(opts.allowedFile ?? ALLOWED, 'utf8'));
  const r = rule.checkShapes(shapes, allowed);
  /** @type {string[]} */
  const lines = [];
  if (r.total === 0) {
    lines.push('no query shapes recorded (run the API tests first: npx jest --selectProjects cloud-api)');
    return { ok: false, lines, ...r };
  }
  const verdict = r.unserved.length
    ? `${r.unserved.length} not served by a declared index`
    : 'all served by a declared index';
  const allowNote = r.allowed.length ? ` (${r.allowed.length} allowed by query-shapes-allowed.json)` : '';
  const tests = r.fromTests ? `; ${r.fromTests} more sent only by the tests themselves, not checked` : '';
  lines.push(`${r.total} query shapes from the API, ${verdict}${allowNote}${tests}`);
  for (const u of r.unserved) {
    lines.push(`  NOT SERVED ${u.line}${u.shape.at ? `  (${u.shape.at})` : ''}`);
    lines.push(`    ${u.why}`);
  }
  for (const a of r.unusedAllowed) lines.push(`  (allowed but not seen in this run: ${a.shape})`);
  return { ok: r.unserved.length === 0, lines, ...r };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ok, lines } = checkQueryShapes();
  process.stdout.write(lines.join('\n') + '\n');
  process.exit(ok ? 0 : 1);
}
