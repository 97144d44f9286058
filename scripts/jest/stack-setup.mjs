// @ts-check
// jest globalSetup of the end-to-end tests: the whole product (as `npm start` runs it) on free
// ports and a temporary data folder, with the H5 builds that `npm test` built just before.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../lib/stack.mjs';

export default async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-e2e-'));
  const stack = await startStack({
    dataDir,
    mongodbUri: process.env.MONGODB_URI || undefined,
    dbName: `e2e_${Date.now().toString(36)}`,
    logLevel: 'warn',
    // The camera-health job checks every 2 s and alerts after 6 s offline, so journeys need not wait minutes.
    apiEnv: { CAMERA_HEALTH_INTERVAL_SECONDS: '2', CAMERA_ALERT_MINUTES: '0.1' },
    // The WeChat stand-in flags one fixture photo as risky (it has no metadata, so WeChat sees these bytes).
    wechat: {
      riskyImages: [
        createHash('sha256')
          .update(readFileSync(new URL('../../tests/e2e/fixtures/flagged.png', import.meta.url)))
          .digest('hex'),
      ],
      mediaDelayMs: 300,
    },
  });
  process.env.YG_E2E_WEB_URL = stack.urls.web;
  process.env.YG_E2E_API_URL = stack.urls.api;
  process.env.YG_E2E_DATA_DIR = dataDir;
  process.env.YG_E2E_DEMO_SHOPS = JSON.stringify(stack.demoShops);
  process.env.YG_E2E_REGULATOR_TOKEN = stack.regulatorToken ?? '';
  process.env.YG_E2E_BOOTSTRAP_CODE = stack.bootstrap?.code ?? '';
  process.env.YG_E2E_FAKE_WECHAT_URL = stack.urls.fakeWeChat;
  /** @type {any} */ (globalThis).__ygsaStack = {
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
