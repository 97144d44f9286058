import { RegulatorAccountSchema, RegulatorBindResponseSchema } from '@ygsa/shared';
import { Types } from 'mongoose';
import { allRoutes } from '../src/modules';
import { planTaskModel } from '../src/modules/plans/plan.models';
import { onsiteModel } from '../src/modules/onsite/onsite.models';
import type { AppDeps } from '../src/deps';
import { signIn, startTestApi, type TestApi } from './helpers';
import { aiBox } from './enforcement-helpers';
import { asRegulator, createShop, key } from './shops';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
/** Inside the 测试区 polygon (cloud-api/config/districts.geojson), and inside 示范区's. */
const IN_TEST = { lng: 120.08, lat: 30.2 };
const IN_DEMO = { lng: 120.1551, lat: 30.2741 };

describe('regulator accounts: invitation, binding, jurisdiction', () => {
  let api: TestApi;
  let inspector: string;
  let mine: { id: string };
  let theirs: { id: string };
  /** Resources of the shop outside the inspector's district, by the kind a path names. */
  const outside: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi();
    mine = await createShop(api, { name: '本辖区餐馆', district: '测试区', location: { ...IN_TEST, crs: 'GCJ02' } });
    theirs = await createShop(api, { name: '外辖区餐馆', district: '示范区', location: { ...IN_DEMO, crs: 'GCJ02' } });
  });
  afterAll(() => api.close());

  it('when an administrator invites an inspector, then the person binds in the regulators’ app and holds that jurisdiction', async () => {
    const invited = await api.http
      .post('/api/v1/regulator/invitations')
      .set(asRegulator)
      .send({
        role: 'inspector',
        name: '李检查',
        districts: ['测试区'],
        offices: ['测试区市场监督管理所'],
        certificateNo: 'ZJ3301-0042',
      });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ role: 'inspector', roleLabel: '监督检查人员', usedAt: null });
    const code = invited.body.code as string;

    // Signed in to the regulators' app, not yet bound: a regulator route refuses them.
    const name = `inspector-${key()}`;
    const person = await signIn(api, 'regulator', name);
    expect(person.user.roles).toEqual(['applicant']);
    expect((await api.http.get('/api/v1/regulator/me').set(auth(person.token))).status).toBe(403);
    // A diner cannot bind (the public app's users are not regulators).
    const diner = await signIn(api, 'public', `diner-${key()}`);
    expect((await api.http.post('/api/v1/regulator/bind').set(auth(diner.token)).send({ code })).status).toBe(403);

    const bound = await api.http.post('/api/v1/regulator/bind').set(auth(person.token)).send({ code });
    expect(bound.status).toBe(200);
    const body = RegulatorBindResponseSchema.parse(bound.body);
    expect(body.user.roles).toEqual(['regulator']);
    expect(body.account).toMatchObject({
      name: '李检查',
      role: 'inspector',
      jurisdiction: { city: false, districts: ['测试区'], offices: ['测试区市场监督管理所'] },
      jurisdictionLabel: '测试区；测试区市场监督管理所',
      certificateNo: 'ZJ3301-0042',
    });
    inspector = body.token;
    const me = RegulatorAccountSchema.parse((await api.http.get('/api/v1/regulator/me').set(auth(inspector))).body);
    expect(me.userId).toBe(person.user.id);
    // A retry by the same person answers the same account; anyone else finds the code used.
    expect((await api.http.post('/api/v1/regulator/bind').set(auth(person.token)).send({ code })).status).toBe(200);
    const other = await signIn(api, 'regulator', `other-${key()}`);
    const taken = await api.http.post('/api/v1/regulator/bind').set(auth(other.token)).send({ code });
    expect([taken.status, taken.body.error.message]).toEqual([409, '该邀请码已被使用']);
    // Signing in again, the person is a regulator at once.
    expect((await signIn(api, 'regulator', name)).user.roles).toEqual(['regulator']);
  });

  it('when an inspector calls any regulator route about a resource of another district, then 403', async () => {
    // The other district's shop, its camera and box, a notice, a case and a complaint about it.
    const box = await aiBox(api, theirs.id);
    outside.establishments = theirs.id;
    outside.cameras = box.cameraId;
    outside['ai-devices'] = box.id;
    const notice = await api.http
      .post(`/api/v1/regulator/establishments/${theirs.id}/notices`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), topic: 'inspection', requirement: '清理后厨积水并拍照回复' });
    outside.notices = notice.body.id;
    const kase = await api.http
      .post(`/api/v1/regulator/establishments/${theirs.id}/cases`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), category: 'smoking', notes: '检查发现厨师在后厨吸烟' });
    outside.cases = kase.body.id;
    const diner = await signIn(api, 'public', `diner-${key()}`);
    const photo = await api.http.post('/api/v1/uploads').set(auth(diner.token)).attach('file', PNG, 'p.png');
    const complaint = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send({
        idempotencyKey: key(),
        type: 'report',
        establishmentId: theirs.id,
        category: 'unhygienic',
        description: '后厨地面很脏，苍蝇很多，请来检查。',
        photos: [photo.body.id],
        location: IN_DEMO,
        anonymous: true,
      });
    expect(complaint.body.complaint.office).toBe('示范区市场监督管理所');
    outside.complaints = complaint.body.complaint.id;
    // A 双随机 task of the other district's shop (as a plan there would have drawn it).
    const task = await planTaskModel(api.db).create({
      _id: new Types.ObjectId(),
      planId: String(new Types.ObjectId()),
      planTitle: '外辖区抽查计划',
      due: '2099-12-31',
      from: '2000-01-01',
      order: 0,
      establishmentId: new Types.ObjectId(theirs.id),
      shopName: '外辖区餐馆',
      district: '示范区',
      risk: 'B',
      inspectors: [],
      inspectorNames: [],
      unassigned: null,
      status: 'assigned',
    });
    outside.tasks = String(task._id);
    // An on-site inspection of that shop.
    const onsite = await onsiteModel(api.db).create({
      _id: new Types.ObjectId(),
      idempotencyKey: key(),
      establishmentId: new Types.ObjectId(theirs.id),
      district: '示范区',
      shopName: '外辖区餐馆',
      licenceNo: 'JY0000',
      address: '示范区',
      businessType: 'restaurant',
      date: '2026-12-01',
      state: 'draft',
      inspectors: [],
      createdBy: 'test',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    outside['onsite-inspections'] = String(onsite._id);
    outside.photo = photo.body.id;

    const routes = allRoutes({ config: api.config, db: api.db } as AppDeps).filter(
      (r) => Array.isArray(r.access) && r.access.includes('regulator'),
    );
    // Every regulator route says how it keeps to the caller's jurisdiction.
    expect(routes.filter((r) => !r.jurisdiction).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const walked: string[] = [];
    for (const route of routes.filter((r) => r.jurisdiction === 'resource')) {
      const kind = /^\/api\/v1\/regulator\/([a-z-]+)\//.exec(route.path)?.[1] ?? '';
      const path = route.path
        .replace(':id', outside[kind] ?? '65a0000000000000000000aa')
        .replace(':userId', '65a0000000000000000000bb')
        .replace(':code', 'R01');
      const res = await api.http[route.method.toLowerCase() as 'get'](path).set(auth(inspector)).send({});
      expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 403]);
      walked.push(`${route.method} ${route.path}`);
    }
    expect(walked.length).toBeGreaterThan(30);
    // The same routes answer about the inspector's own district (the refusal is not a blanket one).
    expect((await api.http.get(`/api/v1/regulator/establishments/${mine.id}`).set(auth(inspector))).status).toBe(200);
    expect(
      (await api.http.get(`/api/v1/regulator/establishments/${mine.id}/timeline`).set(auth(inspector))).status,
    ).toBe(200);
  });

  it('when an inspector lists, then only their districts’ shops, complaints, notices, cases and alerts appear', async () => {
    const shops = await api.http.get('/api/v1/regulator/establishments').query({ pageSize: 100 }).set(auth(inspector));
    const ids = shops.body.items.map((s: { id: string }) => s.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const complaints = await api.http
      .get('/api/v1/regulator/complaints')
      .query({ status: 'submitted', pageSize: 100 })
      .set(auth(inspector));
    expect(complaints.body.items.map((c: { id: string }) => c.id)).not.toContain(outside.complaints);
    const office = await api.http
      .get('/api/v1/regulator/complaints')
      .query({ office: '示范区市场监督管理所', status: 'submitted' })
      .set(auth(inspector));
    expect(office.status).toBe(403);
    const notices = await api.http.get('/api/v1/regulator/notices').query({ status: 'open' }).set(auth(inspector));
    expect(notices.body.map((n: { id: string }) => n.id)).not.toContain(outside.notices);
    const everyNotice = await api.http.get('/api/v1/regulator/notices').set(auth(inspector));
    expect(everyNotice.body.map((n: { id: string }) => n.id)).not.toContain(outside.notices);
    const cases = await api.http.get('/api/v1/regulator/cases').query({ status: 'confirmed' }).set(auth(inspector));
    expect(cases.body.map((c: { id: string }) => c.id)).not.toContain(outside.cases);
    const byShop = await api.http.get('/api/v1/regulator/notices').query({ establishmentId: theirs.id });
    expect(byShop.status).toBe(401);
    expect(
      (await api.http.get('/api/v1/regulator/notices').query({ establishmentId: theirs.id }).set(auth(inspector)))
        .status,
    ).toBe(403);
    // The administrator of the whole city sees them.
    const all = await api.http.get('/api/v1/regulator/notices').query({ status: 'open' }).set(asRegulator);
    expect(all.body.map((n: { id: string }) => n.id)).toContain(outside.notices);
  });

  it("when an inspector asks for a photo of another district's complaint, then 403; the city administrator sees it", async () => {
    expect((await api.http.get(`/api/v1/uploads/${outside.photo}`).set(auth(inspector))).status).toBe(403);
    expect((await api.http.get(`/api/v1/uploads/${outside.photo}`).set(asRegulator)).status).toBe(200);
  });

  it('when an administrator ends an account, then its next request is refused, and only administrators manage accounts', async () => {
    const me = RegulatorAccountSchema.parse((await api.http.get('/api/v1/regulator/me').set(auth(inspector))).body);
    expect((await api.http.get('/api/v1/regulator/accounts').set(auth(inspector))).status).toBe(403);
    const accounts = await api.http.get('/api/v1/regulator/accounts').set(asRegulator);
    expect([accounts.status, accounts.body.error]).toEqual([200, undefined]);
    expect(accounts.body.map((a: { userId: string }) => a.userId)).toContain(me.userId);
    const ended = await api.http
      .patch(`/api/v1/regulator/accounts/${me.userId}`)
      .set(asRegulator)
      .send({ active: false });
    expect(ended.body.active).toBe(false);
    const refused = await api.http.get(`/api/v1/regulator/establishments/${mine.id}`).set(auth(inspector));
    expect([refused.status, refused.body.error.message]).toEqual([403, '监管账号未开通或已停用，请联系管理员']);
  });
});
