import { PAGES, appPageConfig, isAppPage, pagePath, pageUrl, webPageLink } from './pages';
import {
  MAX_TEMPLATES_PER_REQUEST,
  MESSAGE_KINDS,
  SUBSCRIBE_MESSAGES,
  acceptedKinds,
  buildMessage,
  createConsentAsker,
  keyTypeOf,
  messageKindsOf,
  shapeValue,
  templateIdsFrom,
} from './subscribe';

describe("shapeValue: values fitted to WeChat's keyword rules", () => {
  it.each([
    ['thing', '阳光小厨（示范路88号店）后厨烹饪区摄像头长时间离线', '阳光小厨（示范路88号店）后厨烹饪区摄…'],
    ['thing', '  多个\n空白\t字符  ', '多个 空白 字符'],
    ['thing', '抓拍 🐭 鼠患', '抓拍 鼠患'],
    ['phrase', '已受理', '已受理'],
    ['phrase', '不予受理（超期）', '不予受理超'],
    ['phrase', 'accepted', ''],
    ['character_string', 'TS 20261122-ABC 编号', 'TS20261122-ABC'],
    ['character_string', 'x'.repeat(40), 'x'.repeat(32)],
    ['number', '共 12 项', '12'],
    ['letter', 'abc123DEF', 'abcDEF'],
    ['symbol', 'a-b+c', '-+'],
    ['phone_number', '电话：138-0013-8000', '138-0013-8000'],
    ['amount', '罚款 3000 元', '¥3000'],
    ['name', '王小明 Wang', '王小明'],
    ['name', 'Li Lei', 'Li Lei'],
    ['date', '2026-11-22', '2026年11月22日'],
    ['date', '22/11/2026', ''],
    ['time', '2026-11-22 14:05', '2026-11-22 14:05'],
    ['time', '下午两点', ''],
  ] as const)('%s: %j → %j', (type, value, expected) => {
    expect(shapeValue(type, value)).toBe(expected);
  });

  it('turns a time into China time', () => {
    expect(shapeValue('time', new Date('2026-11-22T06:05:00Z'))).toBe('2026-11-22 14:05');
    expect(shapeValue('date', new Date('2026-11-22T20:00:00Z'))).toBe('2026年11月23日');
  });
});

describe('the message registry', () => {
  it("gives each kind keywords whose types WeChat knows, and pages of that kind's app", () => {
    for (const kind of MESSAGE_KINDS) {
      const spec = SUBSCRIBE_MESSAGES[kind];
      for (const field of Object.values(spec.fields))
        expect(keyTypeOf(field.key)).toMatch(/^(thing|phrase|character_string|time|date|number|name)$/);
      for (const page of spec.pages)
        expect(isAppPage(spec.app, (PAGES[spec.app] as Record<string, string>)[page] ?? '')).toBe(true);
    }
  });

  it('builds a message with every keyword present and shaped, the page from the page table', () => {
    const m = buildMessage(
      'complaintStatus',
      {
        number: 'TS20261122ABC123',
        status: '不予受理',
        shop: '很长很长的门店名称很长很长的门店名称很长店',
        at: new Date('2026-11-22T06:05:00Z'),
        note: '',
      },
      'complaints',
      { filed: 'TS20261122ABC123' },
    );
    expect(m).toEqual({
      kind: 'complaintStatus',
      app: 'public',
      page: 'more/complaints/index?filed=TS20261122ABC123',
      data: {
        character_string1: { value: 'TS20261122ABC123' },
        phrase2: { value: '不予受理' },
        thing3: { value: '很长很长的门店名称很长很长的门店名称很…' },
        time4: { value: '2026-11-22 14:05' },
        thing5: { value: '详情请在小程序中查看' },
      },
    });
  });

  it('never leaves a keyword empty: a phrase with no Chinese falls back, a missing time is now', () => {
    const now = new Date('2026-11-22T01:00:00Z');
    const m = buildMessage('enforcementNotice', { shop: '', matter: '', requirement: '', at: 'soon' }, 'case', {}, now);
    expect(Object.values(m.data).every((v) => v.value.length > 0)).toBe(true);
    expect(m.data.time4?.value).toBe('2026-11-22 09:00');
    expect(
      buildMessage('complaintStatus', { number: 'x', status: 'done', shop: 's', at: now, note: 'n' }, 'complaints').data
        .phrase2?.value,
    ).toBe('已更新');
  });

  it("reads template ids from the same variables the API reads, else the stand-in's", () => {
    expect(templateIdsFrom({ SUBSCRIBE_TEMPLATE_CAMERA_ALERT: 'real-id' }, 'operator')).toEqual({
      selfCheckReminder: 'dev-self-check-reminder',
      enforcementNotice: 'dev-enforcement-notice',
      cameraAlert: 'real-id',
    });
    expect(Object.keys(templateIdsFrom({}, 'public'))).toEqual(['complaintStatus']);
  });

  it("fits each app's kinds into one consent request", () => {
    expect(messageKindsOf('operator').length).toBeLessThanOrEqual(MAX_TEMPLATES_PER_REQUEST);
    expect(messageKindsOf('public')).toEqual(['complaintStatus']);
  });
});

describe('asking consent', () => {
  const ids = templateIdsFrom({}, 'operator');

  it("asks for the app's own templates, at most three, and reports the accepted kinds", async () => {
    const request = jest.fn(async (tmplIds: string[]) => ({
      errMsg: 'requestSubscribeMessage:ok',
      [tmplIds[0] as string]: 'accept',
      [tmplIds[1] as string]: 'reject',
      [tmplIds[2] as string]: 'ban',
    }));
    const ask = createConsentAsker('operator', ids, request);
    expect(await ask([...MESSAGE_KINDS])).toEqual(['selfCheckReminder']);
    expect(request).toHaveBeenCalledWith(
      ['dev-self-check-reminder', 'dev-enforcement-notice', 'dev-camera-alert'],
      ['待办事项提醒', '整改通知', '设备离线提醒'],
    );
  });

  it('resolves with nothing when WeChat refuses the request (outside a tap, old base library)', async () => {
    const ask = createConsentAsker('public', templateIdsFrom({}, 'public'), async () => {
      throw { errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.' };
    });
    expect(await ask()).toEqual([]);
  });

  it('reads an answer by template id', () => {
    expect(acceptedKinds({ 'dev-camera-alert': 'accept', 'dev-enforcement-notice': 'filter' }, ids)).toEqual([
      'cameraAlert',
    ]);
    expect(acceptedKinds(null, ids)).toEqual([]);
  });
});

describe('the page table', () => {
  it('gives each app.config.ts its main pages (home first) and one subpackage', () => {
    const cfg = appPageConfig('public');
    expect(cfg.pages[0]).toBe('pages/index/index');
    expect(cfg.pages).toContain('pages/shop/index');
    expect(cfg.subPackages).toEqual([
      { root: 'more', pages: expect.arrayContaining(['complaints/index', 'live/index']) },
    ]);
  });

  it('builds paths with encoded queries, for the server (no slash) and navigateTo (slash)', () => {
    expect(pagePath('public', 'live', { shop: 'a1', name: '阳光 小厨&1', empty: '' })).toBe(
      'more/live/index?shop=a1&name=%E9%98%B3%E5%85%89%20%E5%B0%8F%E5%8E%A8%261',
    );
    expect(pageUrl('operator', 'daily', { shop: 'x' })).toBe('/pages/daily/index?shop=x');
    expect(isAppPage('public', '/more/complaints/index?filed=1')).toBe(true);
    expect(isAppPage('public', 'pages/complaints/index')).toBe(false);
  });

  it('gives an H5 page link to copy, whatever page the diner copies it from', () => {
    expect(webPageLink('https://ygsa.example.cn/public/#/pages/index/index', 'public', 'shop', { id: 'a1' })).toBe(
      'https://ygsa.example.cn/public/#/pages/shop/index?id=a1',
    );
    expect(webPageLink('http://localhost:10086/public/', 'public', 'shop', { id: 'a1' })).toBe(
      'http://localhost:10086/public/#/pages/shop/index?id=a1',
    );
  });
});
