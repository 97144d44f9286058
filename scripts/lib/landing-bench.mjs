// @ts-check
// Landing figures for `npm run bench`, measured in Chromium on the H5 builds over an emulated 4G
// link that is slow for a phone outside (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency), each
// open on a fresh profile (empty cache, first visit):
// - transferred: the bytes that crossed the wire for everything the page loaded (headers included,
//   compressed as served), split into the app's own files and API answers;
// - first paint: when anything was first drawn (before it, the screen is blank);
// - grade: on a scanned shop link, when the shop's grade badge became visible.

/** Chromium's network emulation figures: bytes per second and milliseconds. */
export const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * One cold open of `url` over the slow link; resolves when `ready` is visible and the network is quiet.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {string} ready a selector the page shows when it is done
 * @param {string | undefined} grade a selector whose appearance is timed
 */
async function openOnce(browser, url, ready, grade) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  /** @type {Map<string, string>} */
  const urls = new Map();
  let assets = 0;
  let api = 0;
  /** @type {string[]} */
  const apiCalls = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const path = new URL(urls.get(e.requestId) ?? 'http://x/').pathname;
    if (path.startsWith('/api/') || path.startsWith('/__fake_wechat__/')) {
      api += e.encodedDataLength;
      apiCalls.push(path);
    } else assets += e.encodedDataLength;
  });
  try {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    let gradeMs = NaN;
    if (grade) {
      await page.locator(grade).first().waitFor({ state: 'visible', timeout: 60_000 });
      gradeMs = Date.now() - started;
    }
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 60_000 });
    const firstPaint = /** @type {number} */ (
      await page.evaluate(() => {
        const p = performance.getEntriesByName('first-contentful-paint')[0];
        return p ? p.startTime : NaN;
      })
    );
    return { assets, api, firstPaint, gradeMs, apiCalls };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ webUrl: string, shopUrl: string, nearby: { lng: number, lat: number }, runs?: number, out: (m: string) => void }} o
 */
export async function benchLanding(o) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
  const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1).padStart(6)} KB`;
  const s = (/** @type {number} */ ms) => (Number.isNaN(ms) ? '     –' : `${(ms / 1000).toFixed(2).padStart(5)} s`);
  const cases = [
    {
      name: 'public home',
      url: `${o.webUrl}/public/?loc=${o.nearby.lng},${o.nearby.lat}`,
      ready: '#status-link',
      grade: undefined,
    },
    { name: 'public shop (scanned link)', url: o.shopUrl, ready: '#shop-name', grade: '#grade-badge' },
    { name: 'operator home', url: `${o.webUrl}/operator/`, ready: '.taro_page', grade: undefined },
  ];
  o.out(
    `landing on an emulated link of ${SLOW_4G.downloadThroughput / 125} kbit/s down, ${SLOW_4G.uploadThroughput / 125} kbit/s up, ${SLOW_4G.latency} ms; cold cache; median of ${o.runs ?? 3}:`,
  );
  try {
    for (const c of cases) {
      /** @type {Awaited<ReturnType<typeof openOnce>>[]} */
      const runs = [];
      for (let i = 0; i < (o.runs ?? 3); i += 1) runs.push(await openOnce(browser, c.url, c.ready, c.grade));
      const pick = (/** @type {(r: (typeof runs)[number]) => number} */ f) => median(runs.map(f));
      const calls = [...new Set(runs[0]?.apiCalls ?? [])].join(' ');
      o.out(
        `${c.name.padEnd(28)} transferred ${kb(pick((r) => r.assets + r.api))} (files ${kb(pick((r) => r.assets))}, API ${kb(pick((r) => r.api))})  first paint ${s(pick((r) => r.firstPaint))}  grade visible ${s(pick((r) => r.gradeMs))}`,
      );
      o.out(`${''.padEnd(28)} API calls: ${calls || 'none'}`);
    }
  } finally {
    await browser.close();
  }
}
