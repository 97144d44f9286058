// @ts-check
// `npm run bench:city`: a whole city on this machine, through the real paths, on a fresh data folder.
// Two API instances behind the web server's proxy; licences imported as 5,000-row CSV files; cameras,
// bound staff and a year of their self-checks (written in bulk through the self-check service);
// inspections through the API. At 1,000 / 5,000 / 20,000 shops it prints p50/p95 of the public reads
// (scan, search, nearby, 红黑榜), the regulator lists, the operator pages, one grade recompute and the
// nightly refresh (projected from a timed sample), then the webhook rate. It asserts nothing.
//
// Sizes: BENCH_CITY_SIZES=1000,5000,20000 (default). Samples per figure: BENCH_CITY_SAMPLES (default 40).
// Each figure stops early after BENCH_CITY_FIGURE_SECONDS (default 60) and says how many calls it made.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installIfNeeded } from './lib/install.mjs';
import { ROOT } from './lib/paths.mjs';
import { load, quantile } from './lib/bench-stats.mjs';
import { sendCapture } from './lib/capture-client.mjs';

const out = (/** @type {string} */ m) => process.stdout.write(m + '\n');
const SIZES = (process.env.BENCH_CITY_SIZES ?? '1000,5000,20000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_CITY_SAMPLES ?? 40);
const FIGURE_MS = Number(process.env.BENCH_CITY_FIGURE_SECONDS ?? 60) * 1000;
/** Shares of the city: shops with cameras, with bound staff (and their self-check year), inspected. */
const CAMERA_SHARE = 0.1;
/** BENCH_CITY_STAFF_SHARE: a smaller share (0 for none) to look at the later phases quickly. */
const STAFF_SHARE = Number(process.env.BENCH_CITY_STAFF_SHARE ?? 0.15);
const INSPECTED_SHARE = 0.1;
/** Complaints and reports filed, per shop (a few thousand a year in a city). */
const COMPLAINTS_PER_SHOP = 0.25;
/** Shops whose AI box reports, and captures per shop of the city (over the last 25 days). */
const AI_BOX_SHARE = 0.02;
const CAPTURES_PER_SHOP = 1;
const CATEGORIES = ['no_mask', 'no_mask', 'no_hat', 'no_hat', 'no_uniform', 'phone', 'smoking', 'wet_floor', 'pests'];

/** A deterministic pseudo-random sequence (the same city every run). */
let seed = 20261122;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (/** @type {readonly any[]} */ xs) => xs[Math.floor(rand() * xs.length)];

const OFFICES = ['示范区市场监督管理所', '测试区市场监督管理所', '市市场监督管理局投诉举报中心'];
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区'];
const WORDS = ['阳光', '老王', '鲜味', '福满', '小城', '江南', '家常', '川香', '湘味', '粤式', '和记', '兴隆'];
const KINDS = ['餐馆', '面馆', '小吃', '快餐', '酒楼', '食堂', '烧烤', '火锅'];
const STREETS = ['解放路', '延安路', '文三路', '莫干山路', '体育场路', '凤起路', '庆春路', '中河路'];
const TYPES = ['餐馆', '餐馆', '餐馆', '小吃店', '饮品店', '其他单位食堂', '学校食堂', '中央厨房'];

/** `count` licence rows from number `from`, as a city's licence office hands them over. */
function csvRows(/** @type {number} */ from, /** @type {number} */ count) {
  const rows = [];
  for (let i = from; i < from + count; i += 1) {
    const name = `${pick(WORDS)}${pick(KINDS)}${i}`;
    const lng = (120.05 + rand() * 0.3).toFixed(6);
    const lat = (30.15 + rand() * 0.2).toFixed(6);
    const licensed = `202${Math.floor(rand() * 5)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`;
    rows.push(
      [
        name,
        `JY1330100${String(i).padStart(7, '0')}`,
        '食品经营许可证',
        licensed,
        '2030-12-31',
        `${pick(STREETS)}${1 + Math.floor(rand() * 900)}号`,
        pick(DISTRICTS),
        lng,
        lat,
        'GCJ02',
        pick(TYPES),
        String(40 + Math.floor(rand() * 400)),
        String(20 + Math.floor(rand() * 300)),
        licensed,
        '09:00-21:00',
        '正常营业',
      ].join(','),
    );
  }
  return rows;
}

async function main() {
  await installIfNeeded();
  const { buildAll } = await import('./build.mjs');
  await buildAll();
  const { startStack } = await import('./lib/stack.mjs');
  const { DEV_WECHAT_APPS } = await import('./lib/dev-config.mjs');
  const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-city-'));
  const stack = await startStack({
    dataDir,
    mongodbUri: process.env.MONGODB_URI || undefined,
    logLevel: 'warn',
    dbName: 'city',
    media: false,
    apiInstances: 2,
    // A whole city's diners and staff arrive here from one address: the abuse limits are lifted.
    apiEnv: {
      RATE_LIMITS: JSON.stringify({
        signIn: { perClient: { points: 1e6, seconds: 60 }, perIp: { points: 1e6, seconds: 60 } },
        publicWrite: {
          perUser: { points: 1e6, seconds: 60 },
          perClient: { points: 1e6, seconds: 60 },
          perIp: { points: 1e6, seconds: 60 },
        },
        upload: { perUser: { points: 1e6, seconds: 60 }, perIp: { points: 1e6, seconds: 60 } },
      }),
    },
  });
  const require = createRequire(import.meta.url);
  /** @type {import('mongoose').Connection | undefined} */
  let db;
  let finished = false;
  try {
    const os = await import('node:os');
    out(
      `database: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded FerretDB (SQLite)'}; ${os.cpus().length} cores; ` +
        `two API instances behind the web server's proxy (${stack.urls.apis.join(', ')})`,
    );
    const web = stack.urls.web;
    const reg = { Authorization: `Bearer ${stack.regulatorToken}` };
    /** @param {string} path @param {RequestInit} [init] */
    const call = async (path, init = {}) => {
      const res = await fetch(`${web}${path}`, init);
      const text = await res.text();
      if (res.status >= 400)
        throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : null;
    };
    const json = (
      /** @type {string} */ method,
      /** @type {unknown} */ body,
      /** @type {Record<string, string>} */ headers = reg,
    ) => ({
      method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

    // In-process access to the same database, for the bulk self-check history and the grade job.
    const { loadConfig } = require(join(ROOT, 'cloud-api', 'dist', 'config.js'));
    const { connectDatabase } = require(join(ROOT, 'cloud-api', 'dist', 'db.js'));
    const { importSelfCheckHistory } = require(
      join(ROOT, 'cloud-api', 'dist', 'modules', 'selfchecks', 'history.service.js'),
    );
    const grading = require(join(ROOT, 'cloud-api', 'dist', 'modules', 'grading', 'grading.service.js'));
    const facts = require(join(ROOT, 'cloud-api', 'dist', 'modules', 'establishments', 'establishment.facts.js'));
    const store = require(join(ROOT, 'cloud-api', 'dist', 'modules', 'establishments', 'establishment.store.js'));
    const directory = require(join(ROOT, 'cloud-api', 'dist', 'modules', 'establishments', 'shop-directory.js'));
    const config = loadConfig({
      NODE_ENV: 'development',
      MONGODB_URI: stack.urls.mongodb,
      MONGODB_DB: 'city',
      // Only the database and the grading rules are used in process; the rest must merely be valid.
      JWT_SECRET: 'bench-city-'.padEnd(40, 'x'),
      QR_SECRET: 'bench-city-qr-'.padEnd(40, 'x'),
      WECHAT_PUBLIC_APPID: DEV_WECHAT_APPS.public.appid,
      WECHAT_PUBLIC_SECRET: DEV_WECHAT_APPS.public.secret,
      WECHAT_OPERATOR_APPID: DEV_WECHAT_APPS.operator.appid,
      WECHAT_OPERATOR_SECRET: DEV_WECHAT_APPS.operator.secret,
      WECHAT_REGULATOR_APPID: DEV_WECHAT_APPS.regulator.appid,
      WECHAT_REGULATOR_SECRET: DEV_WECHAT_APPS.regulator.secret,
    });
    db = /** @type {import('mongoose').Connection} */ (await connectDatabase(config.mongodb));
    const gradingDeps = { db, grading: config.grading, risk: config.risk };
    const { Types } = require('mongoose');

    /** @type {{ id: string, name: string, district: string, lng: number, lat: number }[]} */
    const shops = [];
    let imported = 0;
    let cameraShops = 0;
    let staffShops = 0;
    let inspected = 0;
    /** @type {{ shop: string, token: string }[]} */
    const operators = [];
    /** @type {Record<string, string[]>} */
    const growth = {};
    let records = 0;
    let users = 0;
    let complaintsFiled = 0;
    let capturesSent = 0;
    /** @type {{ device: { id: string, key: string }, cameraId: string }[]} */
    const boxes = [];
    /** A diner's WeChat sign-in (public app); diners are reused, as a city's are. */
    /** @type {string[]} */
    const diners = [];
    const dinerToken = async (/** @type {number} */ i) => {
      const n = i % 500;
      if (diners[n]) return diners[n];
      const codeRes = await fetch(`${stack.urls.fakeWeChat}/__fake__/login`, {
        method: 'POST',
        body: JSON.stringify({ appid: DEV_WECHAT_APPS.public.appid, user: `city-diner-${n}` }),
      });
      const { code } = /** @type {{ code: string }} */ (await codeRes.json());
      const login = await call('/api/v1/auth/wechat', json('POST', { code, app: 'public' }, {}));
      diners[n] = login.token;
      return login.token;
    };

    for (const size of SIZES) {
      out('');
      out(`== ${size.toLocaleString('en')} shops ==`);
      // Licences: 5,000-row files (the last one of a size may be shorter).
      while (imported < size) {
        const count = Math.min(5000, size - imported);
        const csv = [
          '\uFEFF名称,许可证编号,许可证类型,有效期起,有效期至,地址,所属辖区,经度,纬度,坐标系,业态,经营面积,每餐就餐人数,许可日期,营业时间,状态',
        ]
          .concat(csvRows(imported + 1, count))
          .join('\n');
        const t = performance.now();
        const answer = await call('/api/v1/regulator/establishments/import', {
          method: 'POST',
          headers: { ...reg, 'Content-Type': 'text/csv' },
          body: csv,
        });
        const seconds = (performance.now() - t) / 1000;
        out(
          `import ${count} rows: ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} rows/s) ${JSON.stringify(answer)}`,
        );
        imported += count;
      }
      // The shops (ids for what follows), read once in process.
      shops.length = 0;
      for (const s of (await facts.everyShop(db)).filter((/** @type {{ status: string }} */ s) =>
        facts.LISTED_STATUSES.includes(s.status),
      ))
        shops.push({ id: String(s._id), name: s.name, district: s.district, lng: s.location.lng, lat: s.location.lat });
      const city = shops.filter((s) => /\d+$/.test(s.name) && !s.name.startsWith('示例'));

      // Cameras on a tenth of the shops.
      const camerasWanted = Math.round(size * CAMERA_SHARE);
      const camT = performance.now();
      const camStart = cameraShops;
      await load(camerasWanted - cameraShops, 10, async (i) => {
        const shop = city[camStart + i];
        if (!shop) return;
        await call(
          `/api/v1/regulator/establishments/${shop.id}/cameras`,
          json('POST', { name: '烹饪区', zone: 'cooking' }),
        );
      });
      out(`cameras: ${camerasWanted - cameraShops} added in ${((performance.now() - camT) / 1000).toFixed(1)} s`);
      cameraShops = camerasWanted;

      // Staff bound on 15 % of the shops (WeChat sign-in, then bound by the regulator), each with a
      // year of daily, weekly and monthly records written in bulk.
      const staffWanted = Math.round(size * STAFF_SHARE);
      const staffT = performance.now();
      let written = 0;
      const from = staffShops;
      await load(staffWanted - staffShops, 5, async (i) => {
        const shop = city[city.length - 1 - (from + i)];
        if (!shop) return;
        users += 1;
        const codeRes = await fetch(`${stack.urls.fakeWeChat}/__fake__/login`, {
          method: 'POST',
          body: JSON.stringify({ appid: DEV_WECHAT_APPS.operator.appid, user: `city-owner-${users}` }),
        });
        const { code } = /** @type {{ code: string }} */ (await codeRes.json());
        const login = await call('/api/v1/auth/wechat', json('POST', { code, app: 'operator' }, {}));
        await call(
          `/api/v1/regulator/establishments/${shop.id}/members`,
          json('POST', { userId: login.user.id, role: 'owner' }),
        );
        if (operators.length < 50) operators.push({ shop: shop.id, token: login.token });
        const n = await importSelfCheckHistory(db, new Types.ObjectId(shop.id), yearOfRecords(login.user.id));
        written += n;
      });
      records += written;
      out(
        `staff: ${staffWanted - staffShops} shops bound, ${written.toLocaleString('en')} self-check records in ${((performance.now() - staffT) / 1000).toFixed(1)} s (${records.toLocaleString('en')} in all)`,
      );
      staffShops = staffWanted;

      // Inspections through the API (each regrades its shop), within the figure's time.
      const inspWanted = Math.round(size * INSPECTED_SHARE);
      const inspStart = inspected;
      const insp = await load(
        inspWanted - inspected,
        5,
        async (i) => {
          const shop = city[Math.floor((inspStart + i) * (1 / INSPECTED_SHARE)) % city.length];
          if (!shop) return;
          await call(
            `/api/v1/regulator/establishments/${shop.id}/inspections`,
            json('POST', {
              idempotencyKey: `city-insp-${shop.id}`,
              date: '2026-10-15',
              inspector: '城市检查员',
              scores: SCORES,
              findings: [],
            }),
          );
        },
        FIGURE_MS,
      );
      inspected += insp.latencies.length;
      out(figure(`inspection (POST, regrades the shop)`, insp));

      // Complaints and reports from diners through the public API; the offices accept about half
      // of the 投诉 and resolve some of those (upheld or not).
      const complaintsWanted = Math.round(size * COMPLAINTS_PER_SHOP);
      const filedFrom = complaintsFiled;
      /** @type {{ id: string, type: string }[]} */
      const filed = [];
      const complaintT = performance.now();
      const filing = await load(complaintsWanted - complaintsFiled, 5, async (i) => {
        const shop = pick(city);
        const report = rand() < 0.3;
        const body = {
          idempotencyKey: `city-complaint-${filedFrom + i}`,
          type: report ? 'report' : 'complaint',
          establishmentId: shop.id,
          category: pick(['expired', 'foreign_object', 'spoiled', 'unlicensed', 'unhygienic', 'other']),
          description: '在这家店用餐后发现问题，已拍照留存，请核实处理。',
          location: { lng: shop.lng, lat: shop.lat },
          ...(report
            ? { anonymous: rand() < 0.5 }
            : { name: '王小明', phone: '13800138000', address: '幸福路 8 号 2 单元', request: '退还餐费并整改' }),
        };
        const diner = await dinerToken(filedFrom + i);
        const r = await call('/api/v1/complaints', json('POST', body, { Authorization: `Bearer ${diner}` }));
        filed.push({ id: r.complaint.id, type: body.type });
      });
      complaintsFiled = complaintsWanted;
      const complaintsSeconds = (performance.now() - complaintT) / 1000;
      await load(filed.length, 5, async (i) => {
        const c = /** @type {{ id: string, type: string }} */ (filed[i]);
        if (c.type !== 'complaint' || rand() < 0.5) return;
        const act = (/** @type {Record<string, unknown>} */ body) =>
          call(`/api/v1/regulator/complaints/${c.id}/actions`, json('POST', body));
        await act({ action: 'accept', note: '已受理' });
        if (rand() < 0.4) await act({ action: 'resolve', upheld: rand() < 0.5, result: '经调查核实，已责令整改' });
      });
      out(
        `complaints: ${filing.latencies.length} filed in ${complaintsSeconds.toFixed(1)} s ` +
          `(p50 ${quantile(filing.latencies, 0.5).toFixed(0)} ms), then accepted and resolved in part (${complaintsFiled.toLocaleString('en')} in all)`,
      );

      // AI boxes on a share of the shops with cameras; captures spread over the last 25 days go up
      // the ladder (reminders, notices, case drafts), ten in flight.
      const boxesWanted = Math.round(size * AI_BOX_SHARE);
      while (boxes.length < boxesWanted) {
        const shop = city[boxes.length];
        if (!shop) break;
        const device = await call(
          `/api/v1/regulator/establishments/${shop.id}/ai-devices`,
          json('POST', { name: 'AI 抓拍盒' }),
        );
        const cam = await call(
          `/api/v1/regulator/establishments/${shop.id}/cameras`,
          json('POST', { name: '切配区', zone: 'prep' }),
        );
        boxes.push({ device, cameraId: cam.id });
      }
      const capturesWanted = Math.round(size * CAPTURES_PER_SHOP);
      const capT = performance.now();
      const caps = await load(capturesWanted - capturesSent, 10, async () => {
        const box = /** @type {(typeof boxes)[number]} */ (pick(boxes));
        await sendCapture(web, box.device, box.cameraId, {
          category: pick(CATEGORIES),
          capturedAt: new Date(Date.now() - rand() * 25 * 86_400_000),
        });
      });
      capturesSent = capturesWanted;
      const capSeconds = (performance.now() - capT) / 1000;
      out(
        `AI captures: ${caps.latencies.length} from ${boxes.length} boxes in ${capSeconds.toFixed(1)} s ` +
          `(${(caps.latencies.length / capSeconds).toFixed(0)}/s, p50 ${quantile(caps.latencies, 0.5).toFixed(0)} ms; ` +
          `${capturesSent.toLocaleString('en')} in all)`,
      );

      // --- reads ---
      const sample = () => pick(city);
      /** @type {[string, number, number][]} */
      const figures = [];
      const measure = async (/** @type {string} */ name, /** @type {() => Promise<unknown>} */ fn, n = SAMPLES) => {
        const r = await load(n, 1, async () => void (await fn()), FIGURE_MS);
        figures.push([name, quantile(r.latencies, 0.5), quantile(r.latencies, 0.95)]);
        out(figure(name, r));
      };
      /** @type {string[]} */
      const payloads = [];
      for (let i = 0; i < SAMPLES; i += 1) {
        const shop = sample();
        payloads.push((await call(`/api/v1/regulator/establishments/${shop.id}/qr`, { headers: reg })).payload);
      }
      let k = 0;
      await measure('scan: profile by code, uncached', () =>
        call(`/api/v1/public/shops/by-code/${payloads[k++ % payloads.length]}`),
      );
      const hot = payloads[0];
      await measure('scan: profile by code, cached', () => call(`/api/v1/public/shops/by-code/${hot}`), SAMPLES * 5);
      // Throughput of the cached scan on one API instance against a bare Koa route, 50 connections.
      const throughput = await scanThroughput(stack.urls.apis[0] ?? web, hot);
      out(
        `scan, cached, 50 connections: ${throughput.scan.toFixed(0)} req/s, a bare Koa route ${throughput.bare.toFixed(0)} req/s ` +
          `(${((throughput.scan / throughput.bare) * 100).toFixed(0)} % of bare)`,
      );
      await measure('keyword search (two characters)', () =>
        call(`/api/v1/public/shops?q=${encodeURIComponent(`${pick(WORDS)}`)}`),
      );
      await measure('keyword search (name)', () => call(`/api/v1/public/shops?q=${encodeURIComponent(sample().name)}`));
      await measure('nearby 500 m', () => {
        const s = sample();
        return call(`/api/v1/public/shops?lng=${s.lng}&lat=${s.lat}&radius=500`);
      });
      await measure('红黑榜 of a district', () =>
        call(`/api/v1/public/districts/${encodeURIComponent(pick(DISTRICTS))}/board`),
      );
      await measure('regulator: shops, page 1', () =>
        call(`/api/v1/regulator/establishments?page=1&pageSize=20`, { headers: reg }),
      );
      await measure('regulator: complaints, overdue first page', () =>
        call(`/api/v1/regulator/complaints?overdue=true`, { headers: reg }),
      );
      await measure("regulator: an office's accepted complaints by deadline", () =>
        call(`/api/v1/regulator/complaints?office=${encodeURIComponent(pick(OFFICES))}&status=accepted`, {
          headers: reg,
        }),
      );
      await measure('regulator: open notices', () => call(`/api/v1/regulator/notices?status=open`, { headers: reg }));
      await measure('regulator: case drafts to confirm', () =>
        call(`/api/v1/regulator/cases?status=draft`, { headers: reg }),
      );
      await measure('operator: dashboard', () => {
        const o = pick(operators);
        return call(`/api/v1/operator/shops/${o.shop}/dashboard`, { headers: { Authorization: `Bearer ${o.token}` } });
      });
      await measure('operator: self-check history', () => {
        const o = pick(operators);
        return call(`/api/v1/operator/shops/${o.shop}/self-checks`, {
          headers: { Authorization: `Bearer ${o.token}` },
        });
      });
      await measure('grade recompute of one shop (in process)', async () => {
        const est = await store.gradeSubject(db, pick(operators).shop);
        await grading.recomputeGrade(gradingDeps, est, 'bench');
      });
      // The nightly refresh: a timed batch of the job's own work, projected to every shop.
      const batch = Math.min(100, shops.length);
      const tomorrow = new Date(Date.now() + 86_400_000);
      // The job picks due shops from the API's in-memory directory (built when an instance starts).
      await directory.directoryOf(db);
      const t = performance.now();
      const { refreshed } = await grading.refreshOutdatedGrades(gradingDeps, tomorrow, batch);
      const perShop = (performance.now() - t) / Math.max(1, refreshed);
      out(
        `nightly grade refresh: ${refreshed} shops in ${((performance.now() - t) / 1000).toFixed(1)} s → ${perShop.toFixed(0)} ms a shop, ` +
          `projected ${((perShop * shops.length) / 60_000).toFixed(1)} min for ${shops.length.toLocaleString('en')} shops`,
      );
      for (const [name, p50, p95] of figures) (growth[name] ??= []).push(`${p50.toFixed(0)}/${p95.toFixed(0)}`);
    }

    // AI boxes at the end: captures/s with ten in flight, on the full city.
    const camShop = shops.find((s) => /\d+$/.test(s.name));
    if (camShop) {
      const device = await call(
        `/api/v1/regulator/establishments/${camShop.id}/ai-devices`,
        json('POST', { name: 'bench box' }),
      );
      const cam = await call(
        `/api/v1/regulator/establishments/${camShop.id}/cameras`,
        json('POST', { name: '切配区', zone: 'prep' }),
      );
      const r = await load(200, 10, () => sendCapture(web, device, cam.id), FIGURE_MS);
      out('');
      out(figure('AI capture webhook (10 in flight)', r));
    }

    out('');
    out(`growth, p50/p95 ms at ${SIZES.map((s) => s.toLocaleString('en')).join(' → ')} shops:`);
    for (const [name, cells] of Object.entries(growth)) out(`  ${name.padEnd(44)} ${cells.join('  →  ')}`);
    finished = true;
  } finally {
    await db?.close().catch(() => {});
    await stack.stop();
    // A failed run keeps its data folder: the API's and the database's logs say what went wrong.
    if (finished) rmSync(dataDir, { recursive: true, force: true });
    else process.stderr.write(`[bench:city] kept the data folder for its logs: ${join(dataDir, 'logs')}\n`);
  }
}

/** Full marks on every area of the inspection table (shared's INSPECTION_AREAS), for the shop's grade. */
const SCORES = (() => {
  const require = createRequire(import.meta.url);
  const { INSPECTION_AREAS } = require('@ygsa/shared');
  return Object.fromEntries(INSPECTION_AREAS.map((/** @type {{ code: string, max: number }} */ a) => [a.code, a.max]));
})();

/** A year of one shop's self-checks up to yesterday: every day, every week's Monday, every month. */
function yearOfRecords(/** @type {string} */ userId) {
  const recs = [];
  const day = (/** @type {number} */ back) => new Date(Date.now() - back * 86_400_000);
  const iso = (/** @type {Date} */ d) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const items = ['A01', 'A02', 'B01', 'B02', 'C01', 'C02', 'D01', 'E01'].map((code) => ({
    code,
    result: 'pass',
    note: '',
    photos: [],
    action: '',
    escalate: false,
  }));
  for (let back = 365; back >= 1; back -= 1) {
    const d = day(back);
    const period = iso(d);
    const base = { submittedBy: userId, role: 'owner', late: false };
    recs.push({ ...base, kind: 'daily', period, content: { zeroRisk: true, items }, submittedAt: d });
    if (d.getUTCDay() === 1)
      recs.push({ ...base, kind: 'weekly', period, content: { summary: '本周无异常', issues: [] }, submittedAt: d });
    if (period.endsWith('-01'))
      recs.push({
        ...base,
        kind: 'monthly',
        period: period.slice(0, 7),
        content: { review: '本月运行正常', openIssues: '', plan: '继续保持', attendees: ['店长'] },
        submittedAt: d,
      });
  }
  return recs;
}

/**
 * Requests/s of the cached profile by code on one API instance and of a bare Koa route in this
 * process, each with autocannon at 50 connections for BENCH_CITY_THROUGHPUT_SECONDS (default 8).
 * @param {string} api @param {string} payload
 */
async function scanThroughput(api, payload) {
  const { default: autocannon } = await import('autocannon');
  const { default: Koa } = await import('koa');
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = bare.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const duration = Number(process.env.BENCH_CITY_THROUGHPUT_SECONDS ?? 8);
  /** @param {string} url */
  const rate = async (url) =>
    /** @type {{ requests: { average: number } }} */ (await autocannon({ url, connections: 50, duration })).requests
      .average;
  try {
    const bareRate = await rate(`http://127.0.0.1:${port}/`);
    return { bare: bareRate, scan: await rate(`${api}/api/v1/public/shops/by-code/${payload}`) };
  } finally {
    server.close();
  }
}

/** @param {string} name @param {{ latencies: number[], wallMs: number }} r */
function figure(name, r) {
  const f = (/** @type {number} */ n) => n.toFixed(1).padStart(8);
  return `${name.padEnd(44)} n=${String(r.latencies.length).padStart(4)}  p50 ${f(quantile(r.latencies, 0.5))} ms  p95 ${f(quantile(r.latencies, 0.95))} ms`;
}

main().catch((err) => {
  process.stderr.write(`[bench:city] ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
