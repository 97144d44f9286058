import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, aiBoxOf, json, ownerCode, regulatorGet, regulatorPost, sendCapture, shopIdOf } from './api';
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

      // The 安全员 may hand a failed item up: it reaches the 总监's and the owner's dashboards.
      await page.locator('#item-D01-fail').click();
      await seeText(page, '#escalate-D01', '上报总监和店主');

      const photo = join(__dirname, 'fixtures', 'kitchen.png');
      const items = await page.locator('[id^="item-D"][id$="-pass"]').all();
      for (const item of items) await item.click();
      const upload = async (button: string) => {
        const chooser = page.waitForEvent('filechooser');
        await page.locator(button).click();
        await (await chooser).setFiles(photo);
      };
      for (const code of ['D03', 'D05', 'D07', 'D08']) {
        await upload(`#photo-${code}`);
        await seeText(page, `#photos-${code}`, '已上传 1 张');
        // The photo itself is shown, not only a count.
        await page.locator(`#photo-${code}-list img`).first().waitFor({ state: 'visible', timeout: 15_000 });
      }
      // A photo can be retaken in its place (another picture), or removed and taken again.
      const first = await page.locator('#photo-D03-list [data-photo]').first().getAttribute('data-photo');
      const other = join(tmpdir(), `retake-${Date.now()}.png`);
      writeFileSync(other, Buffer.concat([readFileSync(photo), Buffer.from('retaken')]));
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#photo-D03-retake-0').click();
      await (await chooser).setFiles(other);
      await page.waitForFunction(
        (before) => {
          const now = document.querySelector('#photo-D03-list [data-photo]')?.getAttribute('data-photo');
          return (
            !!now && now !== before && !document.querySelector('#photo-D03-retake-0')?.textContent?.includes('上传中')
          );
        },
        first,
        { timeout: 15_000 },
      );
      await seeText(page, '#photos-D03', '已上传 1 张');
      await page.locator('#photo-D03-remove-0').click();
      await seeText(page, '#photos-D03', '未拍照');
      await upload('#photo-D03');
      await seeText(page, '#photos-D03', '已上传 1 张');
      await page.locator('#submit-daily').click();

      await seeText(page, '#task-daily', '已完成');
      await page.locator('#history-link').click();
      await seeText(page, '#history-list', '日管控');
      await seeText(page, '#history-list', '零风险');
      // A record opens: its items, photos, time, and whether the hash chain holds.
      await page.locator('[id^="record-"][data-kind="daily"]').first().click();
      await seeText(page, '#record-kind', '日管控');
      await seeText(page, '#record-meta', '食品安全员提交');
      await seeText(page, '#record-verify', '哈希链校验通过');
      await seeText(page, '#record-item-D03', '合格');
      await page.locator('#record-photos-D03 img').first().waitFor({ state: 'visible', timeout: 15_000 });
    });
  });
});

describe('a shop whose only member is its owner (H5)', () => {
  it('when nobody else is bound, then the owner is told the daily check is theirs, files it and sees it verified', async () => {
    const code = await ownerCode(await shopIdOf('金穗饺子馆'));
    await journey(browser.browser, 'operator-owner-only-daily', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '金穗饺子馆');
      await seeText(page, '#task-daily', '由店主填报');
      await seeText(page, '#task-weekly', '由店主填报');
      await page.locator('#start-daily').click();
      await answerConsent(page, OPERATOR_MESSAGES);
      await seeText(page, '#item-D01', '信息公示');
      // A photo taken before the one-tap 零风险 stays with the record.
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#photo-D07').click();
      await (await chooser).setFiles(join(__dirname, 'fixtures', 'kitchen.png'));
      await seeText(page, '#photos-D07', '已上传 1 张');
      // The owner files it: a failed item has nobody above to be handed up to.
      await page.locator('#item-D01-fail').click();
      await page.locator('#action-D01').waitFor({ state: 'visible' });
      expect(await page.getByText('上报', { exact: false }).count()).toBe(0);
      await page.locator('#item-D01-pass').click();
      await page.locator('#zero-risk').click();
      await seeText(page, '#task-daily', '已完成');
      await page.locator('#history-link').click();
      await seeText(page, '#history-list', '主要负责人');
      await page.locator('[id^="record-"][data-kind="daily"]').first().click();
      await seeText(page, '#record-meta', '主要负责人提交');
      await seeText(page, '#record-verify', '哈希链校验通过');
      await page.locator('#record-photos-D07 img').first().waitFor({ state: 'visible', timeout: 15_000 });

      // The weekly report too: an issue's due date comes from a date picker, not typed text.
      await page.goBack();
      await page.goBack();
      await page.locator('#start-weekly').click();
      await page.locator('#add-issue').click();
      await page.locator('#issue-0-text textarea').fill('冷藏柜温度计读数偏差');
      await page.locator('#issue-0-owner input').fill('王店主');
      expect(await page.locator('#due-0 input').count()).toBe(0);
      await page.locator('#due-0').click();
      await page.locator('.weui-picker').waitFor({ state: 'visible' });
      await page.getByText('确定', { exact: true }).click();
      await page.locator('.weui-picker').waitFor({ state: 'hidden' });
      await seeText(page, '#due-0', '完成期限');
      await page.locator('#submit-weekly').click();
      await seeText(page, '#task-weekly', '已完成');
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
        await seeText(page, '#invitation-list', '食品安全员');
        await seeText(page, '#invitation-list', '有效至');
        // The code the owner joined with is marked as theirs.
        await seeText(page, '#invitation-list', '已使用（本人加入）');
        // …which the owner cannot revoke (it is the office's code they joined with).
        expect(
          await page
            .locator('#invitation-list [id^="code-"]', { hasText: '已使用（本人加入）' })
            .locator('.nut-button')
            .count(),
        ).toBe(0);
        await seeText(page, '#member-list', '主要负责人（我）');
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
        const publicReply = async () =>
          (
            (await (await fetch(`${API()}/api/v1/public/shops/${id}`)).json()) as {
              reply: { text: string } | null;
            }
          ).reply?.text ?? null;
        const untilPublic = async (want: string | null) => {
          let got = await publicReply();
          for (let i = 0; i < 50 && got !== want; i += 1) {
            await new Promise((r) => setTimeout(r, 100));
            got = await publicReply();
          }
          return got;
        };
        expect(await untilPublic('感谢监督，已更换冷藏柜并每日记录温度。')).toBe(
          '感谢监督，已更换冷藏柜并每日记录温度。',
        );
        // Opened again, the page shows the live reply and that diners see it…
        await page.reload();
        await seeText(page, '#reply-current', '感谢监督，已更换冷藏柜并每日记录温度。');
        await seeText(page, '#reply-public-state', '已公开');
        // …edits it…
        await page.locator('#reply-text textarea').fill('感谢监督，冷藏柜已更换，温度每日两次记录。');
        await page.locator('#publish-reply:not([disabled])').click();
        await seeText(page, '#reply-current', '感谢监督，冷藏柜已更换，温度每日两次记录。');
        expect(await untilPublic('感谢监督，冷藏柜已更换，温度每日两次记录。')).toBe(
          '感谢监督，冷藏柜已更换，温度每日两次记录。',
        );
        // …and withdraws it: diners no longer see a reply.
        await page.locator('#withdraw-reply').click();
        await page.locator('.taro-modal__content').waitFor({ state: 'visible' });
        await page.locator('.taro-model__confirm').click();
        await seeText(page, '#reply-none', '尚未回复');
        expect(await untilPublic(null)).toBeNull();
      },
      { touch: true },
    );
  }, 60_000);
});

describe('the owner removes a member (H5)', () => {
  it('when the owner removes the 安全员, then the 安全员 loses the shop at once and cannot come back with the old code', async () => {
    const code = await ownerCode(await shopIdOf('湖畔茶饮'));
    await journey(browser.browser, 'operator-remove-member', async (owner) => {
      // The owner joins, opens the team and issues a code for a 安全员.
      await owner.goto(webUrl('/operator/'));
      await owner.locator('#bind-input input').fill(code);
      await owner.locator('#bind-button').click();
      await seeText(owner, '#shop-name', '湖畔茶饮');
      await owner.locator('#team-link').click();
      await seeText(owner, '#member-list', '主要负责人（我）');
      await seeText(owner, '#member-list', '目前只有您一人');
      await owner.locator('#invite-officer').click();
      await seeText(owner, '#invitation-list', '食品安全员');
      const staffCode = (await owner.locator('#invitation-list .team__code').first().innerText()).trim();

      // The 安全员, on another phone, joins with it.
      const phone = await browser.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      try {
        const officer = await phone.newPage();
        await officer.goto(webUrl('/operator/'));
        await officer.locator('#bind-input input').fill(staffCode);
        await officer.locator('#bind-button').click();
        await seeText(officer, '#shop-name', '湖畔茶饮');
        await seeText(officer, '#task-daily', '去填报');

        // The owner sees the 安全员 in the team and removes them.
        await owner.reload();
        await seeText(owner, '#member-list', '食品安全员');
        await seeText(owner, `#code-${staffCode}`, '已使用');
        await owner.locator('#member-list [id^="remove-"]').first().click();
        await owner.locator('.taro-modal__content').waitFor({ state: 'visible' });
        await owner.locator('.taro-model__confirm').click();
        await seeText(owner, '#member-list', '目前只有您一人');

        // The 安全员's next request is refused: the shop is gone from their app.
        await officer.reload();
        await seeText(officer, '#bind-form', '输入邀请码加入门店');
        // The code they joined with does not bring them back.
        await officer.locator('#bind-input input').fill(staffCode);
        await officer.locator('#bind-button').click();
        await seeText(officer, '#bind-error', '您已被移出该门店');
      } finally {
        await phone.close();
      }
    });
  }, 60_000);
});

describe('AI reminders and the 整改回复 in the operator app (H5)', () => {
  it('when a reminder and a notice arrive, then the owner sees the snapshot, and edits then withdraws the reply under review', async () => {
    const shopId = await shopIdOf('城东中央厨房');
    const photo = join(__dirname, 'fixtures', 'kitchen.png');
    const box = await aiBoxOf(shopId, '蒸柜上方');
    expect((await sendCapture(box, 'no_mask', readFileSync(photo))).outcome.step).toBe('reminder');
    const notice = await regulatorPost<{ id: string }>(`/api/v1/regulator/establishments/${shopId}/notices`, {
      idempotencyKey: `e2e-${Date.now()}`,
      topic: 'inspection',
      requirement: '冷库地面积水，请清理并修复排水。',
    });
    const code = await ownerCode(shopId);
    await journey(browser.browser, 'operator-reply-edit-withdraw', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '城东中央厨房');
      await page.locator('#notices-link').click();
      await answerConsent(page, OPERATOR_MESSAGES);
      // The reminder shows what the camera saw, which camera, and when.
      await seeText(page, '#reminders', '未戴口罩');
      await seeText(page, '#reminders', '烹饪区 · 蒸柜上方，抓拍于');
      await page.locator('#reminders img').first().waitFor({ state: 'visible', timeout: 15_000 });

      await page.locator(`#notice-${notice.id}`).click();
      await page.locator('#reply-text textarea').fill('已清理积水，排水口已疏通。');
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#reply-photo').click();
      await (await chooser).setFiles(photo);
      await seeText(page, '#reply-form', '已上传 1 张');
      await page.locator('#submit-reply').click();
      // The live reply is shown with its review state, in the palette's waiting tone (not red).
      await seeText(page, '#live-reply', '待监管审核');
      await seeText(page, '#live-reply-text', '已清理积水，排水口已疏通。');
      await seeText(page, '#notice-status', '已回复，待审核');
      expect(await page.locator('#notice-status').getAttribute('data-tone')).toBe('waiting');

      // Edited in place…
      await page.locator('#edit-reply').click();
      await page.locator('#edit-text textarea').fill('已清理积水，并更换了排水口盖板。');
      await page.locator('#save-reply').click();
      await seeText(page, '#live-reply-text', '已清理积水，并更换了排水口盖板。');
      await seeText(page, '#live-reply', '修改');
      // …then withdrawn: the notice waits for a reply again, the withdrawn one stays on the record.
      await page.locator('#withdraw-reply').click();
      await page.locator('.taro-modal__content').waitFor({ state: 'visible' });
      await page.locator('.taro-model__confirm').click();
      await seeText(page, '#notice-status', '待整改');
      await seeText(page, '#history', '已撤回');
      await page.locator('#reply-form').waitFor({ state: 'visible' });
      expect(await page.locator('#live-reply').count()).toBe(0);
    });
    const stored = await regulatorGet<{ status: string; replies: { text: string; state: string }[] }>(
      `/api/v1/regulator/notices/${notice.id}`,
    );
    expect(stored.status).toBe('open');
    expect(stored.replies).toEqual([
      expect.objectContaining({ text: '已清理积水，并更换了排水口盖板。', state: 'withdrawn' }),
    ]);
  }, 60_000);
});

describe("the owner's own kitchen preview (H5, nginx-rtmp + ffmpeg)", () => {
  it("when the owner of a committee-only school canteen opens the cameras, then the kitchen's live preview plays", async () => {
    const code = await ownerCode(await shopIdOf('示范区实验小学食堂'));
    await journey(browser.browser, 'operator-camera-preview', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#shop-name', '示范区实验小学食堂');
      await page.locator('#cameras-link').click();
      await seeText(page, '#camera-list', '实验小学 烹饪区');
      // The simulated camera publishes within seconds of the stack's start.
      const watch = page.locator('#camera-list [id^="watch-"]').first();
      const deadline = Date.now() + 30_000;
      while ((await watch.innerText()).includes('离线') && Date.now() < deadline) {
        await page.waitForTimeout(1000);
        await page.reload();
        await seeText(page, '#camera-list', '实验小学 烹饪区');
      }
      await watch.click();
      const video = page.locator('#preview-video video');
      await video.waitFor({ timeout: 15_000 });
      await seeText(page, '#preview', '本店');
      let first = 0;
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        first = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
        if (first > 0) break;
        await page.waitForTimeout(500);
      }
      await page.waitForTimeout(2000);
      expect(first).toBeGreaterThan(0);
      expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(first);
    });
  }, 90_000);
});

describe('the operator theme (H5)', () => {
  it('when a button is disabled, then it is a pale tint of the app blue, not NutUI pink', async () => {
    await journey(browser.browser, 'operator-disabled-button', async (page) => {
      await page.goto(webUrl('/operator/'));
      await seeText(page, '#bind-form', '输入邀请码加入门店');
      // No code typed yet: 加入门店 is disabled.
      const button = page.locator('#bind-button');
      const colour = async () =>
        button.evaluate((b) => `${getComputedStyle(b).backgroundColor} ${getComputedStyle(b).backgroundImage}`);
      expect(await button.evaluate((b) => b.className)).toContain('nut-button-primary-disabled');
      expect(await colour()).toBe('rgb(157, 191, 227) none');
      // Typed: the enabled button is the app's blue (its gradient).
      await page.locator('#bind-input input').fill('ABCDEFGH');
      expect(await colour()).toContain('rgb(11, 92, 173)');
    });
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
