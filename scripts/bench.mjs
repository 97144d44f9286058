// @ts-check
// `npm run bench`: starts the product as `npm start` does (on a temporary data folder and free
// ports) and prints figures: API latency and throughput, sign-in latency, the H5 landing on a slow
// link, weapp package sizes. It prints; it asserts nothing. `npm run bench -- landing` prints only
// the landing figures and the package sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installIfNeeded } from './lib/install.mjs';
import { ROOT } from './lib/paths.mjs';
import { load, reportLine } from './lib/bench-stats.mjs';

const out = (/** @type {string} */ m) => process.stdout.write(m + '\n');

/** @param {string} name @param {number[]} ms @param {number} wallMs */
const report = (name, ms, wallMs) => out(reportLine(name, ms, wallMs));

async function main() {
  const landingOnly = process.argv.slice(2).includes('landing');
  await installIfNeeded();
  const { buildAll } = await import('./build.mjs');
  await buildAll();
  const { startStack } = await import('./lib/stack.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-bench-'));
  const stack = await startStack({
    dataDir,
    mongodbUri: process.env.MONGODB_URI || undefined,
    logLevel: 'warn',
    dbName: 'bench',
  });
  try {
    out(
      `database: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}; machine: ${(await import('node:os')).cpus().length} cores`,
    );
    const { benchLanding } = await import('./lib/landing-bench.mjs');
    const scanned = stack.demoShops.find((s) => s.name === '阳光小厨');
    if (scanned) {
      await benchLanding({
        webUrl: stack.urls.web,
        shopUrl: scanned.url,
        nearby: { lng: 120.1551, lat: 30.2741 },
        out,
      });
      out('');
    }
    if (!landingOnly) await benchServer(stack, out);

    const { weappSizes, kb, MAIN_PACKAGE_LIMIT } = await import('./lib/weapp-size.cjs');
    for (const app of ['miniprogram-public', 'miniprogram-operator', 'miniprogram-regulator']) {
      const s = weappSizes(join(ROOT, app, 'dist', 'weapp'));
      out(`${app} weapp main package: ${kb(s.main)} of ${kb(MAIN_PACKAGE_LIMIT)} (total ${kb(s.total)})`);
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * API, sign-in, live stream and webhook figures.
 * @param {Awaited<ReturnType<typeof import('./lib/stack.mjs').startStack>>} stack
 * @param {(m: string) => void} out
 */
async function benchServer(stack, out) {
  const { DEV_WECHAT_APPS } = await import('./lib/dev-config.mjs');
  const api = stack.urls.api;
  const ok = async (/** @type {Response} */ res) => {
    if (res.status >= 400) throw new Error(`${res.url} answered ${res.status}`);
    await res.arrayBuffer();
  };
  // Warm up connections and JIT.
  await load(50, 5, async () => ok(await fetch(`${api}/healthz`)));

  let r = await load(300, 1, async () => ok(await fetch(`${api}/healthz`)));
  report('GET /healthz (1 at a time)', r.latencies, r.wallMs);
  r = await load(1000, 20, async () => ok(await fetch(`${api}/healthz`)));
  report('GET /healthz (20 in flight)', r.latencies, r.wallMs);

  let user = 0;
  const signIn = async () => {
    user += 1;
    const codeRes = await fetch(`${stack.urls.fakeWeChat}/__fake__/login`, {
      method: 'POST',
      body: JSON.stringify({ appid: DEV_WECHAT_APPS.public.appid, user: `bench-${user % 50}` }),
    });
    const { code } = /** @type {{ code: string }} */ (await codeRes.json());
    const res = await fetch(`${api}/api/v1/auth/wechat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, app: 'public' }),
    });
    await ok(res);
  };
  r = await load(200, 1, signIn);
  report('WeChat sign-in, code2Session (1 at a time)', r.latencies, r.wallMs);
  r = await load(400, 10, signIn);
  report('WeChat sign-in, code2Session (10 in flight)', r.latencies, r.wallMs);

  // Shop profile (the page every scan opens) against a bare Koa route in the same process setup,
  // with autocannon at 50 connections. Target: ≥ 50 % of the bare route's throughput, p99 ≤ 20 ms.
  const { default: autocannon } = await import('autocannon');
  const { default: Koa } = await import('koa');
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = { ok: true };
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await new Promise((r) => bareServer.once('listening', r));
  const bareUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (bareServer.address()).port}/`;
  const search = /** @type {{ items: { id: string }[] }} */ (
    await (await fetch(`${api}/api/v1/public/shops?q=${encodeURIComponent('阳光小厨')}`)).json()
  );
  const shopId = search.items[0]?.id;
  const demo = stack.demoShops.find((s) => s.name === '阳光小厨');
  /** @param {string} url */
  const cannon = (url) =>
    /** @type {Promise<any>} */ (
      autocannon({ url, connections: 50, duration: Number(process.env.BENCH_SECONDS ?? 8) })
    );
  const bareRes = await cannon(bareUrl);
  const rows = [['bare Koa route', bareRes]];
  if (shopId) rows.push(['GET /api/v1/public/shops/:id', await cannon(`${api}/api/v1/public/shops/${shopId}`)]);
  if (demo) {
    const payload = new URL(demo.url).searchParams.get('c');
    rows.push(['GET /api/v1/public/shops/by-code/:c', await cannon(`${api}/api/v1/public/shops/by-code/${payload}`)]);
  }
  bareServer.close();
  out('');
  out('autocannon, 50 connections:');
  for (const [name, r] of rows) {
    const ratio = ((r.requests.average / bareRes.requests.average) * 100).toFixed(1);
    out(
      `${String(name).padEnd(38)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ${ratio.padStart(6)} % of bare  errors ${r.errors + r.non2xx}`,
    );
  }
  out('');

  // Live stream: the demo restaurant's simulated camera through nginx-rtmp, played in Chromium.
  if (demo && stack.urls.media && stack.regulatorToken && shopId) {
    const opened = await fetch(`${api}/api/v1/regulator/establishments/${shopId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${stack.regulatorToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ openingHours: '00:00-24:00' }), // the figures must not depend on the hour
    });
    if (!opened.ok) throw new Error(`could not open the demo shop all day: ${opened.status}`);
    const { benchStream } = await import('./lib/stream-bench.mjs');
    await benchStream({ shopUrl: demo.url, out });
    out('');
  } else {
    out('live stream: skipped (nginx-rtmp or ffmpeg not installed)');
  }

  // AI capture webhook: signed multipart requests with a 40 kB snapshot, each a new event that
  // goes through signature check, upload store and the ladder (what 2,000 cameras' boxes send).
  if (stack.regulatorToken && shopId) {
    const reg = { Authorization: `Bearer ${stack.regulatorToken}`, 'Content-Type': 'application/json' };
    const post = async (/** @type {string} */ path, /** @type {unknown} */ body) => {
      const res = await fetch(`${api}${path}`, { method: 'POST', headers: reg, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      return /** @type {any} */ (await res.json());
    };
    const device = await post(`/api/v1/regulator/establishments/${shopId}/ai-devices`, { name: 'bench box' });
    const camera = await post(`/api/v1/regulator/establishments/${shopId}/cameras`, {
      name: 'bench cam',
      zone: 'prep',
    });
    const { sendCapture, SNAPSHOT_KB } = await import('./lib/capture-client.mjs');
    const capture = () => sendCapture(api, device, camera.id);
    r = await load(100, 1, capture);
    report(`AI capture webhook, ${SNAPSHOT_KB} kB snapshot (1 at a time)`, r.latencies, r.wallMs);
    r = await load(300, 10, capture);
    report(`AI capture webhook (10 in flight)`, r.latencies, r.wallMs);
    out('');
  }
}

main().catch((err) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
