import { ownerCode, shopIdOf } from './api';
import { journey, launchBrowser, seeText, webUrl } from './browser';

interface DemoShop {
  name: string;
  url: string;
}
const demo = (name: string) => {
  const shop = (JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[]).find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};
const api = () => process.env.YG_E2E_API_URL as string;
const regulator = () => ({
  Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
  'Content-Type': 'application/json',
});

/** Sets a demo shop's opening hours (as a regulator corrects the file). */
async function setHours(name: string, openingHours: string) {
  const found = (await (await fetch(`${api()}/api/v1/public/shops?q=${encodeURIComponent(name)}`)).json()) as {
    items: { id: string }[];
  };
  const res = await fetch(`${api()}/api/v1/regulator/establishments/${found.items[0]?.id}`, {
    method: 'PATCH',
    headers: regulator(),
    body: JSON.stringify({ openingHours }),
  });
  if (res.status !== 200) throw new Error(`could not set the hours of ${name}: ${res.status}`);
}

/** One minute, twelve hours from now (China time): hours in which the shop is closed now. */
function closedNowHours(): string {
  const china = new Date(Date.now() + 8 * 3600_000);
  const start = Math.min(1438, (china.getUTCHours() * 60 + china.getUTCMinutes() + 720) % 1440);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(start)}-${hhmm(start + 1)}`;
}

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
  // The tests must not depend on the hour they run at: the demo restaurant and the school canteen
  // open all day for them, and the seafood restaurant is closed now.
  await setHours('阳光小厨', '00:00-24:00');
  await setHours('示范区实验小学食堂', '00:00-24:00');
  await setHours('鲜味海鲜酒楼', closedNowHours());
});
afterAll(() => browser?.close());

describe('live kitchen (public app, H5, nginx-rtmp + ffmpeg)', () => {
  it("when a diner opens a restaurant's 看后厨, then the kitchen video plays (its time advances)", async () => {
    await journey(browser.browser, 'live-plays', async (page) => {
      await page.goto(demo('阳光小厨').url);
      await seeText(page, '#shop-name', '阳光小厨');
      await page.locator('#live-button').click();
      await seeText(page, '#zones', '烹饪区 · 在线');
      const video = page.locator('#live-video video');
      await video.waitFor({ timeout: 15_000 });
      let first = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        first = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
        if (first > 0) break;
        await page.waitForTimeout(500);
      }
      await page.waitForTimeout(2000);
      const later = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
      expect(first).toBeGreaterThan(0);
      expect(later).toBeGreaterThan(first);
    });
  }, 90_000);

  it("when the school invites a parent in the operator app, then the parent joins in the public app and watches the canteen's kitchen with a watermark", async () => {
    const schoolId = await shopIdOf('示范区实验小学食堂');
    const code = await ownerCode(schoolId);
    let parentCode = '';
    await journey(browser.browser, 'committee-invite', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '示范区实验小学食堂');
      await page.locator('#committee-link').click();
      await page.locator('#invite-parents').click();
      await seeText(page, '#parent-code', '7 天内有效');
      parentCode = (await page.locator('#parent-code .team__code').innerText()).trim();
    });
    expect(parentCode).toMatch(/^[A-Z2-9]{8}$/);

    await journey(browser.browser, 'committee-join-watch', async (page) => {
      await page.goto(webUrl('/public/'));
      await page.locator('#committee-link').click();
      await page.locator('#committee-code input').fill(parentCode);
      await page.locator('#committee-name input').fill('刘家长');
      await page.locator('#committee-grade input').fill('二年级一班');
      await page.locator('#committee-join').click();
      await seeText(page, '#my-canteens', '示范区实验小学食堂');
      await page.locator('#my-canteens .committee__card').first().click();
      await seeText(page, '#watermark', '家委会');
      const video = page.locator('#live-video video');
      await video.waitFor({ timeout: 15_000 });
      const deadline = Date.now() + 30_000;
      let t = 0;
      while (Date.now() < deadline && t === 0) {
        t = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
        if (t === 0) await page.waitForTimeout(500);
      }
      expect(t).toBeGreaterThan(0);
    });
  }, 120_000);

  it("when someone outside the parents' committee opens a school canteen's stream, then they are told why and see no video", async () => {
    await journey(browser.browser, 'live-school-refused', async (page) => {
      await page.goto(demo('示范区实验小学食堂').url);
      await page.locator('#live-button').click();
      await seeText(page, '#live-message', '学校食堂直播仅向本校家委会成员开放');
      expect(await page.locator('#live-video').count()).toBe(0);
      // The way in is one tap away.
      await page.locator('#join-committee').click();
      await page.locator('#committee-code').waitFor();
    });
  });

  it('outside opening hours: the button and zones say 休息中, with the hours, and nothing plays', async () => {
    await journey(browser.browser, 'live-closed', async (page) => {
      await page.goto(demo('鲜味海鲜酒楼').url);
      await seeText(page, '#live-button', '休息中');
      await seeText(page, '#live-hint', '营业时间');
      await page.locator('#live-button').click();
      await seeText(page, '#zones', '烹饪区 · 休息中');
      await seeText(page, '#live-message', '现在是休息时间，营业时间');
      await page.locator('.live__zone').first().click();
      await page.waitForTimeout(500);
      expect(await page.locator('#live-video').count()).toBe(0);
    });
  });
});
