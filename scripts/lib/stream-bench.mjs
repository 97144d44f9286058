// @ts-check
// Live-stream figures for `npm run bench`, measured in Chromium on the public app's H5 build:
// - time to first frame: from tapping 看后厨 on a shop page to the first video frame shown;
// - latency: from capture (the simulated camera's machine-readable burnt-in clock, read back from
//   each shown frame) to display.
import { createRequire } from 'node:module';

const { TIMECODE, readTimecode } = createRequire(import.meta.url)('./media.cjs');

/** @param {number[]} xs @param {number} q */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/**
 * @param {{ shopUrl: string, runs?: number, sampleSeconds?: number, out: (m: string) => void }} o
 */
export async function benchStream(o) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
  /** @type {number[]} */
  const firstFrame = [];
  /** @type {number[]} */
  const latency = [];
  try {
    for (let run = 0; run < (o.runs ?? 5); run += 1) {
      // A new phone each run: the first open includes WeChat sign-in, as for a new diner.
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(o.shopUrl);
      await page.locator('#live-button').waitFor({ timeout: 15_000 });
      const tapped = Date.now();
      await page.locator('#live-button').click();
      const video = page.locator('#live-video video');
      await video.waitFor({ timeout: 30_000 });
      // The wall-clock time the first frame was presented (requestVideoFrameCallback).
      const shownAt = await video.evaluate(
        (v) =>
          new Promise((resolve) => {
            const el = /** @type {any} */ (v);
            el.requestVideoFrameCallback((/** @type {number} */ now) => resolve(performance.timeOrigin + now));
          }),
      );
      firstFrame.push(/** @type {number} */ (shownAt) - tapped);

      if (run === 0) {
        // Latency: read the time code of each frame as it is shown, for a while.
        const samples = /** @type {{ shown: number, pixels: number[] }[]} */ (
          await video.evaluate(
            (v, args) =>
              new Promise((resolve) => {
                const el = /** @type {any} */ (v);
                const canvas = /** @type {any} */ (globalThis).document.createElement('canvas');
                const ctx = /** @type {any} */ (canvas.getContext('2d', { willReadFrequently: true }));
                /** @type {{ shown: number, pixels: number[] }[]} */
                const out = [];
                const until = performance.now() + args.ms;
                const onFrame = (/** @type {number} */ now) => {
                  canvas.width = el.videoWidth;
                  canvas.height = el.videoHeight;
                  ctx.drawImage(el, 0, 0);
                  const { x, y, cell, size, bits, perRow } = args.tc;
                  /** @type {number[]} */
                  const pixels = [];
                  for (let i = 0; i < bits; i += 1) {
                    const px = x + (i % perRow) * cell + size / 2;
                    const py = y + Math.floor(i / perRow) * cell + size / 2;
                    pixels.push(ctx.getImageData(px, py, 1, 1).data[0] ?? 0);
                  }
                  out.push({ shown: performance.timeOrigin + now, pixels });
                  if (now < until) el.requestVideoFrameCallback(onFrame);
                  else resolve(out);
                };
                el.requestVideoFrameCallback(onFrame);
              }),
            { ms: (o.sampleSeconds ?? 10) * 1000, tc: TIMECODE },
          )
        );
        for (const s of samples) {
          const t = TIMECODE;
          const captured = readTimecode((/** @type {number} */ x, /** @type {number} */ y) => {
            const i =
              Math.floor((y - t.y - t.size / 2) / t.cell) * t.perRow + Math.floor((x - t.x - t.size / 2) / t.cell);
            return s.pixels[i] ?? 0;
          }, s.shown);
          latency.push(s.shown - captured);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const f = (/** @type {number} */ n) => `${(n / 1000).toFixed(2)} s`;
  o.out(
    `live stream, capture → display (burnt-in time code, ${latency.length} frames): p50 ${f(quantile(latency, 0.5))}  p95 ${f(quantile(latency, 0.95))}  max ${f(Math.max(...latency))}   target ≤ 4 s`,
  );
  o.out(
    `live stream, 看后厨 tap → first frame (${firstFrame.length} runs, each a new diner): p50 ${f(quantile(firstFrame, 0.5))}  max ${f(Math.max(...firstFrame))}`,
  );
}
