import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { MESSAGE_KINDS, PAGES, SUBSCRIBE_MESSAGES, type MessageKind } from '@ygsa/shared';
import { createWeChatClient } from '../src/integrations/wechat.client';
import { complaintModel } from '../src/modules/complaints/complaint.model';
import { mediaCheckModel } from '../src/modules/moderation/moderation.models';
import { mediaCheckUrl, requestMediaCheck, retryMediaChecks } from '../src/modules/moderation/moderation.service';
import { sendMessage } from '../src/modules/notify/messages';
import { stripMetadata } from '../src/modules/uploads/metadata';
import { uploadModel } from '../src/modules/uploads/upload.service';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';
import { pushSignature } from './wechat-stand-in';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const PNG = readFileSync(join(__dirname, '..', '..', 'tests', 'e2e', 'fixtures', 'kitchen.png'));
const until = async (check: () => Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
};

/** Values as a careless caller might pass them: too long, emoji, English, line breaks. */
const WORST: Record<string, string | Date> = {
  number: 'TS20261122ABCDEF 编号过长过长',
  status: 'Accepted 已受理并转交处理',
  shop: '🍜 阳光小厨（示范路88号总店）\n后厨烹饪区与切配区',
  at: new Date('2026-11-22T06:05:00Z'),
  note: 'Please check the app 请在小程序中查看处理结果和后续安排',
  task: '今日日管控尚未填报，请于今日下班前完成并拍照上传',
  due: '2026-11-22',
  matter: 'AI 抓拍：未戴口罩 🚫 未戴帽子 未穿工作服',
  requirement: '请于 2026-11-25 前整改回复，逾期将转为执法案件',
  device: 'Camera #3 后厨烹饪区高清摄像头离线',
  advice: '长时间离线，请立即整改',
  since: new Date('2026-11-22T01:00:00Z'),
};

describe('subscribe messages against the strict stand-in', () => {
  let api: TestApi;
  let shopId: string;
  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '消息餐馆' })).id;
  });
  afterAll(() => api.close());

  const deps = () => ({ wechat: createWeChatClient(api.config.wechat), config: api.config });

  it.each(MESSAGE_KINDS.map((k) => [k]))(
    '%s: every page it may open, with worst-case values, is accepted (keys, values, page, appid)',
    async (kind: MessageKind) => {
      const spec = SUBSCRIBE_MESSAGES[kind];
      const user = `msg-${kind}-${key()}`;
      await signIn(api, spec.app, user);
      const openid = api.wechat.fake.openidOf(api.wechat.appid(spec.app), user);
      for (const page of spec.pages) {
        await api.wechat.consent(spec.app, user, [kind]);
        const values = Object.fromEntries(Object.keys(spec.fields).map((f) => [f, WORST[f] ?? 'x']));
        const errcode = await sendMessage(deps(), kind, openid, values as never, page as never, {
          shop: shopId,
          id: 'a1',
        });
        expect([kind, page, errcode]).toEqual([kind, page, 0]);
      }
      const delivered = api.wechat.inboxOf(openid);
      expect(delivered).toHaveLength(spec.pages.length);
      for (const m of delivered) {
        expect(m.appid).toBe(api.wechat.appid(spec.app));
        expect(m.template_id).toBe(spec.devTemplateId);
        expect(Object.values(PAGES[spec.app])).toContain(m.page.split('?')[0]);
      }
    },
  );

  it("refuses what today's old wiring sent: the operator's template under the public app (40037), a page the app lacks (41030), another template's keys (47003), no consent (43101)", async () => {
    const user = `old-${key()}`;
    await signIn(api, 'public', user);
    const openid = api.wechat.fake.openidOf(api.wechat.appid('public'), user);
    await api.wechat.consent('public', user, ['complaintStatus'], 3);
    const client = createWeChatClient(api.config.wechat);
    const old = { character_string1: { value: 'TS20261122ABC123' }, phrase2: { value: '已受理' } };
    const send = (templateId: string, page: string, data: Record<string, { value: string }>) =>
      client.sendSubscribeMessage('public', { touser: openid, templateId, page, data });
    expect((await send('dev-self-check-reminder', 'pages/complaints/index', old)).errcode).toBe(40037);
    expect((await send('dev-complaint-status', 'pages/complaints/index', old)).errcode).toBe(41030);
    expect((await send('dev-complaint-status', PAGES.public.complaints, old)).errcode).toBe(47003);
    // And the operator app's enforcement message without its own consent (only self-checks were asked for).
    const staff = `staff-${key()}`;
    await signIn(api, 'operator', staff);
    await api.wechat.consent('operator', staff, ['selfCheckReminder']);
    const staffOpenid = api.wechat.fake.openidOf(api.wechat.appid('operator'), staff);
    const values = Object.fromEntries(
      Object.keys(SUBSCRIBE_MESSAGES.enforcementNotice.fields).map((f) => [f, WORST[f] ?? 'x']),
    );
    expect(await sendMessage(deps(), 'enforcementNotice', staffOpenid, values as never, 'notices')).toBe(43101);
  });

  it('logs a refusal with its WeChat code, and keeps 43101 quiet', async () => {
    const lines: { level: number; errcode?: number; msg: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const user = `log-${key()}`;
    await signIn(api, 'public', user);
    const openid = api.wechat.fake.openidOf(api.wechat.appid('public'), user);
    const values = { number: 'x', status: '已受理', shop: 's', at: new Date(), note: 'n' };
    expect(await sendMessage({ ...deps(), logger }, 'complaintStatus', openid, values, 'complaints')).toBe(43101);
    const wrong = {
      ...api.config,
      wechat: { ...api.config.wechat, templates: { ...api.config.wechat.templates, complaintStatus: 'nope' } },
    };
    expect(
      await sendMessage({ ...deps(), config: wrong, logger }, 'complaintStatus', openid, values, 'complaints'),
    ).toBe(40037);
    expect(lines.filter((l) => l.level >= 40).map((l) => l.errcode)).toEqual([40037]);
  });

  it("two API instances share one access token (stable_token): each sends without ending the other's", async () => {
    const a = createWeChatClient(api.config.wechat);
    const b = createWeChatClient(api.config.wechat);
    const user = `two-${key()}`;
    await signIn(api, 'operator', user);
    await api.wechat.consent('operator', user, ['cameraAlert'], 3);
    const openid = api.wechat.fake.openidOf(api.wechat.appid('operator'), user);
    const values = { shop: '店', device: '摄像头', advice: '请检查', since: new Date() };
    for (const client of [a, b, a]) {
      expect(await sendMessage({ wechat: client, config: api.config }, 'cameraAlert', openid, values, 'cameras')).toBe(
        0,
      );
    }
  });
});

describe('content security', () => {
  let api: TestApi;
  let shopId: string;
  let diner: { token: string; user: { id: string } };
  let dinerName: string;
  const CENTRE = { lng: 120.1551, lat: 30.2741 };
  const complaint = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: key(),
    type: 'complaint',
    establishmentId: shopId,
    category: 'unhygienic',
    description: '后厨地面有积水，服务员未戴口罩。',
    location: CENTRE,
    name: '李华',
    phone: '13900139000',
    address: '示范区文明路 1 号',
    request: '整改',
    ...over,
  });

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '审核餐馆', location: { ...CENTRE, crs: 'GCJ02' } })).id;
    dinerName = `ugc-${key()}`;
    diner = await signIn(api, 'public', dinerName);
  });
  afterAll(() => api.close());

  it('when a complaint carries a risky word, then 422 CONTENT_RISKY naming the description, and nothing is stored', async () => {
    const before = await complaintModel(api.db).countDocuments();
    const res = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ description: '这家店的老板说可以代开发票，后厨很脏。' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'CONTENT_RISKY',
      details: [{ path: 'body.description', message: expect.stringContaining('内容安全') }],
    });
    expect(await complaintModel(api.db).countDocuments()).toBe(before);
    expect(api.wechat.fake.textChecks().at(-1)).toMatchObject({ scene: 2, suggest: 'risky' });
  });

  it('when WeChat asks for review, then the complaint is filed but others never see its words', async () => {
    const filed = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ description: '加微信领红包，店员在后厨抽烟。' }));
    expect(filed.status).toBe(201);
    const other = await signIn(api, 'public', `other-${key()}`);
    const similar = await api.http
      .get('/api/v1/complaints/similar')
      .query({ establishmentId: shopId, ...CENTRE })
      .set(auth(other.token));
    const seen = similar.body.find((s: { id: string }) => s.id === filed.body.complaint.id);
    expect(seen).toBeDefined();
    expect(JSON.stringify(similar.body)).not.toContain('加微信');
    const regulator = await api.http.get(`/api/v1/regulator/complaints/${filed.body.complaint.id}`).set(asRegulator);
    expect(regulator.body).toMatchObject({ descriptionCheck: 'review', description: '加微信领红包，店员在后厨抽烟。' });
  });

  it('a 投诉 needs its 通讯地址; the phone WeChat verified is marked verified for the office', async () => {
    const missing = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ address: undefined }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'body.address', message: '投诉须填写通讯地址' }]);

    const code = (await (
      await fetch(`${api.wechat.url}/__fake__/phone-code`, {
        method: 'POST',
        body: JSON.stringify({ appid: api.wechat.appid('public'), user: dinerName }),
      })
    ).json()) as { code: string };
    const verified = await api.http.post('/api/v1/me/phone-number').set(auth(diner.token)).send({ code: code.code });
    expect(verified.status).toBe(200);
    const phone = api.wechat.fake.phoneOf(dinerName);
    // The phone gets the number masked: the full number only ever goes to the office.
    expect(verified.body).toEqual({
      masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      verifiedAt: expect.any(String),
    });
    // A code works once.
    const again = await api.http.post('/api/v1/me/phone-number').set(auth(diner.token)).send({ code: code.code });
    expect([again.status, again.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const filed = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ phone: undefined, useVerifiedPhone: true }));
    expect(filed.status).toBe(201);
    expect(JSON.stringify(filed.body)).not.toContain(phone);
    const seen = await api.http.get(`/api/v1/regulator/complaints/${filed.body.complaint.id}`).set(asRegulator);
    expect(seen.body.complainant).toMatchObject({ phone, phoneVerified: true, address: '示范区文明路 1 号' });
    // A typed number is verified only when it is the one WeChat verified.
    const typed = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    const typedSeen = await api.http.get(`/api/v1/regulator/complaints/${typed.body.complaint.id}`).set(asRegulator);
    expect(typedSeen.body.complainant).toMatchObject({ phone: '13900139000', phoneVerified: false });
    // Only the office sees who complained: not in the filer's own view of others, not in Open311.
    expect(JSON.stringify((await api.http.get('/api/v1/open311/requests.json')).body)).not.toContain(phone);
  });

  it("the shop's reply is public only once it passes; risky is refused, review waits", async () => {
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    const owner = await signIn(api, 'operator', `reply-owner-${key()}`);
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
    const put = (text: string) =>
      api.http.put(`/api/v1/operator/establishments/${shopId}/reply`).set(auth(owner.token)).send({ text });
    const publicReply = async () => (await api.http.get(`/api/v1/public/shops/${shopId}`)).body.reply;

    const risky = await put('欢迎光临，本店可代开发票。');
    expect([risky.status, risky.body.error.code]).toEqual([422, 'CONTENT_RISKY']);
    expect(await publicReply()).toBeNull();

    expect((await put('关注公众号加微信领红包')).body.state).toBe('in_review');
    expect(await publicReply()).toBeNull();

    expect((await put('感谢监督，已完成整改。')).body.state).toBe('published');
    expect(await publicReply()).toMatchObject({ text: '感谢监督，已完成整改。' });
    expect(api.wechat.fake.textChecks().at(-1)).toMatchObject({
      appid: api.wechat.appid('operator'),
      content: '感谢监督，已完成整改。',
    });
  });

  describe('photos (mediaCheckAsync)', () => {
    let owner: { token: string; user: { id: string } };
    let officer: { token: string };

    beforeAll(async () => {
      const shop = (await createShop(api, { name: '照片餐馆' })).id;
      const inv = await api.http
        .post(`/api/v1/regulator/establishments/${shop}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner' });
      owner = await signIn(api, 'operator', `photo-owner-${key()}`);
      await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
      const staff = await api.http
        .post(`/api/v1/operator/shops/${shop}/invitations`)
        .set(auth(owner.token))
        .send({ role: 'safety_officer' });
      officer = await signIn(api, 'operator', `photo-officer-${key()}`);
      await api.http.post('/api/v1/operator/bind').set(auth(officer.token)).send({ code: staff.body.code }).expect(200);
    });

    /** Uploads a photo as the owner. */
    async function ownerPhoto(bytes: Buffer) {
      const up = await api.http.post('/api/v1/uploads').set(auth(owner.token)).attach('file', bytes, 'p.png');
      expect(up.status).toBe(201);
      return up.body.id as string;
    }
    const state = async (id: string) => (await uploadModel(api.db).findById(id).lean())?.check?.state;
    const view = (id: string, token: string) => api.http.get(`/api/v1/uploads/${id}`).set(auth(token));

    it('when a photo is uploaded, then WeChat is asked, and until its verdict only its taker and regulators see it', async () => {
      api.wechat.fake.holdMediaVerdicts();
      const id = await ownerPhoto(Buffer.concat([PNG, Buffer.from(key())]));
      expect(await state(id)).toBe('pending');
      expect((await view(id, owner.token)).status).toBe(200);
      expect((await api.http.get(`/api/v1/uploads/${id}`).set(asRegulator)).status).toBe(200);
      api.wechat.fake.releaseMediaVerdicts();
      expect(await until(async () => (await state(id)) === 'pass')).toBe(true);
      // The verdict is stored first, then its pending check removed (the push's two writes).
      expect(await until(async () => (await mediaCheckModel(api.db).exists({ _id: id })) === null)).toBe(true);
      // The stand-in records the delivery once it has read our answer, after our writes.
      expect(await until(async () => api.wechat.fake.pushes().at(-1)?.delivered === true)).toBe(true);
      expect(api.wechat.fake.pushes().at(-1)).toMatchObject({ delivered: true, attempts: 1 });
    });

    it('when WeChat flags a photo, then it is kept as evidence, shown to regulators only, its taker told why', async () => {
      // A picture of its own (WeChat sees the photo without metadata, so a different picture, not different bytes).
      const bytes = await QRCode.toBuffer(`risky-${key()}`);
      api.wechat.fake.flagImage(createHash('sha256').update(stripMetadata(bytes, 'image/png')).digest('hex'));
      const id = await ownerPhoto(bytes);
      expect(await until(async () => (await state(id)) === 'risky')).toBe(true);
      const own = await view(id, owner.token);
      expect([own.status, own.body.error.message]).toEqual([403, '该图片未通过内容安全检查，仅监管部门可见']);
      expect((await api.http.get(`/api/v1/uploads/${id}`).set(asRegulator)).status).toBe(200);
      expect(existsOnDisk(api, id)).toBe(true);
    });

    it("WeChat's push: a wrong signature is refused, the URL check echoes, a repeated verdict changes nothing", async () => {
      expect(await api.wechat.fake.verifyPushUrl(api.wechat.appid('public'))).toBe(true);
      const bad = await fetch(`${api.url}/api/v1/wechat/push/public?signature=x&timestamp=1&nonce=2`, {
        method: 'POST',
        body: '{}',
      });
      expect(bad.status).toBe(401);
      const id = await ownerPhoto(Buffer.concat([PNG, Buffer.from(key())]));
      expect(await until(async () => (await state(id)) === 'pass')).toBe(true);
      const trace = api.wechat.fake.pushes().at(-1)?.trace_id as string;
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = pushSignature(api.config.wechat.pushToken, ts, '7');
      const again = await fetch(`${api.url}/api/v1/wechat/push/public?signature=${sig}&timestamp=${ts}&nonce=7`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({
          Event: 'wxa_media_check',
          trace_id: trace,
          errcode: 0,
          result: { suggest: 'pass', label: '100' },
        }),
      });
      expect([again.status, await again.text()]).toEqual([200, 'success']);
      expect(await state(id)).toBe('pass');
      const old = String(Math.floor(Date.now() / 1000) - 3600);
      const stale = await fetch(
        `${api.url}/api/v1/wechat/push/public?signature=${pushSignature(api.config.wechat.pushToken, old, '7')}&timestamp=${old}&nonce=7`,
        { method: 'POST', body: '{}' },
      );
      expect(stale.status).toBe(401);
    });

    it('the address WeChat fetches a photo from is signed, expires, and carries no metadata', async () => {
      const id = await ownerPhoto(Buffer.concat([PNG, Buffer.from(key())]));
      const url = mediaCheckUrl(api.config, id);
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url.replace(/s=[^&]+/, 's=AAAAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(403);
      const expired = mediaCheckUrl(api.config, id, new Date(Date.now() - 7 * 3600_000));
      expect((await fetch(expired)).status).toBe(403);
    });

    it('when WeChat cannot be reached at upload, then the photo waits, and the job asks again', async () => {
      const id = await ownerPhoto(Buffer.concat([PNG, Buffer.from(key())]));
      expect(await until(async () => (await state(id)) === 'pass')).toBe(true);
      // The same photo as if its first ask had failed: pending, no trace id.
      await uploadModel(api.db).updateOne({ _id: id }, { $set: { check: { state: 'pending' } } });
      const down = { ...api.config, wechat: { ...api.config.wechat, apiBase: 'http://127.0.0.1:9' } };
      const unreachable = { db: api.db, wechat: createWeChatClient(down.wechat), config: down };
      expect(await requestMediaCheck(unreachable, id, owner.user.id)).toBe('pending');
      const waiting = await mediaCheckModel(api.db).findById(id).lean();
      expect(waiting).toMatchObject({ attempts: 1, userId: owner.user.id });
      expect(waiting?.traceId ?? null).toBeNull();
      expect((await view(id, officer.token)).status).toBe(403);
      // Nothing is asked again at once; a minute later the job asks, and the verdict arrives.
      const deps = { db: api.db, wechat: createWeChatClient(api.config.wechat), config: api.config };
      expect(await retryMediaChecks(deps)).toEqual({ asked: 0 });
      expect(await retryMediaChecks(deps, new Date(Date.now() + 2 * 60_000))).toEqual({ asked: 1 });
      expect(await until(async () => (await state(id)) === 'pass')).toBe(true);
      expect(await mediaCheckModel(api.db).exists({ _id: id })).toBeNull();
    });
  });

  it("a committee member's name goes through WeChat's check before the school sees it", async () => {
    const school = (await createShop(api, { name: '审核小学食堂', businessType: 'school_canteen' })).id;
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${school}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    const owner = await signIn(api, 'operator', `school-${key()}`);
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
    const parents = await api.http
      .post(`/api/v1/operator/shops/${school}/committee-invitations`)
      .set(auth(owner.token))
      .send({ maxUses: 5 });
    const parent = await signIn(api, 'public', `parent-${key()}`);
    const join = (name: string) =>
      api.http
        .post('/api/v1/committee/join')
        .set(auth(parent.token))
        .send({ code: parents.body.code, name, grade: '三年级二班' });
    const risky = await join('出售枪支');
    expect([risky.status, risky.body.error.code]).toEqual([422, 'CONTENT_RISKY']);
    expect((await join('王芳')).status).toBe(200);
  });
});

function existsOnDisk(api: TestApi, id: string): boolean {
  try {
    readFileSync(join(api.config.uploadDir, id.slice(0, 2), id));
    return true;
  } catch {
    return false;
  }
}
