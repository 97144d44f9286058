import { join } from 'node:path';
import { journey, launchBrowser, seeText } from './browser';

interface DemoShop {
  name: string;
  url: string;
}
const demo = (name: string) => {
  const shop = (JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[]).find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};
const regulator = () => ({
  Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
  'Content-Type': 'application/json',
});

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('a diner files a complaint (public app, H5)', () => {
  it("when filed from a shop's page with a photo, then it is in 我的投诉举报, and a regulator's acceptance shows in its timeline", async () => {
    await journey(browser.browser, 'complaint', async (page) => {
      // The position a phone would report, fixed for the test (GCJ-02, inside 示范区).
      await page.goto(`${demo('金穗饺子馆').url}&loc=120.1551,30.2741`);
      await seeText(page, '#shop-name', '金穗饺子馆');
      await page.locator('#complain-button').click();
      await seeText(page, '#complaint-shop', '金穗饺子馆');
      await page.locator('#category-foreign_object').click();
      await page.locator('#description textarea').fill('饺子里吃出一小块塑料，已拍照。');
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#add-photo').click();
      await (await chooser).setFiles(join(__dirname, 'fixtures', 'kitchen.png'));
      await seeText(page, '#photo-count', '已上传 1/9 张');
      expect(await page.locator('.complaint__thumb').count()).toBe(1);
      await page.locator('#name input').fill('王小明');
      await page.locator('#phone input').fill('13800138000');
      await page.locator('#request input').fill('退款并整改');
      await page.locator('#submit-complaint').click();

      await seeText(page, '#filed', '已提交，编号 TS');
      await seeText(page, '#my-complaints', '投诉 · 金穗饺子馆 · 异物');
      await seeText(page, '#my-complaints', '受理决定期限');

      const api = process.env.YG_E2E_API_URL as string;
      const list = (await (
        await fetch(`${api}/api/v1/regulator/complaints?status=submitted`, { headers: regulator() })
      ).json()) as {
        items: { id: string; shopName: string; photos: string[] }[];
      };
      const mine = list.items.find((c) => c.shopName === '金穗饺子馆');
      expect(mine?.photos).toHaveLength(1);
      const accepted = await fetch(`${api}/api/v1/regulator/complaints/${mine?.id}/actions`, {
        method: 'POST',
        headers: regulator(),
        body: JSON.stringify({ action: 'accept', note: '已受理，将组织调解' }),
      });
      expect(accepted.status).toBe(200);

      await page.reload();
      await seeText(page, '#my-complaints', '已受理：已受理，将组织调解');
      await seeText(page, '#my-complaints', '调解期限');
    });
  });
});
