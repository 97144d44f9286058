import { journey, launchBrowser, seeText, webUrl } from './browser';

interface DemoShop {
  name: string;
  grade: string;
  /** Enters the shop page as a 小程序码 does: pages/shop/index?scene=<payload>. */
  url: string;
  /** What the shop's printed QR code encodes (WeChat opens the shop page with it as q). */
  printed: string;
}
const demoShops = (): DemoShop[] => JSON.parse(process.env.YG_E2E_DEMO_SHOPS ?? '[]') as DemoShop[];
const demo = (name: string) => {
  const shop = demoShops().find((s) => s.name === name);
  if (!shop) throw new Error(`demo shop ${name} not seeded`);
  return shop;
};

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('a diner scans a shop (public app, H5)', () => {
  it('when the code of a green shop is opened, then the page shows A, green, its date and, on tap, its reasons', async () => {
    await journey(browser.browser, 'scan-green-shop', async (page) => {
      await page.goto(demo('阳光小厨').url);
      await seeText(page, '#shop-name', '阳光小厨');
      const badge = page.locator('#grade-badge');
      await seeText(page, '#grade-badge', 'A');
      await seeText(page, '#grade-badge', '优秀');
      expect(await badge.getAttribute('data-colour')).toBe('green');
      expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(26, 127, 55)');
      await seeText(page, '#grade-date', '评级依据截至');
      await page.locator('#grade-badge').click();
      await seeText(page, '#grade-reasons', '近12个月检查2次，均为优秀');
      await seeText(page, '#inspections', '后厨整洁，留样规范');
      await seeText(page, '#penalties', '近三年无行政处罚记录');
    });
  });

  it('when a red shop is opened, then C, red, with its penalty in the public file', async () => {
    await journey(browser.browser, 'scan-red-shop', async (page) => {
      await page.goto(demo('夜市烧烤').url);
      await seeText(page, '#grade-badge', 'C');
      expect(await page.locator('#grade-badge').getAttribute('data-colour')).toBe('red');
      await seeText(page, '#penalties', '警告，罚款 3000 元');
    });
  });

  it('when a new shop is opened, then 待评级 with why, and no colour grade', async () => {
    await journey(browser.browser, 'scan-new-shop', async (page) => {
      await page.goto(demo('云朵甜品（新开业）').url);
      await seeText(page, '#grade-badge', '待评级');
      expect(await page.locator('#grade-badge').getAttribute('data-colour')).toBe('grey');
      await seeText(page, '#grade-date', '新开业');
    });
  });

  it('when a forged code is opened, then a clear warning, no shop, and the way home', async () => {
    await journey(browser.browser, 'scan-forged', async (page) => {
      const forged = demo('阳光小厨').url.replace(/.{3}$/, 'xyz');
      await page.goto(forged);
      await seeText(page, '#error-state', '二维码无效');
      await seeText(page, '#error-state', '请勿在该页面付款');
      expect(await page.locator('#shop-name').count()).toBe(0);
      await page.locator('#go-home').click();
      await seeText(page, '#status-link', '服务状态');
    });
  });

  it('when a scene is tampered with (not a code of ours at all), then the refusal without asking the API', async () => {
    await journey(browser.browser, 'scan-tampered', async (page) => {
      const calls: string[] = [];
      page.on('request', (r) => r.url().includes('/api/v1/public/shops') && calls.push(r.url()));
      await page.goto(demo('阳光小厨').url.replace(/scene=.*$/, `scene=${encodeURIComponent('<script>x</script>')}`));
      await seeText(page, '#error-state', '二维码无效');
      expect(calls).toEqual([]);
    });
  });

  it("when the app is entered anew (hot start) on the shop page with another shop's scene, then that shop", async () => {
    await journey(browser.browser, 'scan-hot-reentry', async (page) => {
      await page.goto(demo('阳光小厨').url);
      await seeText(page, '#shop-name', '阳光小厨');
      const other = new URL(demo('夜市烧烤').url);
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, other.hash);
      await seeText(page, '#shop-name', '夜市烧烤');
      await seeText(page, '#grade-badge', 'C');
    });
  });

  it('when a printed code is scanned, then WeChat opens the shop page with q (the encoded address), and the shop shows', async () => {
    await journey(browser.browser, 'scan-printed', async (page) => {
      await page.goto(demo('金穗饺子馆').printed);
      expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`q=${demo('金穗饺子馆').printed}`);
      await seeText(page, '#shop-name', '金穗饺子馆');
      await page.goto(demo('金穗饺子馆').printed.replace(/c=.*$/, 'c=hello'));
      await seeText(page, '#error-state', '二维码无效');
    });
  });

  it('a shop without cameras says so on the button, which leads nowhere', async () => {
    await journey(browser.browser, 'live-none', async (page) => {
      await page.goto(demo('老街面馆').url);
      await seeText(page, '#live-button', '尚未接入明厨亮灶');
      await page.locator('#live-button').click({ force: true });
      expect(page.url()).toContain('pages/shop/index');
      expect(await page.locator('#live-empty').count()).toBe(0);
    });
  });

  it("when a shop's licence has run out, its standing leads the page and the list, its A is marked not valid, and it is off the 红榜", async () => {
    await journey(browser.browser, 'shop-licence-expired', async (page) => {
      const name = '桂香小馆（许可证过期）';
      await page.goto(demo(name).url);
      await seeText(page, '#standing', '许可证已过期');
      await seeText(page, '#standing', '不得经营');
      await seeText(page, '#grade-void', '该等级当前无效');
      expect(await page.locator('.shop__grade--void').count()).toBe(1);
      await seeText(page, '#licence', '许可证已过期');
      await seeText(page, '#updated-at', '档案更新于');

      await page.goto(webUrl('/public/?loc=120.1551,30.2741'));
      await page.locator('#search-input input').fill('桂香');
      await page.locator('#search-button').click();
      await seeText(page, '.shop-list__item', '许可证已过期 · 等级当前无效');
      await page.goto(webUrl('/public/?loc=120.1551,30.2741'));
      await page.locator('#board-link').click();
      await seeText(page, '#red-list', '阳光小厨');
      expect(await page.locator('#red-list').innerText()).not.toContain('桂香小馆');
    });
  });

  it('a shop under an incident investigation says so (not 新开业), with the date grading resumes, and counts its open notice', async () => {
    await journey(browser.browser, 'shop-incident', async (page) => {
      await page.goto(demo('鲜味海鲜酒楼').url);
      await seeText(page, '#grade-badge', '事故调查期间暂停评级');
      await seeText(page, '#grade-date', '起恢复');
      await seeText(page, '#open-rectifications', '项');
      expect(await page.locator('#open-rectifications').innerText()).not.toContain('暂无整改记录');
    });
  });
});

describe('the home page (public app, H5)', () => {
  it('when a location is known, then nearby shops come nearest first, and the district 红黑榜 opens', async () => {
    await journey(browser.browser, 'home-nearby', async (page) => {
      await page.goto(webUrl('/public/?loc=120.1551,30.2741'));
      await seeText(page, '.shop-list__item', '阳光小厨'); // 144 m from the centre: the nearest
      expect(await page.locator('.shop-list__name').first().innerText()).toBe('阳光小厨');
      await page.locator('#board-link').click();
      await seeText(page, '#red-list', '阳光小厨');
      await seeText(page, '#black-list', '好味快餐');
      await seeText(page, '#black-list', '行政处罚');
    });
  });

  it('when searching by name, then the shop is found and opens', async () => {
    await journey(browser.browser, 'home-search', async (page) => {
      await page.goto(webUrl('/public/?loc=120.1551,30.2741'));
      await page.locator('#search-input input').fill('饺子');
      await page.locator('#search-button').click();
      await seeText(page, '.shop-list__item', '金穗饺子馆');
      await page.locator('.shop-list__item', { hasText: '金穗饺子馆' }).click();
      await seeText(page, '#grade-badge', 'B');
    });
  });
});
