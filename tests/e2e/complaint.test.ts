import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAGES } from '@ygsa/shared';
import { API, json, regulatorHeaders, shopIdOf } from './api';
import { answerConsent, journey, launchBrowser, seeText, webUrl } from './browser';

interface DemoShop {
  name: string;
  url: string;
}
const demo = (name: string) => {
  const shop = (JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[]).find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};
/** Where the diners stand (GCJ-02, inside 示范区): distinctive digits, so a leak of it is found by search. */
const FILED_AT = { lng: '120.15532', lat: '30.27431' };
/** The position a phone would report, fixed for the test: before the # route. */
const located = (url: string) => url.replace('#', `?loc=${FILED_AT.lng},${FILED_AT.lat}#`);

/**
 * Every answer the public app received in these journeys (regulator calls are the test's own), and
 * what identifies each filer: at the end none of it may appear in any of those answers.
 */
const publicAnswers: string[] = [];
const filers: string[] = [];
function collectAnswers(page: import('playwright-core').Page) {
  page.on('response', (res) => {
    if (!res.url().includes('/api/') || res.url().includes('/regulator/')) return;
    void res.text().then(
      (t) => publicAnswers.push(t),
      () => undefined,
    );
  });
}
/** The page's simulated WeChat user (the H5 build keeps it in storage). */
const devUser = (page: import('playwright-core').Page) =>
  page.evaluate(() => (JSON.parse(localStorage.getItem('ygsa.devWeChatUser') ?? '{}') as { data?: string }).data ?? '');
/** Its openid in the public app, as the WeChat stand-in derives it. */
async function openidOf(page: import('playwright-core').Page): Promise<string> {
  return (
    'o' +
    createHash('sha256')
      .update(`wx5067a1c0de000001:${await devUser(page)}`)
      .digest('base64url')
      .slice(0, 27)
  );
}
/** The phone number the stand-in says this user has bound to WeChat. */
async function phoneOf(page: import('playwright-core').Page): Promise<string> {
  const n = parseInt(
    createHash('sha256')
      .update(`phone:${await devUser(page)}`)
      .digest('hex')
      .slice(0, 12),
    16,
  );
  return `139${String(n % 100_000_000).padStart(8, '0')}`;
}
const STAND_IN = () => process.env.YG_E2E_FAKE_WECHAT_URL as string;
const publicPages = (): string[] => {
  const app = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'miniprogram-public', 'dist', 'weapp', 'app.json'), 'utf8'),
  ) as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
  return [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
};

interface Delivered {
  appid: string;
  page: string;
  template_id: string;
  data: Record<string, { value: string }>;
}

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The signed-in diner's token, as the H5 build keeps it. */
const tokenOf = async (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const raw = localStorage.getItem('ygsa.session.public');
    return (JSON.parse(JSON.parse(raw ?? '{}').data ?? '{}') as { token?: string }).token ?? '';
  });

describe('a diner files a complaint (public app, H5)', () => {
  it("when filed with a photo, an address and WeChat's verified phone, after allowing status messages, then a regulator's acceptance reaches the diner's WeChat, opening a page the app has", async () => {
    await journey(browser.browser, 'complaint', async (page) => {
      collectAnswers(page);
      await page.goto(located(demo('金穗饺子馆').url));
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
      // 手机号快速验证: the number WeChat holds for this user is used, shown masked on the phone.
      await page.locator('#phone-from-wechat').click();
      await seeText(page, '#phone-verified', '微信已验证');
      const phone = await phoneOf(page);
      expect(await page.locator('#phone-verified').innerText()).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      filers.push('王小明', phone, '示范区幸福路 8 号 2 单元', await openidOf(page));
      await page.locator('#address input').fill('示范区幸福路 8 号 2 单元');
      await page.locator('#request input').fill('退款并整改');
      await page.locator('#submit-complaint').click();
      // WeChat's consent sheet comes in the same tap, before anything is sent.
      await answerConsent(page, ['投诉处理进度通知']);

      await seeText(page, '#filed', '已提交，编号 TS');
      const number = ((await page.locator('#filed').innerText()).match(/TS\w+/) ?? [''])[0];
      await seeText(page, '#my-complaints', '投诉 · 金穗饺子馆 · 异物');
      await seeText(page, '#my-complaints', '受理决定期限');

      const list = await json<{
        items: { id: string; number: string; photos: string[]; complainant: Record<string, unknown> }[];
      }>(await fetch(`${API()}/api/v1/regulator/complaints?status=submitted`, { headers: regulatorHeaders() }));
      const mine = list.items.find((c) => c.number === number);
      expect(mine?.photos).toHaveLength(1);
      expect(mine?.complainant).toEqual({
        name: '王小明',
        phone,
        phoneVerified: true,
        address: '示范区幸福路 8 号 2 单元',
        request: '退款并整改',
      });
      const accepted = await fetch(`${API()}/api/v1/regulator/complaints/${mine?.id}/actions`, {
        method: 'POST',
        headers: regulatorHeaders(),
        body: JSON.stringify({ action: 'accept', note: '已受理，将组织调解' }),
      });
      expect(accepted.status).toBe(200);

      // The stand-in delivered the status message: the public app's template, a page the app has.
      let message: Delivered | undefined;
      for (let i = 0; i < 50 && !message; i += 1) {
        const inbox = await json<{ messages: Delivered[] }>(await fetch(`${STAND_IN()}/__fake__/messages`));
        message = inbox.messages.find((m) => m.data.character_string1?.value === number);
        if (!message) await new Promise((r) => setTimeout(r, 100));
      }
      expect(message).toMatchObject({
        template_id: 'dev-complaint-status',
        page: PAGES.public.complaints,
        data: {
          phrase2: { value: '已受理' },
          thing3: { value: '金穗饺子馆' },
          thing5: { value: '已受理，将组织调解' },
        },
      });
      expect(publicPages()).toContain(message?.page.split('?')[0]);

      await page.reload();
      await seeText(page, '#my-complaints', '已受理：已受理，将组织调解');
      await seeText(page, '#my-complaints', '调解期限');
    });
  });

  it('我也遇到: a second diner nearby sees that the matter exists (not its words) and joins it with a complaint of their own', async () => {
    await journey(browser.browser, 'complaint-join', async (page) => {
      collectAnswers(page);
      await page.goto(located(demo('金穗饺子馆').url));
      await page.locator('#complain-button').click();
      await page.locator('#category-foreign_object').click();
      await page.locator('#description textarea').fill('同一天中午也吃出了塑料片，孩子差点咽下去。');
      await page.locator('#name input').fill('李四');
      await page.locator('#phone input').fill('13900001111');
      await page.locator('#address input').fill('示范区新华路 6 号');
      await page.locator('#request input').fill('赔偿');
      filers.push('李四', '13900001111', '示范区新华路 6 号', await openidOf(page));
      await page.locator('#submit-complaint').click();
      await answerConsent(page, ['投诉处理进度通知']);
      await seeText(page, '#similar', '异物');
      const line = await page.locator('#similar').innerText();
      expect(line).not.toContain('塑料');
      expect(line).toContain('米内');
      await page.locator('[id^="join-"]').first().click();
      await seeText(page, '#filed', '已提交，编号 TS');
      await seeText(page, '#my-complaints', '投诉 · 金穗饺子馆 · 异物');
      const number = ((await page.locator('#filed').innerText()).match(/TS\w+/) ?? [''])[0];
      const list = await json<{ items: { number: string; groupId: string | null; complainant: { name: string } }[] }>(
        await fetch(`${API()}/api/v1/regulator/complaints?status=submitted`, { headers: regulatorHeaders() }),
      );
      const party = list.items.find((c) => c.number === number);
      expect(party?.groupId).toEqual(expect.any(String));
      expect(party?.complainant.name).toBe('李四');
    });
  });

  it("when the text has a word on the stand-in's risky list, then it is refused with a message and the draft stays", async () => {
    await journey(browser.browser, 'complaint-risky', async (page) => {
      collectAnswers(page);
      await page.goto(located(demo('阳光小厨').url));
      await page.locator('#complain-button').click();
      await page.locator('#type-report').click();
      await page.locator('#anonymous').click();
      await page.locator('#category-other').click();
      await page.locator('#description textarea').fill('老板说可以代开发票，后厨卫生很差。');
      await page.locator('#submit-complaint').click();
      // Others may have reported this shop from here (another journey): file apart from them.
      await page.locator('#complaint-error, #similar').first().waitFor({ timeout: 15_000 });
      if (await page.locator('#similar').isVisible()) await page.locator('#submit-complaint').click();
      await seeText(page, '#complaint-error', '未通过微信内容安全检查');
      expect(await page.locator('#description textarea').inputValue()).toContain('代开发票');
      const shop = await shopIdOf('阳光小厨');
      const list = await json<{ items: { description: string }[] }>(
        await fetch(`${API()}/api/v1/regulator/complaints?establishmentId=${shop}`, { headers: regulatorHeaders() }),
      );
      expect(list.items.some((c) => c.description.includes('代开发票'))).toBe(false);
    });
  });

  it('when the stand-in later flags a photo, then the filer sees it no more and regulators still do', async () => {
    await journey(browser.browser, 'complaint-flagged-photo', async (page) => {
      collectAnswers(page);
      await page.goto(located(demo('阳光小厨').url));
      await page.locator('#complain-button').click();
      await page.locator('#type-report').click();
      await page.locator('#category-unhygienic').click();
      await page.locator('#description textarea').fill('后厨垃圾桶未加盖，地面有积水，见照片。');
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#add-photo').click();
      await (await chooser).setFiles(join(__dirname, 'fixtures', 'flagged.png'));
      await seeText(page, '#photo-count', '已上传 1/9 张');
      await page.locator('#submit-complaint').click();
      await answerConsent(page, ['投诉处理进度通知']);
      // Others may have reported this shop from here: file apart from them.
      await page.locator('#filed, #similar').first().waitFor({ timeout: 15_000 });
      if (await page.locator('#similar').isVisible()) await page.locator('#submit-complaint').click();
      await seeText(page, '#filed', '已提交，编号 JB');
      const number = ((await page.locator('#filed').innerText()).match(/JB\w+/) ?? [''])[0];
      const shop = await shopIdOf('阳光小厨');
      const list = await json<{ items: { number: string; photos: string[] }[] }>(
        await fetch(`${API()}/api/v1/regulator/complaints?establishmentId=${shop}`, { headers: regulatorHeaders() }),
      );
      const photo = list.items.find((c) => c.number === number)?.photos[0];
      const token = await tokenOf(page);
      const asFiler = () =>
        fetch(`${API()}/api/v1/uploads/${photo}`, { headers: { Authorization: `Bearer ${token}` } });
      let status = 0;
      for (let i = 0; i < 60 && status !== 403; i += 1) {
        status = (await asFiler()).status;
        if (status !== 403) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(403);
      expect(((await (await asFiler()).json()) as { error: { message: string } }).error.message).toBe(
        '该图片未通过内容安全检查，仅监管部门可见',
      );
      const asRegulator = await fetch(`${API()}/api/v1/uploads/${photo}`, { headers: regulatorHeaders() });
      expect(asRegulator.status).toBe(200);
    });
  });

  it('from the home page: search by name, pick from nearby, or report a street stall that is not listed (routed by position)', async () => {
    await journey(browser.browser, 'complaint-unlisted-stall', async (page) => {
      collectAnswers(page);
      await page.goto(webUrl(`/public/?loc=${FILED_AT.lng},${FILED_AT.lat}`));
      await page.locator('#complain-link').click();
      await seeText(page, '#nearby-shops', '阳光小厨');
      await page.locator('#shop-search input').fill('饺子');
      await page.locator('#shop-search-button').click();
      await seeText(page, '#shop-results', '金穗饺子馆');
      await page.locator('#unlisted').click();
      const place = '人民路菜市场东门夜间流动烧烤摊';
      await page.locator('#place textarea').fill(place);
      await page.locator('#type-report').click();
      await page.locator('#anonymous').click();
      await page.locator('#category-unlicensed').click();
      await page.locator('#description textarea').fill('每晚在菜市场门口无证摆摊烧烤，肉串放在地上的泡沫箱里。');
      await page.locator('#submit-complaint').click();
      await seeText(page, '#filed', '已提交，编号 JB');
      await seeText(page, '#my-complaints', place);
      const number = ((await page.locator('#filed').innerText()).match(/JB\w+/) ?? [''])[0];
      const list = await json<{
        items: { number: string; establishmentId: string | null; shopName: string; office: string }[];
      }>(await fetch(`${API()}/api/v1/regulator/complaints?status=submitted`, { headers: regulatorHeaders() }));
      expect(list.items.find((c) => c.number === number)).toMatchObject({
        establishmentId: null,
        shopName: place,
        office: '示范区市场监督管理所',
      });
    });
  });

  it('a refused field is named under the field, once, in a plain sentence, and goes when the field is changed', async () => {
    await journey(browser.browser, 'complaint-field-errors', async (page) => {
      collectAnswers(page);
      await page.goto(located(demo('老街面馆').url));
      await page.locator('#complain-button').click();
      await page.locator('#category-spoiled').click();
      await page.locator('#description textarea').fill('面条有酸味，疑似变质。');
      await page.locator('#name input').fill('王');
      await page.locator('#phone input').fill('13900002222');
      await page.locator('#address input').fill('示范区');
      await page.locator('#request input').fill('退款');
      await page.locator('#submit-complaint').click();
      await answerConsent(page, ['投诉处理进度通知']);
      await seeText(page, '#error-name', '姓名至少 2 个字');
      await seeText(page, '#error-address', '请填写通讯地址（至少 5 个字）');
      await seeText(page, '#complaint-error', '请按提示修改后再提交');
      expect(await page.locator('.complaint__field-error').count()).toBe(2);
      await page.locator('#name input').fill('王小红');
      await page.locator('#error-name').waitFor({ state: 'detached' });
      expect(await page.locator('#error-address').count()).toBe(1);
    });
  });

  it("no answer the public app received carries a filer's name, phone, address, openid or position", () => {
    expect(publicAnswers.length).toBeGreaterThan(20);
    const all = publicAnswers.join('\n');
    const found = [...filers, FILED_AT.lng, FILED_AT.lat].filter((v) => v && all.includes(v));
    expect(found).toEqual([]);
  });
});
