import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API, json, ownerCode, regulatorGet, regulatorPost, shopIdOf } from './api';
import {
  NAME_STROKES,
  OPERATOR_MESSAGES,
  answerConsent,
  drawStrokes,
  journey,
  launchBrowser,
  seeText,
  webUrl,
} from './browser';

interface DemoShop {
  name: string;
  url: string;
}
const demo = (name: string) => {
  const shop = (JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[]).find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};
/** Inside 示范区 (the demo district), where the diner stands when filing. */
const located = (url: string) => url.replace('#', '?loc=120.1553,30.2743#');

/** Screenshots of what the people saw (kept for review; a failed journey's screenshot lands here too). */
const ARTIFACTS = join(__dirname, '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("the regulators' app (H5)", () => {
  it('the first administrator binds with the one-time code, invites an inspector for one district, who then sees only that district; a complaint filed in the public app is accepted at the desk and the diner sees it', async () => {
    const bootstrap = process.env.YG_E2E_BOOTSTRAP_CODE;
    expect(bootstrap).toMatch(/^[A-Z0-9]{10}$/);
    // A shop of another district, which the inspector must not see.
    const elsewhere = await regulatorPost<{ id: string }>('/api/v1/regulator/establishments', {
      name: '外区测试餐馆',
      licence: {
        number: 'JY13399000000099',
        type: 'food_business',
        validFrom: '2024-01-01',
        validTo: '2029-12-31',
      },
      address: '测试区北路 9 号',
      district: '测试区',
      location: { lng: 120.08, lat: 30.2, crs: 'GCJ02' },
      businessType: 'restaurant',
      floorAreaM2: 120,
      dinersPerMeal: 60,
      licensedAt: '2024-01-01',
    });
    expect(elsewhere.id).toMatch(/^[0-9a-f]{24}$/);

    await journey(browser.browser, 'regulator-desk', async (page, context) => {
      // The administrator: signed in to the regulators' app, bound with the one-time code.
      await page.goto(webUrl('/regulator/'));
      await seeText(page, '#bind-form', '绑定监管账号');
      await page.locator('#bind-input input').fill(bootstrap as string);
      await page.locator('#bind-button').click();
      await seeText(page, '#account-role', '市级管理员');
      await seeText(page, '#account-jurisdiction', '全市');

      // … invites an inspector for 示范区 from 账号与邀请.
      await page.locator('#open-accounts').click();
      await seeText(page, '#invite-form', '邀请同事');
      await page.locator('#invite-role-inspector').click();
      await page.locator('#invite-name input').fill('赵检查');
      await page.locator('#invite-districts input').fill('示范区');
      await page.locator('#invite-offices input').fill('示范区市场监督管理所');
      await page.locator('#invite-cert input').fill('ZJ-2026-0815');
      await page.locator('#invite-submit').click();
      await seeText(page, '#invite-code', '邀请码');
      const code = ((await page.locator('#invite-code').innerText()).match(/[A-Z0-9]{10}/) ?? [''])[0];
      expect(code).toMatch(/^[A-Z0-9]{10}$/);
      await seeText(page, '#invitation-list', '待绑定');

      // The inspector, on a phone of their own (another WeChat user), binds with that code.
      const phone = await context.browser()!.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      const inspector = await phone.newPage();
      try {
        await inspector.goto(webUrl('/regulator/'));
        await seeText(inspector, '#bind-form', '绑定监管账号');
        await inspector.locator('#bind-input input').fill(code);
        await inspector.locator('#bind-button').click();
        await seeText(inspector, '#account-role', '监督检查人员 · 执法证号 ZJ-2026-0815');
        await seeText(inspector, '#account-jurisdiction', '示范区；示范区市场监督管理所');
        // The shops of 示范区 only.
        await inspector.locator('#open-shops').click();
        await seeText(inspector, '#shop-list', '金穗饺子馆');
        await inspector.locator('#shop-search input').fill('外区测试餐馆');
        await inspector.locator('#shop-search-button').click();
        await seeText(inspector, '#page-state', '没有找到符合条件的门店');
        // Refused by the API too, whatever the app shows.
        const token = await inspector.evaluate(
          () =>
            (
              JSON.parse(JSON.parse(localStorage.getItem('ygsa.session.regulator') ?? '{}').data ?? '{}') as {
                token?: string;
              }
            ).token ?? '',
        );
        const outside = await fetch(`${API()}/api/v1/regulator/establishments/${elsewhere.id}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(outside.status).toBe(403);
        await inspector.screenshot({ path: join(ARTIFACTS, 'regulator-inspector-shops.png'), fullPage: true });
      } finally {
        await phone.close();
      }

      // A diner files a 投诉 about a 示范区 shop in the public app.
      const diner = await context.browser()!.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      const dinerPage = await diner.newPage();
      let number = '';
      try {
        await dinerPage.goto(located(demo('阳光小厨').url));
        await seeText(dinerPage, '#shop-name', '阳光小厨');
        await dinerPage.locator('#complain-button').click();
        await dinerPage.locator('#category-spoiled').click();
        await dinerPage.locator('#description textarea').fill('凉菜有异味，吃完后肚子不舒服。');
        await dinerPage.locator('#name input').fill('钱女士');
        await dinerPage.locator('#phone input').fill('13900002222');
        await dinerPage.locator('#address input').fill('示范区和平路 2 号 3 单元');
        await dinerPage.locator('#request input').fill('退还餐费');
        await dinerPage.locator('#submit-complaint').click();
        await answerConsent(dinerPage, ['投诉处理进度通知']);
        // Other journeys may have reported this shop from here: file apart from them.
        await dinerPage.locator('#filed, #similar').first().waitFor({ timeout: 15_000 });
        if (await dinerPage.locator('#similar').isVisible()) await dinerPage.locator('#submit-complaint').click();
        await seeText(dinerPage, '#filed', '已提交，编号 TS');
        number = ((await dinerPage.locator('#filed').innerText()).match(/TS\w+/) ?? [''])[0];

        // At the desk: the administrator's queue of complaints to accept, the nearest deadline first.
        await page.goto(webUrl('/regulator/'));
        await seeText(page, '#queue-accept', '待受理投诉举报');
        await page.locator('#open-complaints').click();
        await seeText(page, '#complaint-list', number);
        await page.locator('#complaint-list .queue__item', { hasText: number }).click();
        await seeText(page, '#complaint-detail', '钱女士');
        await seeText(page, '#complaint-deadline', '受理决定期限');
        await page.locator('#action-accept').click();
        await page.locator('#action-words textarea').fill('已受理，请门店配合调查');
        await page.locator('#action-submit').click();
        await seeText(page, '#complaint-status', '已受理');
        await seeText(page, '#complaint-timeline', '已受理，请门店配合调查');
        await page.screenshot({ path: join(ARTIFACTS, 'regulator-complaint-accepted.png'), fullPage: true });

        // The diner's own list shows the step.
        await dinerPage.reload();
        await seeText(dinerPage, '#my-complaints', '已受理：已受理，请门店配合调查');
      } finally {
        await diner.close();
      }

      // The API says the same: accepted, by the administrator's account.
      const list = await json<{ items: { number: string; status: string }[] }>(
        await fetch(`${API()}/api/v1/regulator/complaints?status=accepted`, {
          headers: { Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}` },
        }),
      );
      expect(list.items.find((c) => c.number === number)?.status).toBe('accepted');
    });
  });
  it('双随机: an administrator draws a plan for 示范区, re-runs the draw from its published seed with the same result, and an inspector completes a task from it', async () => {
    const invite = (role: string, name: string, extra: Record<string, unknown> = {}) =>
      regulatorPost<{ code: string }>('/api/v1/regulator/invitations', { role, name, ...extra });
    const admin = await invite('city_admin', '钱管理');
    const inspectors = [
      {
        name: '孙检查',
        ...(await invite('inspector', '孙检查', { districts: ['示范区'], certificateNo: 'ZJ-2026-0901' })),
      },
      {
        name: '李检查',
        ...(await invite('inspector', '李检查', { districts: ['示范区'], certificateNo: 'ZJ-2026-0902' })),
      },
    ];

    await journey(browser.browser, 'regulator-plan', async (page, context) => {
      // Each inspector binds on a phone of their own.
      const phones = [];
      for (const i of inspectors) {
        const phone = await context.browser()!.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
        const p = await phone.newPage();
        await p.goto(webUrl('/regulator/'));
        await p.locator('#bind-input input').fill(i.code);
        await p.locator('#bind-button').click();
        await seeText(p, '#account-role', '监督检查人员');
        phones.push({ ...i, phone, page: p });
      }
      try {
        // The administrator draws a plan of three shops of 示范区.
        await page.goto(webUrl('/regulator/'));
        await page.locator('#bind-input input').fill(admin.code);
        await page.locator('#bind-button').click();
        await seeText(page, '#account-role', '市级管理员');
        await page.locator('#open-plans').click();
        await seeText(page, '#plan-form', '抽取新计划');
        await page.locator('#plan-title input').fill('示范区餐饮服务双随机抽查');
        await page.locator('#plan-districts input').fill('示范区');
        await page.locator('#plan-count input').fill('3');
        await page.locator('#plan-submit').click();
        await seeText(page, '#plan-summary', '抽取 3 家');
        const planId = new URL(page.url().replace('#', '')).searchParams.get('id') as string;
        expect(planId).toMatch(/^[0-9a-f]{24}$/);
        // Anyone can run the draw again from the published seed and input: the same shops and inspectors.
        await page.locator('#plan-verify').click();
        await seeText(page, '#plan-verified', '核验一致');
        await page.screenshot({ path: join(ARTIFACTS, 'regulator-plan-verified.png'), fullPage: true });

        // A task of one of the two inspectors: they find it in their list and close it with the reason.
        const plan = await regulatorGet<{ tasks: { shopName: string; inspectors: { name: string }[] }[] }>(
          `/api/v1/regulator/plans/${planId}`,
        );
        const mine = phones
          .map((p) => ({ p, task: plan.tasks.find((t) => t.inspectors.some((i) => i.name === p.name)) }))
          .find((x) => x.task)!;
        expect(mine).toBeDefined();
        const inspector = mine.p.page;
        await inspector.reload();
        await inspector.locator('#open-tasks').click();
        await seeText(inspector, '#task-list', mine.task!.shopName);
        const card = inspector.locator('.tasks__card', { hasText: mine.task!.shopName }).first();
        await card.locator('.task-close').click();
        await inspector.locator('#task-outcome-not_operating').click();
        await inspector.locator('#task-note textarea').fill('现场大门紧闭，物业称已停业装修');
        await inspector.locator('#task-close-submit').click();
        await seeText(inspector, '#task-list', '未发现开展经营活动：现场大门紧闭');
        await inspector.screenshot({ path: join(ARTIFACTS, 'regulator-task-closed.png'), fullPage: true });

        // The plan shows it done, and so does the open data.
        await page.reload();
        await seeText(page, '#plan-summary', '已完成 1 家');
        const open = await json<{ done: number }>(await fetch(`${API()}/api/v1/open/plans/${planId}`));
        expect(open.done).toBe(1);
      } finally {
        for (const p of phones) await p.phone.close();
      }
    });
  });
  it('现场检查: an inspector of 示范区 and a colleague inspect a shop with the checklist and a photo, both sign and so does the shop’s representative; the diner’s page shows the inspection, the owner gets a notice for the 不符合 item and replies, and the desk accepts the reply', async () => {
    const shopId = await shopIdOf('金穗饺子馆');
    const invite = (name: string, certificateNo: string) =>
      regulatorPost<{ code: string }>('/api/v1/regulator/invitations', {
        role: 'inspector',
        name,
        districts: ['示范区'],
        certificateNo,
      });
    const first = await invite('冯检查', 'ZJ-2026-1001');
    const second = await invite('陈检查', 'ZJ-2026-1002');
    const note = '冷藏柜温度 12℃，生熟食品混放';

    await journey(browser.browser, 'regulator-inspection', async (page, context) => {
      const phone = await context.browser()!.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      const colleague = await phone.newPage();
      try {
        await colleague.goto(webUrl('/regulator/'));
        await colleague.locator('#bind-input input').fill(second.code);
        await colleague.locator('#bind-button').click();
        await seeText(colleague, '#account-role', 'ZJ-2026-1002');

        // The first inspector opens the shop from the district's list and starts with the colleague.
        await page.goto(webUrl('/regulator/'));
        await page.locator('#bind-input input').fill(first.code);
        await page.locator('#bind-button').click();
        await seeText(page, '#account-role', 'ZJ-2026-1001');
        await page.locator('#open-shops').click();
        await page.locator('#shop-search input').fill('金穗饺子馆');
        await page.locator('#shop-search-button').click();
        await page.locator('#shop-list .shops__item', { hasText: '金穗饺子馆' }).click();
        // The shop as a regulator sees it: risk, self-check on-time rates, notices, timeline, complaints.
        await seeText(page, '#shop-risk', '风险等级');
        await seeText(page, '#shop-selfchecks', '日管控（近 30 天）');
        await seeText(page, '#shop-timeline', '执法时间线');
        await page.locator('#start-inspection').click();
        await page.locator('.inspect-colleague', { hasText: '陈检查' }).click();
        await page.locator('#inspect-begin').click();
        await seeText(page, '#inspect-score', '未检查');

        // One item 不符合, with the problem written down and a photo; the rest 符合.
        await page.locator('.item-1-nonconform').click();
        await page.locator('.item-1-note input').fill(note);
        await page.locator('.item-1-note input').blur();
        const chooser = page.waitForEvent('filechooser');
        await page.locator('.item-1-photo').click();
        await (await chooser).setFiles(join(__dirname, 'fixtures', 'kitchen.png'));
        await seeText(page, '#item-1', '拍照取证（1）');
        await page.locator('#inspect-rest-conform').click();
        // Every item judged: the button goes, and the record can be made.
        await page.locator('#inspect-rest-conform').waitFor({ state: 'detached', timeout: 15_000 });
        await page.locator('#inspect-finish').click();
        await seeText(page, '#inspect-record', note);

        // Both inspectors sign, each on their own phone; the representative on the inspector's.
        await drawStrokes(page, context, '#inspector-pad', NAME_STROKES, 'mouse');
        await page.locator('#inspector-sign-submit').click();
        await seeText(page, '#inspect-signing', '冯检查：已签名');
        await page.locator('#rep-name input').fill('金老板');
        await page.locator('#rep-title input').fill('负责人');
        await drawStrokes(page, context, '#representative-pad', NAME_STROKES, 'mouse');
        await page.locator('#representative-sign-submit').click();
        await seeText(page, '#inspect-rep-state', '金老板 已签名');

        await colleague.reload();
        await colleague.locator('#open-inspections').click();
        await colleague.locator('#onsite-list .onsites__card', { hasText: '金穗饺子馆' }).first().click();
        await seeText(colleague, '#inspect-record', note);
        await drawStrokes(colleague, phone, '#inspector-pad', NAME_STROKES, 'mouse');
        await colleague.locator('#inspector-sign-submit').click();
        await seeText(colleague, '#inspect-recorded', '已向门店发出 1 份整改通知');
        await colleague.screenshot({ path: join(ARTIFACTS, 'regulator-inspection-recorded.png'), fullPage: true });
      } finally {
        await phone.close();
      }
    });

    // The diner's page of the shop shows the inspection with its finding.
    await journey(browser.browser, 'inspection-public', async (page) => {
      await page.goto(demo('金穗饺子馆').url);
      await seeText(page, '#inspections', note);
    });

    // The owner finds the rectification notice in the operator app.
    const code = await ownerCode(shopId);
    await journey(browser.browser, 'inspection-notice', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#enforcement-alert', '整改通知待回复');
      await page.locator('#enforcement-alert').click();
      await answerConsent(page, OPERATOR_MESSAGES);
      await seeText(page, '#notices', '监督检查发现问题');
      // … and replies with a photo of the work done.
      await page.locator('[id^="notice-"]', { hasText: '监督检查发现问题' }).first().click();
      await seeText(page, '#notice', note);
      await page.locator('#reply-text textarea').fill('已维修冷藏柜并分区存放生熟食品');
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#reply-photo').click();
      await (await chooser).setFiles(join(__dirname, 'fixtures', 'kitchen.png'));
      await seeText(page, '#reply-form', '已上传 1 张');
      await page.locator('#submit-reply').click();
      await seeText(page, '#notice-status', '已回复，待审核');
    });

    // The desk accepts the reply (the city administrator of the demo, bound with another invitation).
    const desk = await regulatorPost<{ code: string }>('/api/v1/regulator/invitations', {
      role: 'city_admin',
      name: '卫审核',
    });
    await journey(browser.browser, 'inspection-reply-review', async (page) => {
      await page.goto(webUrl('/regulator/'));
      await page.locator('#bind-input input').fill(desk.code);
      await page.locator('#bind-button').click();
      await seeText(page, '#account-role', '市级管理员');
      await page.locator('#queue-replies').click();
      const item = page.locator('.desk-item', { hasText: '已维修冷藏柜' });
      await item.locator('.desk-action-accept').click();
      await item.locator('.desk-words textarea').fill('整改到位');
      await item.locator('[id^="desk-submit-"]').click();
      await item.waitFor({ state: 'detached', timeout: 15_000 });
    });
    const reviewed = await json<{ status: string; reason: string }[]>(
      await fetch(`${API()}/api/v1/regulator/notices?establishmentId=${shopId}&status=accepted`, {
        headers: { Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}` },
      }),
    );
    expect(reviewed.some((n) => JSON.stringify(n).includes('整改到位'))).toBe(true);
  }, 120_000);
  it('许可数据导入: an administrator uploads a licence CSV; a file with a bad row is refused with the row named, the corrected one is checked, confirmed and written with its progress', async () => {
    const admin = await regulatorPost<{ code: string }>('/api/v1/regulator/invitations', {
      role: 'city_admin',
      name: '许导入',
    });
    const header =
      '名称,许可证编号,许可证类型,有效期起,有效期至,地址,所属辖区,经度,纬度,坐标系,业态,经营面积,每餐就餐人数,许可日期,营业时间,状态';
    const stamp = String(Date.now()).slice(-8);
    const row = (n: number, validTo = '2029-12-31') =>
      `导入测试餐馆${n},JY1339${stamp}0${n},食品经营许可证,2024-01-01,${validTo},导入路${n}号,测试区,120.08,30.2,GCJ02,餐馆,80,40,2024-01-01,10:00-21:00,正常营业`;
    const dir = join(ARTIFACTS, 'import');
    mkdirSync(dir, { recursive: true });
    const bad = join(dir, 'licences-bad.csv');
    const good = join(dir, 'licences.csv');
    writeFileSync(bad, ['\uFEFF' + header, row(1), row(2, '2029-13-40')].join('\n'));
    writeFileSync(good, ['\uFEFF' + header, row(1), row(2)].join('\n'));

    await journey(browser.browser, 'regulator-import', async (page) => {
      await page.goto(webUrl('/regulator/'));
      await page.locator('#bind-input input').fill(admin.code);
      await page.locator('#bind-button').click();
      await seeText(page, '#account-role', '市级管理员');
      await page.locator('#open-import').click();

      let chooser = page.waitForEvent('filechooser');
      await page.locator('#import-choose').click();
      await (await chooser).setFiles(bad);
      await seeText(page, '#import-problems', '未导入');
      await seeText(page, '#import-problems', '第3行「有效期至」');

      chooser = page.waitForEvent('filechooser');
      await page.locator('#import-choose').click();
      await (await chooser).setFiles(good);
      await seeText(page, '#import-check', '共 2 行：新增 2 家');
      await page.locator('#import-confirm').click();
      await seeText(page, '#import-report', '导入完成：新增 2 家');
      await page.screenshot({ path: join(ARTIFACTS, 'regulator-import.png'), fullPage: true });
    });
    const listed = await regulatorGet<{ items: { name: string }[] }>(
      `/api/v1/regulator/establishments?q=${encodeURIComponent(`导入测试餐馆`)}&pageSize=100`,
    );
    expect(listed.items.map((s) => s.name)).toEqual(expect.arrayContaining(['导入测试餐馆1', '导入测试餐馆2']));
  });
});
