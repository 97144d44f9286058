import { journey, launchBrowser, seeText, webUrl } from './browser';

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe.each([
  { app: 'public', page: '#/more/status/index', title: '阳光食安', role: '食客' },
  { app: 'operator', page: '#/more/status/index', title: '阳光食安 · 经营端', role: '经营者' },
])('the $app app (H5)', ({ app, page: route, title, role }) => {
  it(`when opened, then it signs in through WeChat as a ${role} and shows the service healthy`, async () => {
    await journey(browser.browser, `${app}-opens`, async (page) => {
      await page.goto(webUrl(`/${app}/${route}`));
      await seeText(page, '.index-page__title', title);
      await seeText(page, '#login-status', `已登录 · ${role}`);
      await seeText(page, '#health-api', '正常 · 版本');
      await seeText(page, '#health-db', '正常');
    });
  });

  it('when reloaded, then the kept session is reused and the page still shows the same account', async () => {
    await journey(browser.browser, `${app}-reload`, async (page) => {
      const logins: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/auth/wechat')) logins.push(r.url());
      });
      await page.goto(webUrl(`/${app}/${route}`));
      await seeText(page, '#login-status', '已登录');
      await page.reload();
      await seeText(page, '#login-status', '已登录');
      await page.locator('#reload').click();
      await seeText(page, '#health-db', '正常');
      expect(logins).toHaveLength(1);
    });
  });
});
