import { DEFAULT_DAILY_CHECKLIST, chinaDate } from '@ygsa/shared';
import { selfCheckModel } from '../src/modules/selfchecks/selfcheck.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const today = chinaDate(new Date());
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe("a shop's members open one of its self-check records and see whether the chain holds", () => {
  let api: TestApi;
  let shopId: string;
  let owner: { token: string };
  let stranger: { token: string };
  let recordId: string;
  let photo: string;

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '记录小店' })).id;
    owner = await signIn(api, 'operator', `rec-owner-${key()}`);
    stranger = await signIn(api, 'operator', `rec-stranger-${key()}`);
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
    photo = (await api.http.post('/api/v1/uploads').set(auth(owner.token)).attach('file', PNG, 'p.png')).body.id;
    const items = DEFAULT_DAILY_CHECKLIST.map((c) => ({
      code: c.code,
      result: c.code === 'D05' ? 'fail' : 'pass',
      photos: c.photoRequired ? [photo] : [],
      ...(c.code === 'D05' ? { note: '冷藏柜 10 ℃', action: '已调温并移出食材' } : {}),
    }));
    const rec = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(owner.token))
      .send({ idempotencyKey: key(), date: today, items });
    expect(rec.status).toBe(201);
    recordId = rec.body.id;
  });
  afterAll(() => api.close());

  it('when a member opens a record, then it shows its items, photos, time and a chain that verifies', async () => {
    const res = await api.http.get(`/api/v1/operator/shops/${shopId}/self-checks/${recordId}`).set(auth(owner.token));
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({ id: recordId, kind: 'daily', period: today, role: 'owner', seq: 1 });
    expect(res.body.record.content.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'D03', result: 'pass', photos: [photo] }),
        expect.objectContaining({ code: 'D05', result: 'fail', note: '冷藏柜 10 ℃', action: '已调温并移出食材' }),
      ]),
    );
    expect(res.body.verification).toEqual({ intact: true, chainIntact: true, breaks: [], records: 1 });
    const chain = await api.http.get(`/api/v1/operator/shops/${shopId}/self-checks/verify`).set(auth(owner.token));
    expect(chain.body).toEqual({ records: 1, intact: true, breaks: [] });
  });

  it('when someone outside the shop asks, then 403; an id of no record of the shop, then 404', async () => {
    const other = await api.http
      .get(`/api/v1/operator/shops/${shopId}/self-checks/${recordId}`)
      .set(auth(stranger.token));
    expect(other.status).toBe(403);
    expect(
      (await api.http.get(`/api/v1/operator/shops/${shopId}/self-checks/verify`).set(auth(stranger.token))).status,
    ).toBe(403);
    const missing = await api.http
      .get(`/api/v1/operator/shops/${shopId}/self-checks/0123456789abcdef01234567`)
      .set(auth(owner.token));
    expect(missing.status).toBe(404);
  });

  it('when the stored record is altered, then its detail says it does not verify', async () => {
    await selfCheckModel(api.db).updateOne({ _id: recordId }, { $set: { 'content.failCount': 0 } });
    const res = await api.http.get(`/api/v1/operator/shops/${shopId}/self-checks/${recordId}`).set(auth(owner.token));
    expect(res.body.verification).toMatchObject({
      intact: false,
      chainIntact: false,
      breaks: [{ seq: 1, recordId, reason: '记录内容已被改动' }],
    });
  });
});
