// @ts-check
// Builds what is stale: shared, the API, the embedded database launcher, and both mini-programs
// for weapp and h5. `npm run build` runs it; `npm start` and `npm test` call it first.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureFerretDB } from './lib/ferretdb.mjs';
import { precompress } from './lib/precompress.mjs';
import { ROOT } from './lib/paths.mjs';
import { run } from './lib/run.mjs';
import { buildIfStale } from './lib/stale.mjs';
import { kb, MAIN_PACKAGE_LIMIT, weappSizes } from './lib/weapp-size.cjs';
import { createRequire } from 'node:module';

const log = (/** @type {string} */ m) => process.stdout.write(`[build] ${m}\n`);
const npx = (/** @type {string[]} */ args, /** @type {string} */ cwd) =>
  run('npx', ['--no-install', ...args], { cwd, quiet: true });

const SHARED_INPUTS = [
  'shared/src',
  'shared/package.json',
  'shared/tsconfig.json',
  'shared/tsconfig.esm.json',
  'tsconfig.base.json',
];

// The kit both apps compile from source (scripts/taro/app-config.cjs): a change rebuilds them.
const KIT_INPUTS = ['miniprogram-kit/src', 'miniprogram-kit/types', 'miniprogram-kit/package.json'];

/** Shared and the API (what the command-line tools need). */
export async function buildApi() {
  await buildIfStale({
    name: 'shared',
    inputs: SHARED_INPUTS,
    outputs: ['shared/dist/cjs/index.js', 'shared/dist/esm/index.js', 'shared/dist/types/index.d.ts'],
    log,
    build: () => run('npm', ['run', '--silent', 'build'], { cwd: join(ROOT, 'shared'), quiet: true }),
  });
  await buildIfStale({
    name: 'cloud-api',
    inputs: [...SHARED_INPUTS, 'cloud-api/src', 'cloud-api/package.json', 'cloud-api/tsconfig.build.json'],
    outputs: ['cloud-api/dist/server.js', 'cloud-api/dist/cli/seed.js', 'cloud-api/dist/cli/admin.js'],
    log,
    build: () => npx(['tsc', '-b', 'tsconfig.build.json'], join(ROOT, 'cloud-api')),
  });
}

export async function buildAll() {
  const started = Date.now();
  await buildApi();
  await ensureFerretDB(log);
  // Template-id variables baked into the apps, as the just-built shared registry names them.
  /** @type {{ MESSAGE_KINDS: string[], SUBSCRIBE_MESSAGES: Record<string, { env: string }> }} */
  const registry = createRequire(import.meta.url)('@ygsa/shared');
  const templateVariables = registry.MESSAGE_KINDS.map((k) => registry.SUBSCRIBE_MESSAGES[k]?.env ?? '');

  for (const app of ['public', 'operator', 'regulator']) {
    const dir = `miniprogram-${app}`;
    for (const type of ['weapp', 'h5']) {
      await buildIfStale({
        name: `${app}-${type}`,
        inputs: [
          ...SHARED_INPUTS,
          `${dir}/src`,
          ...KIT_INPUTS,
          `${dir}/config`,
          `${dir}/babel.config.js`,
          `${dir}/package.json`,
          `${dir}/project.config.json`,
          'scripts/taro',
          'scripts/lib/wechat-console.cjs',
          ...(type === 'h5' ? ['scripts/lib/precompress.mjs'] : []),
        ],
        outputs:
          type === 'weapp'
            ? [`${dir}/dist/weapp/app.json`]
            : [`${dir}/dist/h5/index.html`, `${dir}/dist/h5/index.html.br`, `${dir}/dist/h5/index.html.gz`],
        // Build-time settings baked into the bundle.
        extra: [
          'YG_API_BASE',
          'YG_RELEASE',
          ...templateVariables,
          'YG_SIGNATURE_RULE',
          `YG_WECHAT_APPID_${app.toUpperCase()}`,
        ]
          .map((k) => `${k}=${process.env[k] ?? ''}`)
          .join('\n'),
        log,
        build: async () => {
          await npx(['taro', 'build', '--type', type], join(ROOT, dir));
          if (type !== 'h5') return;
          // Served as is to browsers that accept brotli or gzip (scripts/lib/web-server.mjs).
          const { raw, br, gz } = precompress(join(ROOT, dir, 'dist', 'h5'));
          log(`${dir} h5: ${kb(raw)} of text assets, ${kb(br)} as brotli, ${kb(gz)} as gzip`);
        },
      });
    }
    const sizes = weappSizes(join(ROOT, dir, 'dist', 'weapp'));
    const subs = Object.entries(sizes.subpackages)
      .map(([r, n]) => `${r} ${kb(n)}`)
      .join(', ');
    log(
      `${dir} weapp: main package ${kb(sizes.main)} of ${kb(MAIN_PACKAGE_LIMIT)}` +
        (subs ? `; subpackages ${subs}` : '') +
        `; total ${kb(sizes.total)}`,
    );
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildAll().catch((err) => {
    process.stderr.write(`[build] ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  });
}
