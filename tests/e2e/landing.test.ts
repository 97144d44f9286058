import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { journey, launchBrowser, seeText, webUrl } from './browser';

interface DemoShop {
  name: string;
  /** Enters the shop page as a 小程序码 does: pages/shop/index?scene=<payload>. */
  url: string;
  /** What the shop's printed QR code encodes. */
  printed: string;
}
const demo = (name: string): DemoShop => {
  const shop = (JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[]).find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly the request headers given (fetch would add and undo its own Accept-Encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(webUrl(path), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** The hashed scripts and styles an app's index.html loads. */
async function hashedAssets(app: string): Promise<string[]> {
  const html = (await get(`/${app}/`)).body.toString('utf8');
  const assets = [...html.matchAll(/(?:src|href)="([^"]+\.[0-9a-f]{8}\.(?:js|css))"/g)].map((m) => m[1]!);
  if (!assets.length) throw new Error(`no hashed assets in /${app}/index.html`);
  return assets;
}

describe.each(['public', 'operator'])('the %s H5 build, as served', (app) => {
  it('when the client accepts brotli or gzip, then the page and its scripts come compressed, and decode to the plain file', async () => {
    for (const path of [`/${app}/`, ...(await hashedAssets(app))]) {
      const plain = await get(path);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');

      const br = await get(path, { 'Accept-Encoding': 'gzip, deflate, br' });
      if (plain.body.length < 512) {
        // Too small to gain from compression (scripts/lib/precompress.mjs): sent as it is.
        expect(br.headers['content-encoding']).toBeUndefined();
        continue;
      }
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.body.length).toBeLessThan(plain.body.length);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

      const gz = await get(path, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    }
  });

  it('when a hashed asset is asked for, then it may be kept a year without asking again', async () => {
    for (const path of await hashedAssets(app)) {
      const res = await get(path, { 'Accept-Encoding': 'br' });
      expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
      expect(res.headers['cache-control']).toMatch(/immutable/);
    }
  });

  it('when index.html is asked for, then it must be revalidated, and an unchanged one answers 304', async () => {
    const first = await get(`/${app}/`, { 'Accept-Encoding': 'br' });
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag;
    expect(typeof etag).toBe('string');
    const again = await get(`/${app}/`, { 'Accept-Encoding': 'br', 'If-None-Match': String(etag) });
    expect(again.status).toBe(304);
  });
});

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The shop search and nearby query the home page makes (GET /api/v1/public/shops?…), as the page asks for them. */
function watchShopQueries(page: Page): string[] {
  const queries: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/public/shops') queries.push(r.url());
  });
  return queries;
}

describe('a scan lands on the shop page alone (public app, H5)', () => {
  it('when the home page is opened with a position, then it asks for the shops nearby and lists them', async () => {
    // The watch below sees the home page's query when there is one.
    await journey(browser.browser, 'landing-home', async (page) => {
      const queries = watchShopQueries(page);
      await page.goto(webUrl('/public/?loc=120.1551,30.2741'));
      await seeText(page, '.shop-list', '阳光小厨');
      expect(queries.some((q) => q.includes('radius='))).toBe(true);
    });
  });

  it.each([
    ['a 小程序码 link (scene)', () => demo('阳光小厨').url],
    ['a printed code (q)', () => demo('阳光小厨').printed],
  ])('when %s is opened, then the grade shows without the home page: no nearby query, no home list', async (_, url) => {
    await journey(browser.browser, 'landing-scan', async (page) => {
      const queries = watchShopQueries(page);
      await page.goto(url(), { waitUntil: 'commit' });
      await seeText(page, '#grade-badge', 'A');
      await seeText(page, '#shop-name', '阳光小厨');
      await page.waitForLoadState('networkidle');
      expect(queries).toEqual([]);
      expect(await page.locator('.home').count()).toBe(0);
      expect(await page.locator('.shop-list').count()).toBe(0);
      expect(await page.locator('#status-link').count()).toBe(0);
    });
  });
});
