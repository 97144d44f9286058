import { join } from 'node:path';
import { journey, launchBrowser, seeText, webUrl } from './browser';

const API = () => process.env.YG_E2E_API_URL as string;
const OPERATOR_APPID = 'wx5067a1c0de000002';

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** An owner signed in through WeChat (the fake) and bound with the regulator's code, as the API sees it. */
async function ownerOf(shopId: string): Promise<string> {
  const regulator = {
    Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
    'Content-Type': 'application/json',
  };
  const invitation = await json<{ code: string }>(
    await fetch(`${API()}/api/v1/regulator/establishments/${shopId}/invitations`, {
      method: 'POST',
      headers: regulator,
      body: JSON.stringify({ role: 'owner' }),
    }),
  );
  const { code } = await json<{ code: string }>(
    await fetch(`${process.env.YG_E2E_FAKE_WECHAT_URL}/__fake__/login`, {
      method: 'POST',
      body: JSON.stringify({ appid: OPERATOR_APPID, user: `e2e-owner-${Date.now()}` }),
    }),
  );
  const { token } = await json<{ token: string }>(
    await fetch(`${API()}/api/v1/auth/wechat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, app: 'operator' }),
    }),
  );
  await json(
    await fetch(`${API()}/api/v1/operator/bind`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: invitation.code }),
    }),
  );
  return token;
}

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('a 食品安全员 in the operator app (H5)', () => {
  it("when invited, then binds with the code, completes today's daily check with a photo, and sees it in history and on the dashboard", async () => {
    const search = await json<{ items: { id: string; name: string }[] }>(
      await fetch(`${API()}/api/v1/public/shops?q=${encodeURIComponent('川味小炒')}`),
    );
    const shopId = search.items[0]?.id as string;
    const ownerToken = await ownerOf(shopId);
    const staffCode = (
      await json<{ code: string }>(
        await fetch(`${API()}/api/v1/operator/shops/${shopId}/invitations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ownerToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ role: 'safety_officer' }),
        }),
      )
    ).code;

    await journey(browser.browser, 'operator-daily', async (page) => {
      await page.goto(webUrl('/operator/'));
      await seeText(page, '#bind-form', '输入邀请码加入门店');
      await page.locator('#bind-input input').fill(staffCode);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '川味小炒');
      await seeText(page, '#task-daily', '去填报');
      await page.locator('#start-daily').click();
      await seeText(page, '#item-D01', '信息公示');

      const photo = join(__dirname, 'fixtures', 'kitchen.png');
      const items = await page.locator('[id^="item-D"][id$="-pass"]').all();
      for (const item of items) await item.click();
      for (const code of ['D03', 'D05', 'D07', 'D08']) {
        const chooser = page.waitForEvent('filechooser');
        await page.locator(`#photo-${code}`).click();
        await (await chooser).setFiles(photo);
        await seeText(page, `#photos-${code}`, '已上传 1 张');
      }
      await page.locator('#submit-daily').click();

      await seeText(page, '#task-daily', '已完成');
      await page.locator('#history-link').click();
      await seeText(page, '#history-list', '日管控');
      await seeText(page, '#history-list', '零风险');
    });
  });
});
