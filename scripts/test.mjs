// @ts-check
// `npm test`: installs what is missing, builds what is stale, lints and type-checks, then runs
// the database launcher's Go tests and every jest project (shared, cloud-api on the embedded database, apps, and the end-to-end
// journeys in Chromium), and checks that a declared index serves every query the API tests sent
// (scripts/check-query-shapes.mjs). Ends with one "N passed, N failed" line; exits non-zero on any failure.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installIfNeeded } from './lib/install.mjs';
import { CACHE, QUERY_SHAPES, ROOT } from './lib/paths.mjs';
import { run } from './lib/run.mjs';

const say = (/** @type {string} */ m) => process.stdout.write(`[test] ${m}\n`);
/** @type {{ step: string, seconds: number, ok: boolean }[]} */
const steps = [];

/** @param {string} step @param {() => Promise<unknown>} fn */
async function timed(step, fn) {
  const started = Date.now();
  say(`${step}…`);
  try {
    await fn();
    steps.push({ step, seconds: (Date.now() - started) / 1000, ok: true });
    return true;
  } catch (err) {
    steps.push({ step, seconds: (Date.now() - started) / 1000, ok: false });
    process.stderr.write(`[test] ${step} failed: ${err instanceof Error ? err.message : err}\n`);
    return false;
  }
}

const npx = (/** @type {string[]} */ args) => run('npx', ['--no-install', ...args]);

async function main() {
  // Jest's extra arguments (e.g. a test name pattern) pass through: npm test -- -t login
  const jestArgs = process.argv.slice(2);
  let ok = await timed('install', () => installIfNeeded(say));
  ok = ok && (await timed('build', async () => (await import('./build.mjs')).buildAll()));
  const lintOk =
    ok &&
    (await timed('lint', async () => {
      await npx(['eslint', '.']);
      await npx(['prettier', '--check', '--log-level', 'warn', '.']);
      await npx(['tsc', '-b']);
      // The API's module graph: no import cycle (.dependency-cruiser.cjs).
      await npx(['depcruise', '--config', '.dependency-cruiser.cjs', 'cloud-api/src']);
    }));

  // The embedded database's launcher: FerretDB's lookups by _id are served by the index it adds.
  if (ok)
    await timed('database launcher', () =>
      run('go', ['test', '-tags', 'ferretdb_no_postgresql', '-count=1', '.'], {
        cwd: join(ROOT, 'scripts', 'ferretdb'),
        env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      }),
    );

  const results = join(CACHE, 'jest-results.json');
  mkdirSync(CACHE, { recursive: true });
  rmSync(results, { force: true });
  rmSync(QUERY_SHAPES, { recursive: true, force: true });
  // The tests run even when lint fails, so one run shows every problem.
  if (ok) await timed('jest', () => npx(['jest', '--ci', '--json', `--outputFile=${results}`, ...jestArgs]));
  // Every query the API tests sent must be served by a declared index (or be allowed as a full read).
  if (ok && existsSync(QUERY_SHAPES))
    await timed('query indexes', async () => {
      const { checkQueryShapes } = await import('./check-query-shapes.mjs');
      const { ok: served, lines } = checkQueryShapes();
      for (const line of lines) say(line);
      if (!served) throw new Error('a query is not served by a declared index (scripts/check-query-shapes.mjs)');
    });

  say('summary:');
  for (const s of steps) say(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step} (${s.seconds.toFixed(1)} s)`);
  let passed = 0;
  let failed = 0;
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  }
  const allOk = steps.every((s) => s.ok) && lintOk && existsSync(results) && failed === 0 && passed > 0;
  if (!allOk && failed === 0) failed = 1; // a failed install, build or lint step counts as a failure
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(allOk ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`[test] ${err instanceof Error ? err.stack : err}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
