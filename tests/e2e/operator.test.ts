import { join } from 'node:path';
import { API, json, ownerCode, shopIdOf } from './api';
import { OPERATOR_MESSAGES, answerConsent, drawSignature, journey, launchBrowser, seeText, webUrl } from './browser';

const OPERATOR_APPID = 'wx5067a1c0de000002';

/** An owner signed in through WeChat (the fake) and bound with the regulator's code, as the API sees it. */
async function ownerOf(shopId: string): Promise<string> {
  const invitation = { code: await ownerCode(shopId) };
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
      // The tap that opens a task asks WeChat for all three of the app's messages at once.
      await answerConsent(page, OPERATOR_MESSAGES);
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

describe('the owner in the operator app (H5)', () => {
  it('when the month is due, then the owner writes the minutes, signs with a finger, and the task is done', async () => {
    const code = await ownerCode(await shopIdOf('老街面馆'));
    await journey(
      browser.browser,
      'operator-monthly',
      async (page, context) => {
        await page.goto(webUrl('/operator/'));
        await page.locator('#bind-input input').fill(code);
        await page.locator('#bind-button').click();
        await seeText(page, '#shop-name', '老街面馆');
        await page.locator('#start-monthly').click();
        await answerConsent(page, OPERATOR_MESSAGES);
        await page.locator('#review textarea').fill('本月日管控按时完成，无重大问题。');
        await page.locator('#plan textarea').fill('下月更换冷藏柜温度计。');
        await page.locator('#attendees input').fill('张老板，李总监');
        // Without a signature the minutes are not sent.
        await page.locator('#submit-monthly').click();
        await seeText(page, '.form__error', '请主要负责人在下方签名');
        await drawSignature(page, context, '#signature');
        await page.locator('#submit-monthly').click();
        await seeText(page, '#task-monthly', '已完成');
        // The owner then invites a 安全员 from the app.
        await page.locator('#team-link').click();
        await page.locator('#invite-officer').click();
        await seeText(page, '#invitation-list', '食品安全员 · 有效至');
        // …and adds an item of its own to the shop's daily list.
        await page.goBack();
        await page.locator('#checklist-link').click();
        await page.locator('#item-text input').fill('凉菜间紫外线灯开启 30 分钟');
        await page.locator('#item-method input').fill('查看记录');
        await page.locator('#add-item').click();
        await seeText(page, '#checklist-items', 'S01 凉菜间紫外线灯开启 30 分钟');
        // …and publishes a reply beside its grade, which diners then see.
        await page.goBack();
        await page.locator('#reply-link').click();
        await page.locator('#reply-text textarea').fill('感谢监督，已更换冷藏柜并每日记录温度。');
        await page.locator('#publish-reply:not([disabled])').click();
        await page.getByText('已发布', { exact: true }).waitFor({ timeout: 15_000 });
        // It passed WeChat's content check, so diners see it.
        const id = await shopIdOf('老街面馆');
        let reply: string | undefined;
        for (let i = 0; i < 50 && !reply; i += 1) {
          const profile = (await (await fetch(`${API()}/api/v1/public/shops/${id}`)).json()) as {
            reply: { text: string } | null;
          };
          reply = profile.reply?.text;
          if (!reply) await new Promise((r) => setTimeout(r, 100));
        }
        expect(reply).toBe('感谢监督，已更换冷藏柜并每日记录温度。');
      },
      { touch: true },
    );
  });
});

describe('kitchen cameras in the operator app (H5)', () => {
  it('when a kitchen camera stays offline during opening hours, then the owner sees the alert and the camera page', async () => {
    const shopId = await shopIdOf('川味小炒');
    const regulator = {
      Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
      'Content-Type': 'application/json',
    };
    await json(
      await fetch(`${API()}/api/v1/regulator/establishments/${shopId}`, {
        method: 'PATCH',
        headers: regulator,
        body: JSON.stringify({ openingHours: '00:00-24:00' }),
      }),
    );
    // Registered, never connected: offline from the start (the e2e stack alerts after 6 s).
    await json(
      await fetch(`${API()}/api/v1/regulator/establishments/${shopId}/cameras`, {
        method: 'POST',
        headers: regulator,
        body: JSON.stringify({ name: '炒锅上方', zone: 'cooking' }),
      }),
    );
    const code = await ownerCode(shopId);
    await journey(browser.browser, 'operator-camera-alert', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '川味小炒');
      const deadline = Date.now() + 30_000;
      while (!(await page.locator('#camera-alert').count()) && Date.now() < deadline) {
        await page.waitForTimeout(2000);
        await page.reload();
        await seeText(page, '#shop-name', '川味小炒');
      }
      await seeText(page, '#camera-alert', '1 个后厨摄像头在营业时间离线');
      await page.locator('#camera-alert').click();
      await answerConsent(page, OPERATOR_MESSAGES);
      await seeText(page, '#open-alerts', '烹饪区 · 炒锅上方：营业时间离线');
      await seeText(page, '#camera-list', '离线');
      await seeText(page, '#camera-list', '尚未上线');
      await seeText(page, '#camera-list', '推流路径：live/cam_');
    });
  }, 90_000);
});
