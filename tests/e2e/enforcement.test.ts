import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API, aiBoxOf, json, ownerCode, regulatorHeaders, regulatorPost, sendCapture, shopIdOf } from './api';
import { OPERATOR_MESSAGES, answerConsent, drawSignature, journey, launchBrowser, seeText, webUrl } from './browser';

const PHOTO = join(__dirname, 'fixtures', 'kitchen.png');

/** A capture of the shop's kitchen photo, as its AI box sends it (tests/e2e/api.ts). */
const postCapture = (box: { id: string; key: string; cameraId: string }, category: string) =>
  sendCapture(box, category, readFileSync(PHOTO));

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('AI captures and enforcement in the operator app (H5)', () => {
  it('when an AI box reports rats in the kitchen, then the owner gets a rectification notice and replies with a photo', async () => {
    const shopId = await shopIdOf('好味快餐');
    const box = await aiBoxOf(shopId);
    const capture = await postCapture(box, 'pests');
    expect(capture.outcome.step).toBe('notice');
    const code = await ownerCode(shopId);

    await journey(browser.browser, 'enforcement-notice', async (page) => {
      await page.goto(webUrl('/operator/'));
      await page.locator('#bind-input input').fill(code);
      await page.locator('#bind-button').click();
      await seeText(page, '#enforcement-alert', '1 份整改通知待回复');
      await page.locator('#enforcement-alert').click();
      // The tap that makes enforcement messages useful asks for them (all three of the app's at once).
      await answerConsent(page, OPERATOR_MESSAGES);
      await seeText(page, '#notices', '鼠患/虫害');
      await page.locator('[id^="notice-"]').first().click();
      await seeText(page, '#notice', '整改期限');
      await seeText(page, '#evidence', '烹饪区');
      await page.locator('#evidence img').first().waitFor({ timeout: 15_000 }); // the snapshot loads
      await page.locator('#reply-text textarea').fill('已请专业公司灭鼠并封堵下水道口');
      const chooser = page.waitForEvent('filechooser');
      await page.locator('#reply-photo').click();
      await (await chooser).setFiles(PHOTO);
      await seeText(page, '#reply-form', '已上传 1 张');
      await page.locator('#submit-reply').click();
      await seeText(page, '#notice-status', '已回复，待审核');
      await seeText(page, '#history', '已请专业公司灭鼠');
    });

    const notices = await json<{ id: string; status: string; replies: { photos: string[] }[] }[]>(
      await fetch(`${API()}/api/v1/regulator/notices?establishmentId=${shopId}`, { headers: regulatorHeaders() }),
    );
    expect(notices[0]).toMatchObject({ status: 'replied' });
    expect(notices[0]?.replies[0]?.photos).toHaveLength(1);
  }, 90_000);

  it('when a regulator confirms a case, then the owner consents to e-delivery, sees the evidence, confirms and signs the exact text', async () => {
    const shopId = await shopIdOf('夜市烧烤');
    const box = await aiBoxOf(shopId);
    const capture = await postCapture(box, 'smoking');
    const opened = await regulatorPost<{ id: string }>(`/api/v1/regulator/establishments/${shopId}/cases`, {
      idempotencyKey: `e2e-case-${randomBytes(4).toString('hex')}`,
      category: 'smoking',
      captureIds: [capture.id],
      notes: '烹饪区工作人员吸烟，抓拍清晰',
    });
    const code = await ownerCode(shopId);
    let shownText = '';

    await journey(
      browser.browser,
      'enforcement-case',
      async (page, context) => {
        await page.goto(webUrl('/operator/'));
        await page.locator('#bind-input input').fill(code);
        await page.locator('#bind-button').click();
        await seeText(page, '#enforcement-alert', '1 件执法文书待处理');
        await page.locator('#enforcement-alert').click();
        await answerConsent(page, OPERATOR_MESSAGES);
        await page.locator(`#case-${opened.id}`).click();
        await seeText(page, '#consent', '送达地址确认书');
        await page.locator('#consent-name input').fill('赵老板');
        await page.locator('#consent-submit').click();
        await seeText(page, '.enf__error', '请勾选同意以电子方式送达');
        await page.locator('#consent-agree').click();
        await page.locator('#consent-submit').click();
        await seeText(page, '#document', '非现场执法告知书');
        await seeText(page, '#document', '烹饪区工作人员吸烟');
        await seeText(page, '#case-evidence', '证据（1 项）');
        await page.locator('#confirm-facts').click();
        await seeText(page, '#to-sign', '当事人意见：对上述违法事实及证据无异议。');
        shownText = await page.locator('#to-sign').innerText();

        await drawSignature(page, context, '#case-signature');
        await page.locator('#submit-signature').click();
        await seeText(page, '#signed', '签名');
        await seeText(page, '#case-status', '已签名，待作出决定');
      },
      { touch: true },
    );

    const kase = await json<{
      status: string;
      deliveredAt: string | null;
      signature: { documentSha256: string } | null;
      toSign: { text: string; sha256: string };
    }>(await fetch(`${API()}/api/v1/regulator/cases/${opened.id}`, { headers: regulatorHeaders() }));
    expect(kase.status).toBe('signed');
    expect(kase.deliveredAt).not.toBeNull();
    // What the phone showed is what was signed: same text, same hash.
    expect(kase.toSign.text).toBe(shownText);
    expect(kase.signature?.documentSha256).toBe(createHash('sha256').update(shownText).digest('hex'));
  }, 90_000);
});
