// @ts-check
// jest globalSetup of the API tests: one embedded FerretDB (or the server of MONGODB_URI) and one
// fake WeChat server for the whole run; each test file then uses a database of its own.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeWeChat } from '../fake-wechat.mjs';
import { ensureFerretDB, startFerretDB, waitForPing } from '../lib/ferretdb.mjs';
import { QUERY_SHAPES } from '../lib/paths.mjs';

export default async function setup() {
  /** @type {{ stop: () => Promise<void> }[]} */
  const handles = [];
  // Each run records its own query shapes (cloud-api/test/setup/query-shapes.ts).
  rmSync(QUERY_SHAPES, { recursive: true, force: true });
  mkdirSync(QUERY_SHAPES, { recursive: true });
  // Built even with MONGODB_URI: the health tests start (and kill) a database process of their own.
  await ensureFerretDB();
  if (process.env.MONGODB_URI) {
    await waitForPing(process.env.MONGODB_URI);
    process.env.YG_TEST_MONGODB_URI = process.env.MONGODB_URI;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-test-db-'));
    const db = await startFerretDB({ dataDir });
    handles.push({
      stop: async () => {
        await db.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    });
    process.env.YG_TEST_MONGODB_URI = db.uri;
  }
  const fake = createFakeWeChat();
  process.env.YG_TEST_WECHAT_URL = await fake.listen();
  handles.push({ stop: () => fake.close() });
  /** @type {any} */ (globalThis).__ygsaTestHandles = handles;
}
