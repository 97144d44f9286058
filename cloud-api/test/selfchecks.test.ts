import { readdirSync, existsSync } from 'node:fs';
import { addDays, chinaDate, DEFAULT_DAILY_CHECKLIST } from '@ygsa/shared';
import { selfCheckModel } from '../src/modules/selfchecks/selfcheck.model';
import { uploadModel } from '../src/modules/uploads/upload.service';
import { mondayOf } from '../src/modules/selfchecks/selfcheck.service';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

// The smallest valid PNG (1×1), and a JPEG header with a body.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const today = chinaDate(new Date());
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('operator sign-in, shop binding and self-checks', () => {
  let api: TestApi;
  let shopId: string;
  let otherShopId: string;
  let owner: { token: string; user: { id: string } };
  let officer: { token: string; user: { id: string } };
  let stranger: { token: string; user: { id: string } };

  const bind = async (token: string, code: string) =>
    api.http.post('/api/v1/operator/bind').set(auth(token)).send({ code });
  const upload = (token: string, bytes: Buffer, name = 'photo.png') =>
    api.http.post('/api/v1/uploads').set(auth(token)).attach('file', bytes, name);
  const allPass = (photo: string) =>
    DEFAULT_DAILY_CHECKLIST.map((c) => ({ code: c.code, result: 'pass', photos: c.photoRequired ? [photo] : [] }));

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '自查餐馆' })).id;
    otherShopId = (await createShop(api, { name: '隔壁餐馆' })).id;
    owner = await signIn(api, 'operator', `owner-${key()}`);
    officer = await signIn(api, 'operator', `officer-${key()}`);
    stranger = await signIn(api, 'operator', `stranger-${key()}`);
  });
  afterAll(() => api.close());

  it('when a regulator issues the owner code and the owner binds, then the owner invites a 安全员 who binds too', async () => {
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    expect(inv.status).toBe(201);
    expect((await bind(owner.token, inv.body.code)).body).toMatchObject({
      establishmentId: shopId,
      role: 'owner',
      roleLabel: '主要负责人',
    });
    // A second person cannot use a one-use code.
    const again = await bind(stranger.token, inv.body.code);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该邀请码的使用次数已用完');
    // A retry by the owner uses nothing and still succeeds.
    expect((await bind(owner.token, inv.body.code)).status).toBe(200);

    const staff = await api.http
      .post(`/api/v1/operator/shops/${shopId}/invitations`)
      .set(auth(owner.token))
      .send({ role: 'safety_officer', maxUses: 2 });
    expect(staff.status).toBe(201);
    expect((await bind(officer.token, staff.body.code)).body.role).toBe('safety_officer');
    const shops = await api.http.get('/api/v1/operator/shops').set(auth(officer.token));
    expect(shops.body).toEqual([expect.objectContaining({ id: shopId, name: '自查餐馆', roleLabel: '食品安全员' })]);
  });

  it('when an invitation is revoked or unknown, then binding is refused', async () => {
    const staff = await api.http
      .post(`/api/v1/operator/shops/${shopId}/invitations`)
      .set(auth(owner.token))
      .send({ role: 'director' });
    await api.http
      .delete(`/api/v1/operator/shops/${shopId}/invitations/${staff.body.code}`)
      .set(auth(owner.token))
      .expect(204);
    expect((await bind(stranger.token, staff.body.code)).body.error.message).toBe('该邀请码已被撤销');
    expect((await bind(stranger.token, 'ZZZZZZZZ')).status).toBe(404);
    expect((await bind(stranger.token, 'bad')).status).toBe(400);
  });

  it('when a 安全员 tries to invite, or a stranger reads the shop, then 403; staff of one shop never see another', async () => {
    expect(
      (
        await api.http
          .post(`/api/v1/operator/shops/${shopId}/invitations`)
          .set(auth(officer.token))
          .send({ role: 'director' })
      ).status,
    ).toBe(403);
    expect((await api.http.get(`/api/v1/operator/shops/${shopId}/self-checks`).set(auth(stranger.token))).status).toBe(
      403,
    );
    expect((await api.http.get(`/api/v1/operator/shops/${otherShopId}/dashboard`).set(auth(owner.token))).status).toBe(
      403,
    );
    expect(
      (await api.http.get(`/api/v1/operator/shops/${otherShopId}/checklist`).set(auth(officer.token))).status,
    ).toBe(403);
  });

  it('when a file is not an image, then it is refused by its content and nothing is stored', async () => {
    const before = await uploadModel(api.db).countDocuments();
    const res = await upload(officer.token, Buffer.from('%PDF-1.4 fake'), 'photo.png');
    expect(res.status).toBe(415);
    expect(await uploadModel(api.db).countDocuments()).toBe(before);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    expect((await upload(officer.token, big)).status).toBe(413);
  });

  it("when the 安全员 submits today's daily check with a photo, then one record exists even if sent twice", async () => {
    const photo = await upload(officer.token, PNG);
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({ type: 'image/png', size: PNG.length });
    expect(existsSync(api.config.uploadDir) && readdirSync(api.config.uploadDir).length).toBeGreaterThan(0);
    const body = { idempotencyKey: key(), date: today, items: allPass(photo.body.id) };
    const a = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send(body);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ kind: 'daily', period: today, late: false, role: 'safety_officer', seq: 1 });
    expect(a.body.content.zeroRisk).toBe(true);
    const b = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send(body);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect(await selfCheckModel(api.db).countDocuments({ establishmentId: a.body.establishmentId })).toBe(1);
    // A second, different original for the same day is refused: corrections are new records.
    const c = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ ...body, idempotencyKey: key() });
    expect(c.status).toBe(409);
    const fix = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ ...body, idempotencyKey: key(), correctionOf: a.body.id });
    expect(fix.status).toBe(201);
    expect(fix.body.correctionOf).toBe(a.body.id);
  });

  it("when a record uses a staff member's photo, then the shop's other members see it and no one else, old photos too", async () => {
    const bytes = Buffer.concat([PNG, Buffer.from(key())]);
    const photo = (await upload(officer.token, bytes)).body.id as string;
    const view = (token: string) => api.http.get(`/api/v1/uploads/${photo}`).set(auth(token));
    // WeChat's verdict arrives later (pushed by the stand-in): until it passes, only the taker sees it.
    for (let i = 0; i < 100 && (await uploadModel(api.db).findById(photo).lean())?.check?.state !== 'pass'; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect((await uploadModel(api.db).findById(photo).lean())?.check?.state).toBe('pass');
    // Not yet used by any record: only its taker (and regulators).
    expect((await view(owner.token)).status).toBe(403);
    await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ idempotencyKey: key(), date: addDays(today, -5), items: allPass(photo) })
      .expect(201);
    expect((await uploadModel(api.db).findById(photo).lean())?.shops).toEqual([shopId]);
    expect((await view(owner.token)).status).toBe(200);
    expect((await view(stranger.token)).status).toBe(403);
    // A photo stored before photos named their shops is looked for in the records.
    await uploadModel(api.db).updateOne({ _id: photo }, { $unset: { shops: '', usesKnown: '' } });
    expect((await view(owner.token)).status).toBe(200);
    expect((await view(stranger.token)).status).toBe(403);
  });

  it('when a required photo is missing, an item is unknown, or a fail has no action, then each is reported', async () => {
    const items = DEFAULT_DAILY_CHECKLIST.map((c) => ({ code: c.code, result: 'pass' }));
    items[0] = { code: 'D01', result: 'fail' };
    const res = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ idempotencyKey: key(), date: addDays(today, -3), items: [...items, { code: 'X99', result: 'pass' }] });
    expect(res.status).toBe(400);
    const messages = res.body.error.details.map((d: { message: string }) => d.message);
    expect(messages).toEqual(expect.arrayContaining(['不合格项须填写处理措施']));
    const res2 = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({
        idempotencyKey: key(),
        date: addDays(today, -3),
        items: [
          ...DEFAULT_DAILY_CHECKLIST.map((c) => ({ code: c.code, result: 'pass' })),
          { code: 'X99', result: 'pass' },
        ],
      });
    const m2 = res2.body.error.details.map((d: { message: string }) => d.message);
    expect(m2).toEqual(expect.arrayContaining(['检查项 X99 不在今日清单中', '「个人卫生」须拍照留证']));
  });

  it("when yesterday's record is made today, then it is kept and marked late", async () => {
    const res = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ idempotencyKey: key(), date: addDays(today, -1), zeroRisk: true });
    expect(res.status).toBe(201);
    expect(res.body.late).toBe(true);
  });

  it('when a 安全员 tries to submit the monthly minutes, then 403; the owner signs them', async () => {
    const sig = await upload(owner.token, PNG);
    const minutes = {
      idempotencyKey: key(),
      month: today.slice(0, 7),
      review: '本月日管控按时完成。',
      plan: '下月重点检查冷藏设备。',
      attendees: ['张老板', '李安全员'],
      signaturePhoto: sig.body.id,
    };
    const denied = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/monthly`)
      .set(auth(officer.token))
      .send(minutes);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('该记录由店主填报');
    const ok = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/monthly`)
      .set(auth(owner.token))
      .send(minutes);
    expect(ok.status).toBe(201);
    expect(ok.body.role).toBe('owner');
  });

  it('when a daily record failed an item this week, then the weekly draft carries it as an issue', async () => {
    const photo = await upload(officer.token, PNG);
    const day = addDays(today, -2);
    const items = allPass(photo.body.id);
    items[4] = {
      code: 'D05',
      result: 'fail',
      photos: [photo.body.id],
      note: '冷藏柜 12 ℃',
      action: '已移出食材并报修',
      escalate: true,
    } as never;
    await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ idempotencyKey: key(), date: day, items })
      .expect(201);
    const draft = await api.http
      .get(`/api/v1/operator/shops/${shopId}/self-checks/weekly-draft`)
      .query({ weekStart: mondayOf(day) })
      .set(auth(officer.token));
    expect(draft.status).toBe(200);
    expect(draft.body.issues).toEqual([expect.objectContaining({ code: 'D05', action: '已移出食材并报修' })]);
  });

  it('when the dashboard is opened, then it shows today done, the grade and overdue records', async () => {
    const res = await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(officer.token));
    expect(res.status).toBe(200);
    expect(res.body.tasks[0]).toMatchObject({ kind: 'daily', done: true, canSubmit: true });
    expect(res.body.tasks[2]).toMatchObject({ kind: 'monthly', done: true, canSubmit: false });
    expect(res.body.grade.status).toBeDefined();
    expect(res.body.escalations).toEqual([]); // the 安全员 sees nothing to follow up
    const ownerView = await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(owner.token));
    expect(ownerView.body.escalations).toEqual([
      expect.objectContaining({ code: 'D05', text: '贮存', note: '冷藏柜 12 ℃', action: '已移出食材并报修' }),
    ]);
  });

  it('when a stored record is altered, then the chain verification names it', async () => {
    const before = await api.http.get(`/api/v1/regulator/establishments/${shopId}/self-checks/verify`).set(asRegulator);
    expect(before.body).toMatchObject({ intact: true, breaks: [] });
    expect(before.body.records).toBeGreaterThanOrEqual(4);
    const first = await selfCheckModel(api.db).findOne({ seq: 1 }).lean();
    await selfCheckModel(api.db).updateOne({ _id: first?._id }, { $set: { period: addDays(today, -5) } });
    const after = await api.http.get(`/api/v1/regulator/establishments/${shopId}/self-checks/verify`).set(asRegulator);
    expect(after.body.intact).toBe(false);
    expect(after.body.breaks).toEqual([{ seq: 1, recordId: String(first?._id), reason: '记录内容已被改动' }]);
  });

  it('gives regulators history and on-time rates, and refuses operators there', async () => {
    const hist = await api.http
      .get(`/api/v1/regulator/establishments/${shopId}/self-checks`)
      .query({ kind: 'daily' })
      .set(asRegulator);
    expect(hist.status).toBe(200);
    expect(hist.body.every((r: { kind: string }) => r.kind === 'daily')).toBe(true);
    const rates = await api.http.get(`/api/v1/regulator/establishments/${shopId}/self-checks/rates`).set(asRegulator);
    expect(rates.status).toBe(200);
    expect(rates.body.startedOn).toBe(today);
    expect(
      (await api.http.get(`/api/v1/regulator/establishments/${shopId}/self-checks/rates`).set(auth(owner.token)))
        .status,
    ).toBe(403);
  });

  it("when a regulator adds a targeted item, then it is on the shop's next daily list until resolved", async () => {
    const add = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/targeted-items`)
      .set(asRegulator)
      .send({ text: '投诉整改：检查凉菜间紫外线灯使用记录', method: '查看记录', photoRequired: true });
    expect(add.status).toBe(201);
    let list = await api.http.get(`/api/v1/operator/shops/${shopId}/checklist`).set(auth(officer.token));
    expect(list.body.map((i: { code: string }) => i.code)).toContain(add.body.code);
    await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/targeted-items/${add.body.code}/resolve`)
      .set(asRegulator)
      .expect(204);
    list = await api.http.get(`/api/v1/operator/shops/${shopId}/checklist`).set(auth(officer.token));
    expect(list.body.map((i: { code: string }) => i.code)).not.toContain(add.body.code);
  });
});

describe('daily self-check reminders', () => {
  it('when today is not recorded after the reminder hour, then each 安全员 gets one WeChat message, once', async () => {
    const api = await startTestApi({ REMINDER_HOUR: '16' });
    try {
      const { createWeChatClient } = await import('../src/integrations/wechat.client');
      const { sendDailyReminders } = await import('../src/modules/selfchecks/reminder.service');
      const { userModel } = await import('../src/modules/auth/user.model');
      const shop = await createShop(api, { name: '提醒餐馆' });
      const officerName = `remind-${key()}`;
      const officer = await signIn(api, 'operator', officerName);
      const inv = await api.http
        .post(`/api/v1/regulator/establishments/${shop.id}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner' });
      const owner = await signIn(api, 'operator', `remind-owner-${key()}`);
      await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
      const staff = await api.http
        .post(`/api/v1/operator/shops/${shop.id}/invitations`)
        .set(auth(owner.token))
        .send({ role: 'safety_officer' });
      await api.http.post('/api/v1/operator/bind').set(auth(officer.token)).send({ code: staff.body.code }).expect(200);
      await api.wechat.consent('operator', officerName, ['selfCheckReminder']);

      const wechat = createWeChatClient(api.config.wechat);
      const deps = { db: api.db, wechat, config: api.config };
      const morning = new Date(`${today}T01:00:00Z`); // 09:00 in China
      const evening = new Date(`${today}T10:00:00Z`); // 18:00 in China
      expect(await sendDailyReminders(deps, morning)).toEqual({ sent: 0, refused: 0 });
      expect((await sendDailyReminders(deps, evening)).sent).toBe(1);
      expect((await sendDailyReminders(deps, evening)).sent).toBe(0);

      const openid = (await userModel(api.db).findById(officer.user.id).lean())?.openid as string;
      const inbox = { messages: api.wechat.inboxOf(openid) };
      expect(inbox.messages).toHaveLength(1);
      expect(inbox.messages[0]?.data.thing1?.value).toBe('提醒餐馆');
      expect(inbox.messages[0]?.page).toBe(`pages/daily/index?shop=${shop.id}`);
    } finally {
      await api.close();
    }
  });
});
