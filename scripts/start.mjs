// @ts-check
// `npm start`: installs what is missing, builds what is stale, starts the embedded database,
// loads the demo data once, starts the API and serves the H5 builds of both mini-programs.
// A child process that dies is restarted (one line each); only Ctrl-C or SIGTERM stops everything.
// Data lives in ./data and survives restarts.
import { join } from 'node:path';
import { installIfNeeded } from './lib/install.mjs';
import { DATA } from './lib/paths.mjs';

const say = (/** @type {string} */ m) => process.stdout.write(`[start] ${m}\n`);

/** @param {string} name @param {number} fallback */
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    process.stderr.write(`[start] ${name} must be a whole number from 0 to 65535 (got "${raw}")\n`);
    process.exit(78);
  }
  return Number(raw);
}

async function main() {
  const apiPort = portFromEnv('API_PORT', 3000);
  const webPort = portFromEnv('WEB_PORT', 8080);
  await installIfNeeded(say);
  const { buildAll } = await import('./build.mjs');
  await buildAll();
  const { startStack } = await import('./lib/stack.mjs');
  const dataDir = process.env.YG_DATA_DIR || DATA;

  const stack = await startStack({
    dataDir,
    mongodbUri: process.env.MONGODB_URI || undefined,
    apiPort,
    webPort,
    log: say,
  });

  let stopping = false;
  const shutdown = async (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    await stack.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdout.write(
    [
      '',
      '阳光食安 is running:',
      `  公众端 (public app, H5):    ${stack.urls.public}`,
      `  经营端 (operator app, H5):  ${stack.urls.operator}`,
      `  监管端 (regulator app, H5): ${stack.urls.regulator}`,
      `  API:                        ${stack.urls.api}   (health: ${stack.urls.api}/healthz)`,
      `  database:                   ${stack.urls.mongodb}`,
      `  API log:                    ${join(dataDir, 'logs', 'api.log')}`,
      '  WeChat DevTools: open the project root (public app), miniprogram-operator/ or miniprogram-regulator/.',
      ...(stack.demoShops.length
        ? ['', 'Demo shops (each address opens the shop page as its 小程序码 does, with scene=<payload>):']
        : []),
      ...stack.demoShops.map((s) => `  ${s.grade.padEnd(4)} ${s.name.padEnd(10, '\u3000')} ${s.url}`),
      ...(stack.demoOwner
        ? [
            '',
            `Operator demo: in the 经营端, enter invitation code ${stack.demoOwner.code} to act as the owner of ${stack.demoOwner.shop}`,
            '  (an AI capture reminder, a rectification notice and an enforcement case are waiting).',
          ]
        : []),
      ...(stack.bootstrap
        ? [
            '',
            `Regulator demo: in the 监管端, enter the one-time code ${stack.bootstrap.code} to become the city administrator`,
            `  (valid until ${stack.bootstrap.expiresAt}); then invite inspectors and complaint handlers from 账号与邀请.`,
            '  In production the code comes from: npm run admin -- bootstrap',
          ]
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  process.stderr.write(`[start] ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
