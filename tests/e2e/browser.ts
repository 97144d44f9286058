import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

export function webUrl(path: string): string {
  const base = process.env.YG_E2E_WEB_URL;
  if (!base) throw new Error('run e2e tests through jest (globalSetup starts the product)');
  return base + path;
}

/**
 * Debian's Chromium, headless, as this machine allows it (no sandbox as root, no background
 * traffic). Playwright gives it a fresh temporary profile of its own.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** A phone-sized page; on failure a screenshot is saved under tests/artifacts/ and the error rethrown. */
export async function journey(
  browser: Browser,
  name: string,
  steps: (page: Page, ctx: BrowserContext) => Promise<void>,
  options: { touch?: boolean } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await steps(page, context);
    if (pageErrors.length) throw new Error(`errors on the page: ${pageErrors.join('; ')}`);
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => undefined);
    throw err;
  } finally {
    await context.close();
  }
}

/** Waits until the element shows the text, as a user would look for it; fails saying what it showed instead. */
export async function seeText(page: Page, selector: string, text: string, timeout = 15_000): Promise<void> {
  try {
    await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await page
      .locator(selector)
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => '(not on the page)');
    throw new Error(`expected ${selector} to show "${text}", but it shows "${shown}"`);
  }
}

/** A stroke on a signature pad, as fractions of the pad (0–1 across, 0–1 down), so it fits any pad size. */
export type PadStroke = [number, number][];

/** 王五 in 正楷, eight strokes across the pad: what the signature rule accepts. */
export const NAME_STROKES: PadStroke[] = [
  // 王
  [
    [0.12, 0.25],
    [0.38, 0.25],
  ],
  [
    [0.15, 0.5],
    [0.35, 0.5],
  ],
  [
    [0.25, 0.25],
    [0.25, 0.78],
  ],
  [
    [0.1, 0.78],
    [0.4, 0.76],
  ],
  // 五
  [
    [0.58, 0.25],
    [0.86, 0.25],
  ],
  [
    [0.7, 0.25],
    [0.66, 0.75],
  ],
  [
    [0.6, 0.5],
    [0.82, 0.5],
    [0.8, 0.78],
  ],
  [
    [0.55, 0.78],
    [0.9, 0.78],
  ],
];

/** One continuous zigzag across the pad: plenty of ink, but a single stroke. */
export const SCRIBBLE: PadStroke[] = [
  [
    [0.1, 0.3],
    [0.3, 0.7],
    [0.5, 0.3],
    [0.7, 0.7],
    [0.9, 0.3],
  ],
];

/** Steps of about 5 px along each stroke, as a finger or mouse reports them. */
function along(box: { x: number; y: number; width: number; height: number }, stroke: PadStroke) {
  const corners = stroke.map(([fx, fy]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height }));
  const points = corners.slice(0, 1);
  for (const [i, to] of corners.slice(1).entries()) {
    const from = corners[i]!;
    const n = Math.max(1, Math.round(Math.hypot(to.x - from.x, to.y - from.y) / 5));
    for (let k = 1; k <= n; k += 1) {
      points.push({ x: from.x + ((to.x - from.x) * k) / n, y: from.y + ((to.y - from.y) * k) / n });
    }
  }
  return points;
}

/**
 * Writes strokes on a signature pad as a user would: with a finger (touch events, in a context with
 * touch), a mouse (left button), or a pen (pointer type pen). The pad is scrolled into view first.
 */
export async function drawStrokes(
  page: Page,
  context: BrowserContext,
  selector: string,
  strokes: PadStroke[],
  input: 'touch' | 'mouse' | 'pen' = 'touch',
): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`no signature pad at ${selector}`);
  const cdp = await context.newCDPSession(page);
  for (const stroke of strokes) {
    const [first, ...rest] = along(box, stroke);
    if (!first) continue;
    if (input === 'mouse') {
      await page.mouse.move(first.x, first.y);
      await page.mouse.down();
      for (const p of rest) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    } else if (input === 'touch') {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first] });
      for (const p of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    } else {
      const pen = { pointerType: 'pen' as const, button: 'left' as const, clickCount: 1 };
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: first.x, y: first.y, pointerType: 'pen' });
      await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...first, ...pen, buttons: 1, force: 0.5 });
      for (const p of rest) {
        await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...p, ...pen, buttons: 1, force: 0.5 });
      }
      const last = rest[rest.length - 1] ?? first;
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...last, ...pen, buttons: 0 });
    }
  }
  await cdp.detach();
}

/** Signs on a signature pad with a finger: a name in several strokes, which the signature rule accepts. */
export async function drawSignature(page: Page, context: BrowserContext, selector: string): Promise<void> {
  await drawStrokes(page, context, selector, NAME_STROKES, 'touch');
}

/**
 * WeChat's subscribe-message consent sheet, as the H5 build shows it: checks that it asks for each
 * template title, then answers (允许 or 取消). The build remembers an 允许, as WeChat's
 * 总是保持以上选择 does, so a context sees the sheet once.
 */
export async function answerConsent(page: Page, titles: string[], allow = true): Promise<void> {
  const sheet = page.locator('.taro-modal__content');
  await sheet.waitFor({ state: 'visible', timeout: 15_000 });
  const text = await sheet.innerText();
  for (const title of titles) {
    if (!text.includes(title)) throw new Error(`the consent sheet does not ask for ${title}: "${text}"`);
  }
  await page.locator(allow ? '.taro-model__confirm' : '.taro-model__cancel').click();
  await sheet.waitFor({ state: 'hidden' });
}

/** The operator app's three message templates, asked for in one tap. */
export const OPERATOR_MESSAGES = ['待办事项提醒', '整改通知', '设备离线提醒'];
