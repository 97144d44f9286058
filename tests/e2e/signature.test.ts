import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { API, json, ownerCode, regulatorHeaders, regulatorPost, shopIdOf } from './api';
import {
  NAME_STROKES,
  OPERATOR_MESSAGES,
  SCRIBBLE,
  answerConsent,
  drawStrokes,
  journey,
  launchBrowser,
  seeText,
  webUrl,
  type PadStroke,
} from './browser';

// Shops no other journey touches: each signs its month or case once.
const MOUSE_SHOP = '湖畔茶饮';
const TOUCH_SHOP = '城东中央厨房';
/** A phone's screen density: the stored image must carry the strokes at it, not at CSS pixels. */
const DENSITY = 3;
const SIMPLE = '签名过于简单，请用正楷签写完整姓名';

/**
 * The page at a phone's pixel density. The session stays attached for the journey: detaching it
 * gives the page the context's own density back.
 */
async function atDensity(page: Page, context: BrowserContext, mobile: boolean) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: DENSITY, mobile });
  return cdp;
}

/** Every request that would store a signature or a record made with one, as "METHOD path". */
function watchSubmissions(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'POST' && /\/uploads$|\/self-checks\/monthly$|\/signature$/.test(path)) {
      sent.push(`POST ${path}`);
    }
  });
  return sent;
}

/** An 8-bit, non-interlaced PNG (what a canvas exports) decoded to RGBA: enough to look at the ink. */
function decodePng(png: Buffer) {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new Error('not a PNG');
  }
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour!] ?? 0;
      if (depth !== 8 || !channels || interlace !== 0)
        throw new Error(`unexpected PNG ${depth}/${colour}/${interlace}`);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i += 1) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? px[y * stride + i - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? px[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter!] ?? 0;
      px[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  /** Ink: opaque and darker than mid-grey (the pad's paper is white, its ink near-black). */
  const dark = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const o = y * stride + x * channels;
    const grey = channels >= 3 ? (px[o]! + px[o + 1]! + px[o + 2]!) / 3 : px[o]!;
    const alpha = channels === 4 ? px[o + 3]! : channels === 2 ? px[o + 1]! : 255;
    return alpha >= 128 && grey < 128;
  };
  let ink = 0;
  let [left, right] = [width, -1];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!dark(x, y)) continue;
      ink += 1;
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  /** Whether there is ink within r pixels of a point given as fractions of the image. */
  const inkNear = (fx: number, fy: number, r: number) => {
    const [cx, cy] = [Math.round(fx * width), Math.round(fy * height)];
    for (let y = cy - r; y <= cy + r; y += 1) for (let x = cx - r; x <= cx + r; x += 1) if (dark(x, y)) return true;
    return false;
  };
  return { width, height, ink, left, right, inkNear };
}

/** The stored image as a regulator downloads it. */
async function storedImage(id: string) {
  const res = await fetch(`${API()}/api/v1/uploads/${id}`, { headers: regulatorHeaders() });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^image\/png/);
  return decodePng(Buffer.from(await res.arrayBuffer()));
}

/** Each stroke's midpoints, where its ink must be in the stored image. */
const midpoints = (strokes: PadStroke[]) =>
  strokes.flatMap((s) => s.slice(1).map(([x, y], i) => [(x + s[i]![0]) / 2, (y + s[i]![1]) / 2] as const));

/** The refusal, on the pad under the strokes and on screen, where the signer looks; then a moment for any request. */
async function seeRefusal(page: Page, hint: string) {
  await seeText(page, hint, SIMPLE);
  const box = await page.locator(hint).boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height).toBe(true);
  await page.waitForTimeout(500);
}

/**
 * Where the user is: the address, the history, and how far the page and every box around the pad
 * are scrolled (Taro's H5 pages scroll inside a container, not the window).
 */
function where(page: Page, pad: string) {
  return page.locator(pad).evaluate((el) => {
    const scrolled: string[] = [];
    for (let e = el.parentElement; e; e = e.parentElement) scrolled.push(`${e.scrollLeft},${e.scrollTop}`);
    return { url: location.href, history: history.length, window: `${scrollX},${scrollY}`, scrolled };
  });
}

async function bindAsOwner(page: Page, code: string, shop: string) {
  await page.goto(webUrl('/operator/'));
  await page.locator('#bind-input input').fill(code);
  await page.locator('#bind-button').click();
  await seeText(page, '#shop-name', shop);
}

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('signing on the operator app (H5)', () => {
  it('when the owner signs the monthly minutes with a mouse, then a one-stroke scribble is refused and nothing is sent, and the stored signature is the drawing at the screen density', async () => {
    const shopId = await shopIdOf(MOUSE_SHOP);
    const code = await ownerCode(shopId);
    let padWidth = 0;

    await journey(browser.browser, 'signature-mouse', async (page, context) => {
      await atDensity(page, context, false);
      const sent = watchSubmissions(page);
      await bindAsOwner(page, code, MOUSE_SHOP);
      await page.locator('#start-monthly').click();
      await answerConsent(page, OPERATOR_MESSAGES);
      await page.locator('#review textarea').fill('本月日管控按时完成。');
      await page.locator('#plan textarea').fill('下月检查制冰机滤芯。');
      await page.locator('#attendees input').fill('林店长');
      await seeText(page, '#signature-hint', '请在框内用正楷签写完整姓名');

      // One stroke, however long, is not a signature: refused with the reason, nothing leaves the phone.
      await drawStrokes(page, context, '#signature', SCRIBBLE, 'mouse');
      await seeText(page, '#signature-hint', '已写 1 笔');
      await page.locator('#submit-monthly').click();
      await seeRefusal(page, '#signature-hint');
      expect(sent).toEqual([]);

      // 重写 clears the pad; the name is written with the mouse and finished with a pen.
      await page.locator('#signature-clear').click();
      await seeText(page, '#signature-hint', '请在框内用正楷签写完整姓名');
      await drawStrokes(page, context, '#signature', NAME_STROKES.slice(0, 6), 'mouse');
      await drawStrokes(page, context, '#signature', NAME_STROKES.slice(6), 'pen');
      await seeText(page, '#signature-hint', `已写 ${NAME_STROKES.length} 笔`);
      // A slip from the top-left corner, taken back with 撤销一笔.
      await drawStrokes(
        page,
        context,
        '#signature',
        [
          [
            [0.03, 0.05],
            [0.5, 0.6],
          ],
        ],
        'mouse',
      );
      await seeText(page, '#signature-hint', `已写 ${NAME_STROKES.length + 1} 笔`);
      await page.locator('#signature-undo').click();
      await seeText(page, '#signature-hint', `已写 ${NAME_STROKES.length} 笔`);

      padWidth = await page.locator('#signature').evaluate((c) => (c as HTMLCanvasElement).clientWidth);
      await page.locator('#submit-monthly').click();
      await seeText(page, '#task-monthly', '已完成');
      expect(sent).toEqual(['POST /api/v1/uploads', `POST /api/v1/operator/shops/${shopId}/self-checks/monthly`]);
    });

    const [minutes] = await json<{ content: { signaturePhoto: string } }[]>(
      await fetch(`${API()}/api/v1/regulator/establishments/${shopId}/self-checks?kind=monthly`, {
        headers: regulatorHeaders(),
      }),
    );
    const png = await storedImage(minutes!.content.signaturePhoto);
    expect(png.width).toBe(Math.round(padWidth * DENSITY));
    // Eight strokes of 3 px ink at density 3 cover thousands of device pixels; a blank export none.
    expect(png.ink).toBeGreaterThan(10_000);
    expect(png.ink).toBeLessThan(png.width * png.height * 0.2);
    for (const [x, y] of midpoints(NAME_STROKES)) expect([x, y, png.inkNear(x, y, 2 * DENSITY)]).toEqual([x, y, true]);
    // The slip was undone: nothing where only it passed.
    expect(png.inkNear(0.06, 0.1, 2 * DENSITY)).toBe(false);
  }, 90_000);

  it('when the owner signs a case with a finger, then strokes in every direction and long sideways swipes stay on the pad, the page neither scrolls nor goes back, and a scribble is refused first', async () => {
    const shopId = await shopIdOf(TOUCH_SHOP);
    const opened = await regulatorPost<{ id: string }>(`/api/v1/regulator/establishments/${shopId}/cases`, {
      idempotencyKey: `e2e-sign-${randomBytes(4).toString('hex')}`,
      category: 'open_flame',
      notes: '烹饪区明火无人看管，现场检查发现',
    });
    const code = await ownerCode(shopId);
    // Sideways across the whole pad both ways (where a browser's back and forward swipes start),
    // and up from the bottom: a flourish under the name.
    const swipes: PadStroke[] = [
      [
        [0.01, 0.92],
        [0.99, 0.9],
      ],
      [
        [0.99, 0.08],
        [0.01, 0.1],
      ],
      [
        [0.96, 0.88],
        [0.96, 0.15],
      ],
    ];

    await journey(
      browser.browser,
      'signature-touch',
      async (page, context) => {
        await atDensity(page, context, true);
        const sent = watchSubmissions(page);
        await bindAsOwner(page, code, TOUCH_SHOP);
        await page.locator('#enforcement-alert').click();
        await answerConsent(page, OPERATOR_MESSAGES);
        await page.locator(`#case-${opened.id}`).click();
        await page.locator('#consent-name input').fill('周经理');
        await page.locator('#consent-agree').click();
        await page.locator('#consent-submit').click();
        await page.locator('#confirm-facts').click();
        await seeText(page, '#to-sign', '当事人意见');

        await drawStrokes(page, context, '#case-signature', SCRIBBLE, 'touch');
        await page.locator('#submit-signature').click();
        await seeRefusal(page, '#case-signature-hint');
        expect(sent).toEqual([]);
        await page.locator('#case-signature-clear').click();
        await seeText(page, '#case-signature-hint', '请在框内用正楷签写完整姓名');

        await page.locator('#case-signature').scrollIntoViewIfNeeded();
        const before = await where(page, '#case-signature');
        await drawStrokes(page, context, '#case-signature', [...NAME_STROKES, ...swipes], 'touch');
        await page.waitForTimeout(800); // a back navigation or a scroll would have begun by now
        expect(await where(page, '#case-signature')).toEqual(before);
        await seeText(page, '#case-signature-hint', `已写 ${NAME_STROKES.length + swipes.length} 笔`);

        await page.locator('#submit-signature').click();
        await seeText(page, '#signed', '签名');
        await seeText(page, '#case-status', '已签名，待作出决定');
        expect(sent).toEqual([
          'POST /api/v1/uploads',
          `POST /api/v1/operator/shops/${shopId}/cases/${opened.id}/signature`,
        ]);
      },
      { touch: true },
    );

    const kase = await json<{ status: string; signature: { image: string } | null }>(
      await fetch(`${API()}/api/v1/regulator/cases/${opened.id}`, { headers: regulatorHeaders() }),
    );
    expect(kase.status).toBe('signed');
    const png = await storedImage(kase.signature!.image);
    expect(png.ink).toBeGreaterThan(10_000);
    // The swipes are in the signature from edge to edge, as are the name's strokes.
    expect(png.left).toBeLessThan(png.width * 0.03);
    expect(png.right).toBeGreaterThan(png.width * 0.97);
    for (const [x, y] of midpoints([...NAME_STROKES, ...swipes])) {
      expect([x, y, png.inkNear(x, y, 2 * DENSITY)]).toEqual([x, y, true]);
    }
  }, 90_000);
});
