import type { Response } from 'supertest';
import { DEFAULT_DAILY_CHECKLIST, chinaDate } from '@ygsa/shared';
import { userModel } from '../src/modules/auth/user.model';
import { complaintModel } from '../src/modules/complaints/complaint.model';
import { captureModel, caseModel, noticeModel, reminderModel } from '../src/modules/enforcement/enforcement.models';
import { invitationModel } from '../src/modules/members/invitation.model';
import { memberModel } from '../src/modules/members/member.model';
import { committeeModel } from '../src/modules/members/committee.model';
import { recordModel } from '../src/modules/records/record.models';
import { selfCheckModel } from '../src/modules/selfchecks/selfcheck.model';
import { uploadModel } from '../src/modules/uploads/upload.service';
import { PNG, aiBox, auth, captureRequest, ownerOf, postCapture } from './enforcement-helpers';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key, scoresFor } from './shops';

/**
 * Boxes retry on timeouts, phones resend on a bad network, a double tap sends twice: every
 * idempotent route is hit here by N identical requests at the same moment. Each must leave one
 * record, give every copy the same answer, and never fail with a 5xx.
 */
const N = 10;
const today = chinaDate(new Date());

/** Fires the same request N times at once. */
const together = (request: () => PromiseLike<Response>) => Promise.all(Array.from({ length: N }, () => request()));

/** No 5xx; the first write 201 and its copies 200 (or all `only`); one answer for all. */
function expectOneAnswer(responses: Response[], opts: { created?: number; same?: (body: never) => unknown } = {}) {
  const statuses = responses.map((r) => r.status).sort();
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  if (opts.created) {
    expect(statuses.filter((s) => s === opts.created)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(N - 1);
  } else expect(new Set(statuses)).toEqual(new Set([200]));
  const pick = opts.same ?? ((b: never) => b);
  const answers = new Set(responses.map((r) => JSON.stringify(pick(r.body as never))));
  expect(answers.size).toBe(1);
}

describe(`${N} identical requests at once`, () => {
  let api: TestApi;
  let shopId: string;
  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '并发餐馆', location: { lng: 120.1551, lat: 30.2741, crs: 'GCJ02' } })).id;
  });
  afterAll(() => api.close());

  it('AI capture: one 201 and nine 200, one capture, one ladder step', async () => {
    const shop = (await createShop(api, { name: '并发抓拍餐馆' })).id;
    const box = await aiBox(api, shop);
    const req = captureRequest(box, { category: 'no_hat' });
    const answers = await together(() => postCapture(api, req));
    expectOneAnswer(answers, { created: 201, same: (b: { id: string; outcome: unknown }) => [b.id, b.outcome] });
    expect(answers[0]?.body.outcome).toMatchObject({ step: 'reminder' });
    expect(await captureModel(api.db).countDocuments({ establishmentId: shop })).toBe(1);
    expect(await reminderModel(api.db).countDocuments({ establishmentId: shop })).toBe(1);
    expect(await noticeModel(api.db).countDocuments({ establishmentId: shop })).toBe(0);
  });

  it('photo upload: one stored photo, one uploader entry', async () => {
    const user = await signIn(api, 'public', `up-${key()}`);
    const photo = Buffer.concat([PNG, Buffer.from(key())]);
    const answers = await together(() =>
      api.http.post('/api/v1/uploads').set(auth(user.token)).attach('file', photo, 'p.png'),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const doc = await uploadModel(api.db).findById(answers[0]?.body.id).lean();
    expect(doc?.uploadedBy).toEqual([user.user.id]);
  });

  it('complaint: one complaint, one number', async () => {
    const diner = await signIn(api, 'public', `c-${key()}`);
    const body = {
      idempotencyKey: key(),
      type: 'complaint',
      establishmentId: shopId,
      category: 'spoiled',
      description: '买到的凉菜有酸味，已经变质。',
      location: { lng: 120.1551, lat: 30.2741 },
      name: '赵六',
      phone: '13700137000',
      address: '示范区和平路 3 号',
      request: '退款',
    };
    const answers = await together(() => api.http.post('/api/v1/complaints').set(auth(diner.token)).send(body));
    expectOneAnswer(answers, {
      created: 201,
      same: (b: { complaint: { id: string; number: string } }) => b.complaint.number,
    });
    expect(await complaintModel(api.db).countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
  });

  it('daily self-check: one record in the chain', async () => {
    const owner = await ownerOf(api, shopId);
    const body = {
      idempotencyKey: key(),
      date: today,
      zeroRisk: true,
      items: DEFAULT_DAILY_CHECKLIST.filter((c) => !c.photoRequired).map((c) => ({ code: c.code, result: 'pass' })),
    };
    const officer = await ownerOf(api, shopId, 'safety_officer', owner);
    const answers = await together(() =>
      api.http.post(`/api/v1/operator/shops/${shopId}/self-checks/daily`).set(auth(officer)).send(body),
    );
    expect(answers.map((a) => a.status).filter((s) => s >= 500)).toEqual([]);
    expect(new Set(answers.map((a) => a.body.id ?? a.body.error?.code)).size).toBe(1);
    expect(await selfCheckModel(api.db).countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
  });

  it('inspection record: one record', async () => {
    const body = { idempotencyKey: key(), date: today, inspector: '张检查', scores: scoresFor(92), findings: [] };
    const answers = await together(() =>
      api.http.post(`/api/v1/regulator/establishments/${shopId}/inspections`).set(asRegulator).send(body),
    );
    expectOneAnswer(answers, { created: 201, same: (b: { id: string }) => b.id });
    expect(await recordModel(api.db, 'Inspection').countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
  });

  it('rectification reply, case response and signature: one each', async () => {
    const shop = (await createShop(api, { name: '并发整改餐馆' })).id;
    const owner = await ownerOf(api, shop);
    const notice = await api.http
      .post(`/api/v1/regulator/establishments/${shop}/notices`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), topic: 'pests', requirement: '封堵鼠洞，请专业公司灭鼠' });
    expect(notice.status).toBe(201);
    const photo = await api.http.post('/api/v1/uploads').set(auth(owner)).attach('file', PNG, 'fix.png');
    const reply = { idempotencyKey: key(), text: '已请专业公司灭鼠', photos: [photo.body.id] };
    const replies = await together(() =>
      api.http.post(`/api/v1/operator/shops/${shop}/notices/${notice.body.id}/replies`).set(auth(owner)).send(reply),
    );
    expect(replies.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    expect(new Set(replies.map((r) => r.status)).size).toBe(1);
    expect((await noticeModel(api.db).findById(notice.body.id).lean())?.replies).toHaveLength(1);

    const created = await api.http
      .post(`/api/v1/regulator/establishments/${shop}/cases`)
      .set(asRegulator)
      .send({ idempotencyKey: `case-${key()}`, category: 'smoking', notes: '抓拍到后厨吸烟' });
    const caseUrl = `/api/v1/operator/shops/${shop}/cases/${created.body.id}`;
    const consents = await together(() =>
      api.http
        .post(`/api/v1/operator/shops/${shop}/e-delivery-consent`)
        .set(auth(owner))
        .send({ name: '钱店长', agree: true }),
    );
    expectOneAnswer(consents, { same: (b: { at: string }) => b.at });
    await api.http.get(caseUrl).set(auth(owner)).expect(200);
    const responses = await together(() =>
      api.http.post(`${caseUrl}/response`).set(auth(owner)).send({ decision: 'confirm' }),
    );
    expectOneAnswer(responses, { same: (b: { toSign: { sha256: string } }) => b.toSign.sha256 });
    const sha = responses[0]?.body.toSign.sha256 as string;
    const sig = await api.http.post('/api/v1/uploads').set(auth(owner)).attach('file', PNG, 'sig.png');
    const signed = await together(() =>
      api.http.post(`${caseUrl}/signature`).set(auth(owner)).send({ documentSha256: sha, signature: sig.body.id }),
    );
    expectOneAnswer(signed, { same: (b: { signature: { at: string } }) => b.signature.at });
    const kase = await caseModel(api.db).findById(created.body.id).lean();
    expect(kase?.status).toBe('signed');
  });

  it('binding with an invitation code: one membership, one use of the code', async () => {
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner', maxUses: 3 });
    const who = await signIn(api, 'operator', `bind-${key()}`);
    const answers = await together(() =>
      api.http.post('/api/v1/operator/bind').set(auth(who.token)).send({ code: inv.body.code }),
    );
    expectOneAnswer(answers);
    expect(await memberModel(api.db).countDocuments({ userId: who.user.id })).toBe(1);
    expect((await invitationModel(api.db).findOne({ code: inv.body.code }).lean())?.remaining).toBe(2);
  });

  it("joining a school's parents' committee: one member, one use of the code", async () => {
    const school = (await createShop(api, { name: '并发小学食堂', businessType: 'school_canteen' })).id;
    const owner = await ownerOf(api, school);
    const inv = await api.http
      .post(`/api/v1/operator/shops/${school}/committee-invitations`)
      .set(auth(owner))
      .send({ maxUses: 5 });
    const parent = await signIn(api, 'public', `parent-${key()}`);
    const answers = await together(() =>
      api.http
        .post('/api/v1/committee/join')
        .set(auth(parent.token))
        .send({ code: inv.body.code, name: '孙丽', grade: '二年级一班' }),
    );
    expectOneAnswer(answers);
    expect(await committeeModel(api.db).countDocuments({ userId: parent.user.id })).toBe(1);
    expect((await invitationModel(api.db).findOne({ code: inv.body.code }).lean())?.remaining).toBe(4);
  });

  it("a person's first sign-in: one user", async () => {
    const name = `first-${key()}`;
    const codes = await Promise.all(Array.from({ length: N }, () => api.wechat.loginCode('public', name)));
    const answers = await Promise.all(
      codes.map((code) => api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(200));
    expect(new Set(answers.map((a) => a.body.user.id)).size).toBe(1);
    const openid = api.wechat.fake.openidOf(api.wechat.appid('public'), name);
    expect(await userModel(api.db).countDocuments({ openid })).toBe(1);
  });
});
