import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { PAGES } from '@ygsa/shared';
import { createFakeWeChat, pushSignature, DEV_PUSH_TOKEN, type FakeWeChat } from './wechat-stand-in';

/**
 * The WeChat stand-in is only worth having if it refuses what WeChat refuses, with WeChat's codes:
 * each rule the product depends on is proved here against the stand-in itself.
 */
const PUBLIC = { appid: 'wx5067a1c0de000001', secret: 'dev-public-secret-not-for-production' };
const OPERATOR = { appid: 'wx5067a1c0de000002', secret: 'dev-operator-secret-not-for-production' };

let clock = Date.parse('2026-11-22T08:00:00Z');
let fake: FakeWeChat;
let base: string;

beforeAll(async () => {
  fake = createFakeWeChat({ mediaDelayMs: 10, pushRetryMs: 20, now: () => clock });
  base = await fake.listen();
});
afterAll(() => fake.close());

async function post(path: string, body: unknown, query: Record<string, string> = {}) {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${base}${path}${qs ? `?${qs}` : ''}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return type.startsWith('image/')
    ? { image: true, errcode: 0 }
    : ((await res.json()) as Record<string, unknown> & { errcode?: number; errmsg?: string });
}

async function stableToken(app = PUBLIC, forceRefresh = false) {
  const r = await post('/cgi-bin/stable_token', {
    grant_type: 'client_credential',
    appid: app.appid,
    secret: app.secret,
    force_refresh: forceRefresh,
  });
  return r.access_token as string;
}

/** Signs a user in as jscode2session would (which is what makes an openid "seen"). */
async function seen(app: { appid: string; secret: string }, user: string) {
  const code = fake.issueCode(app.appid, user);
  const res = await fetch(
    `${base}/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${code}&grant_type=authorization_code`,
  );
  return ((await res.json()) as { openid: string }).openid;
}

describe('login codes', () => {
  const exchange = async (code: string) =>
    (await (
      await fetch(
        `${base}/sns/jscode2session?appid=${PUBLIC.appid}&secret=${PUBLIC.secret}&js_code=${code}&grant_type=authorization_code`,
      )
    ).json()) as { openid?: string; errcode?: number };

  it('work once (40163 after), not for another app, and not after five minutes (40029)', async () => {
    const code = fake.issueCode(PUBLIC.appid, 'alice');
    expect((await exchange(code)).openid).toMatch(/^o/);
    expect((await exchange(code)).errcode).toBe(40163);
    expect((await exchange(fake.issueCode(OPERATOR.appid, 'alice'))).errcode).toBe(40029);
    const late = fake.issueCode(PUBLIC.appid, 'alice');
    clock += 5 * 60_000 + 1;
    expect((await exchange(late)).errcode).toBe(40029);
  });
});

describe('access tokens', () => {
  it('stable_token gives every caller the same token; only POST JSON with the right secret', async () => {
    const a = await stableToken();
    const b = await stableToken();
    expect(a).toBe(b);
    expect(((await (await fetch(`${base}/cgi-bin/stable_token`)).json()) as { errcode: number }).errcode).toBe(43002);
    expect((await post('/cgi-bin/stable_token', 'not json')).errcode).toBe(47001);
    expect(
      (await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: PUBLIC.appid, secret: 'x' }))
        .errcode,
    ).toBe(40125);
  });

  it('force_refresh ends the old token at once, and not more often than every 30 seconds', async () => {
    const old = await stableToken(OPERATOR);
    const fresh = await stableToken(OPERATOR, true);
    expect(fresh).not.toBe(old);
    const withOld = await post('/wxa/msg_sec_check', {}, { access_token: old });
    expect(withOld.errcode).toBe(40001);
    expect(await stableToken(OPERATOR, true)).toBe(fresh); // too soon: not refreshed
  });

  it('cgi-bin/token replaces the previous token (five minutes of overlap), which is why instances must not share it', async () => {
    const get = async () =>
      (
        (await (
          await fetch(
            `${base}/cgi-bin/token?grant_type=client_credential&appid=${PUBLIC.appid}&secret=${PUBLIC.secret}`,
          )
        ).json()) as { access_token: string }
      ).access_token;
    const first = await get();
    await get();
    expect((await post('/wxa/msg_sec_check', {}, { access_token: first })).errcode).not.toBe(40001);
    clock += 5 * 60_000 + 1;
    expect((await post('/wxa/msg_sec_check', {}, { access_token: first })).errcode).toBe(40001);
  });
});

describe('wxacode.getUnlimited', () => {
  const code = async (body: Record<string, unknown>) =>
    post('/wxa/getwxacodeunlimit', body, { access_token: await stableToken() });

  it('makes a code for a scene of ≤ 32 allowed characters and a page of the built app', async () => {
    expect(await code({ scene: 'ABCD2345.1.abcdefghijkl', page: PAGES.public.shop })).toEqual({
      image: true,
      errcode: 0,
    });
  });

  it.each([
    ['a 33-character scene', { scene: 'A'.repeat(33), page: PAGES.public.shop }, 40169],
    ['an empty scene', { scene: '', page: PAGES.public.shop }, 40169],
    ['a scene with %', { scene: 'a%20b', page: PAGES.public.shop }, 40129],
    ['a page with a leading slash', { scene: 'x', page: `/${PAGES.public.shop}` }, 41030],
    ['a page with a query', { scene: 'x', page: `${PAGES.public.shop}?c=1` }, 41030],
    ['a page the app does not have', { scene: 'x', page: 'pages/complaints/index' }, 41030],
    ['a width outside 280–1280', { scene: 'x', page: PAGES.public.shop, width: 100 }, 47001],
  ])('refuses %s', async (_what, body, errcode) => {
    expect((await code(body)).errcode).toBe(errcode);
  });

  it('accepts a page it cannot check when check_path is false', async () => {
    expect((await code({ scene: 'x', page: 'pages/not-yet/index', check_path: false })).errcode).toBe(0);
  });
});

describe('subscribe messages', () => {
  const valid = {
    character_string1: { value: 'TS20261122ABC123' },
    phrase2: { value: '已受理' },
    thing3: { value: '金穗饺子馆' },
    time4: { value: '2026-11-22 14:05' },
    thing5: { value: '详情请在小程序中查看' },
  };
  let openid: string;
  let token: string;
  const send = (body: Record<string, unknown>, t = token) =>
    post(
      '/cgi-bin/message/subscribe/send',
      { touser: openid, template_id: 'dev-complaint-status', page: PAGES.public.complaints, data: valid, ...body },
      { access_token: t },
    );

  beforeAll(async () => {
    openid = await seen(PUBLIC, 'msg-user');
    token = await stableToken();
  });

  it('delivers one message per consent: the second is refused with 43101', async () => {
    expect((await send({})).errcode).toBe(43101);
    fake.consent(PUBLIC.appid, openid, 'dev-complaint-status');
    expect((await send({})).errcode).toBe(0);
    expect((await send({})).errcode).toBe(43101);
  });

  it.each([
    ['a template of another app', { template_id: 'dev-self-check-reminder' }, 40037],
    ['a page the app does not have', { page: 'pages/complaints/index' }, 41030],
    ['a missing keyword', { data: { ...valid, thing5: undefined } }, 47003],
    ['a keyword the template lacks', { data: { ...valid, thing9: { value: 'x' } } }, 47003],
    ['a thing over 20 characters', { data: { ...valid, thing3: { value: '很长的门店名称'.repeat(3) } } }, 47003],
    ['a phrase that is not 1–5 Chinese characters', { data: { ...valid, phrase2: { value: 'accepted' } } }, 47003],
    ['a character_string with Chinese', { data: { ...valid, character_string1: { value: '编号1' } } }, 47003],
    ['a time that is not a time', { data: { ...valid, time4: { value: '下午两点' } } }, 47003],
    ['an unknown miniprogram_state', { miniprogram_state: 'beta' }, 47001],
  ])('refuses %s', async (_what, body, errcode) => {
    fake.consent(PUBLIC.appid, openid, 'dev-complaint-status');
    const res = await send(body as Record<string, unknown>);
    expect([res.errcode, res.errmsg]).toEqual([errcode, expect.any(String)]);
  });

  it('names the keyword at fault, as WeChat does', async () => {
    fake.consent(PUBLIC.appid, openid, 'dev-complaint-status');
    expect((await send({ data: { ...valid, thing5: { value: '' } } })).errmsg).toMatch(/data\.thing5\.value is empty/);
  });

  it("refuses the operator app's token for a public-app user (40003)", async () => {
    expect((await send({}, await stableToken(OPERATOR))).errcode).toBe(40003);
  });

  it("WeChat's consent sheet: at most 3 templates a call, only the app's own, a refusal counts nothing", async () => {
    const sheet = async (tmplIds: string[], decisions: Record<string, string> = {}) =>
      post('/__fake__/subscribe', { appid: OPERATOR.appid, user: 'sheet-user', tmplIds, decisions });
    const all = ['dev-self-check-reminder', 'dev-enforcement-notice', 'dev-camera-alert'];
    expect((await sheet([...all, 'dev-self-check-reminder'])).errCode).toBe(20003);
    expect((await sheet(['dev-complaint-status'])).errCode).toBe(20001);
    expect((await sheet([])).errCode).toBe(10001);
    expect(await sheet(all, { 'dev-camera-alert': 'reject' })).toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      'dev-self-check-reminder': 'accept',
      'dev-enforcement-notice': 'accept',
      'dev-camera-alert': 'reject',
    });
  });
});

describe('content security', () => {
  let openid: string;
  let token: string;
  const check = (body: Record<string, unknown>) =>
    post(
      '/wxa/msg_sec_check',
      { version: 2, scene: 2, openid, content: '饭菜很干净', ...body },
      { access_token: token },
    );

  beforeAll(async () => {
    openid = await seen(PUBLIC, 'ugc-user');
    token = await stableToken();
  });

  it("msgSecCheck: pass, review and risky by its word lists, with WeChat's result shape", async () => {
    expect(await check({})).toMatchObject({ errcode: 0, result: { suggest: 'pass', label: 100 } });
    expect(await check({ content: '加微信领红包，好评返现' })).toMatchObject({ result: { suggest: 'review' } });
    expect(await check({ content: '本店代开发票' })).toMatchObject({ result: { suggest: 'risky' } });
  });

  it.each([
    ['version 1', { version: 1 }, 47001],
    ['scene 5', { scene: 5 }, 40129],
    ['no content', { content: '' }, 44002],
    ['more than 2500 characters', { content: '字'.repeat(2501) }, 47001],
    ['an openid WeChat never saw', { openid: 'o-unknown' }, 40003],
  ])('msgSecCheck refuses %s', async (_what, body, errcode) => {
    expect((await check(body)).errcode).toBe(errcode);
  });

  it("msgSecCheck refuses a user not seen in the last two hours (61010) and another app's user (43104)", async () => {
    const other = await seen(OPERATOR, 'ugc-operator');
    expect((await check({ openid: other })).errcode).toBe(43104);
    const stale = await seen(PUBLIC, 'ugc-stale');
    clock += 2 * 3600_000 + 1;
    token = await stableToken();
    expect((await check({ openid: stale })).errcode).toBe(61010);
    openid = await seen(PUBLIC, 'ugc-user');
  });

  describe('mediaCheckAsync', () => {
    let server: Server;
    let serverUrl: string;
    const received: { query: URLSearchParams; body: Record<string, unknown> }[] = [];
    let failuresLeft = 0;
    const PNG = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
      'hex',
    );
    const RISKY = Buffer.concat([PNG, Buffer.from('risky')]);

    beforeAll(async () => {
      server = createServer(async (req: IncomingMessage, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname.startsWith('/img/')) {
          res.writeHead(200, { 'Content-Type': 'image/png' }).end(url.pathname.endsWith('risky') ? RISKY : PNG);
          return;
        }
        let raw = '';
        for await (const c of req) raw += c;
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.writeHead(500).end('busy');
          return;
        }
        received.push({ query: url.searchParams, body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(200).end('success');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      fake.setPushUrl(PUBLIC.appid, `${serverUrl}/push`);
      fake.flagImage(createHash('sha256').update(RISKY).digest('hex'));
    });
    afterAll(() => new Promise((r) => server.close(r)));

    const ask = (media: string) =>
      post(
        '/wxa/media_check_async',
        { version: 2, scene: 2, openid, media_type: 2, media_url: `${serverUrl}/img/${media}` },
        { access_token: token },
      );
    const waitFor = async (traceId: string) => {
      for (let i = 0; i < 100; i += 1) {
        const got = received.find((r) => r.body.trace_id === traceId);
        if (got) return got;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no push');
    };

    it('answers a trace id, then pushes the verdict signed with the console token', async () => {
      const asked = await ask('ok');
      expect(asked).toMatchObject({ errcode: 0, trace_id: expect.any(String) });
      const push = await waitFor(asked.trace_id as string);
      const q = push.query;
      expect(q.get('signature')).toBe(pushSignature(DEV_PUSH_TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? ''));
      expect(push.body).toMatchObject({
        MsgType: 'event',
        Event: 'wxa_media_check',
        appid: PUBLIC.appid,
        version: 2,
        errcode: 0,
        result: { suggest: 'pass', label: '100' },
      });
    });

    it('calls a flagged image risky, and tries again (three attempts) while the server does not answer success', async () => {
      failuresLeft = 2;
      const asked = await ask('risky');
      const push = await waitFor(asked.trace_id as string);
      expect(push.body).toMatchObject({ result: { suggest: 'risky' } });
      expect(fake.pushes().find((p) => p.trace_id === asked.trace_id)?.attempts).toBe(3);
    });

    it('refuses a media_type other than 1 or 2, and a media_url that is not http(s)', async () => {
      const bad = (body: Record<string, unknown>) =>
        post(
          '/wxa/media_check_async',
          { version: 2, scene: 2, openid, media_type: 2, media_url: `${serverUrl}/img/ok`, ...body },
          { access_token: token },
        );
      expect((await bad({ media_type: 3 })).errcode).toBe(47001);
      expect((await bad({ media_url: 'file:///etc/passwd' })).errcode).toBe(47001);
    });
  });
});

describe('phone numbers (手机号快速验证)', () => {
  it('a getPhoneNumber code gives the number once, and only to its own app', async () => {
    const phoneCode = async () =>
      (await post('/__fake__/phone-code', { appid: PUBLIC.appid, user: 'phone-user' })).code as string;
    const token = await stableToken();
    const code = await phoneCode();
    const first = await post('/wxa/business/getuserphonenumber', { code }, { access_token: token });
    expect(first).toMatchObject({ errcode: 0, phone_info: { purePhoneNumber: fake.phoneOf('phone-user') } });
    expect((await post('/wxa/business/getuserphonenumber', { code }, { access_token: token })).errcode).toBe(40029);
    const other = await phoneCode();
    expect(
      (await post('/wxa/business/getuserphonenumber', { code: other }, { access_token: await stableToken(OPERATOR) }))
        .errcode,
    ).toBe(40029);
  });
});
