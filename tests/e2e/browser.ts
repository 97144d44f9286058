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

/** Signs on a signature pad with a finger: a stroke of touch events across the canvas. */
export async function drawSignature(page: Page, context: BrowserContext, selector: string): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`no signature pad at ${selector}`);
  const cdp = await context.newCDPSession(page);
  const points = [
    [20, 50],
    [60, 80],
    [100, 40],
    [140, 90],
    [180, 60],
  ].map(([x, y]) => ({ x: box.x + x!, y: box.y + y! }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]!] });
  for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
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
