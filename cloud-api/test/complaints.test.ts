import { addWorkingDays, chinaDate, ComplaintViewSchema } from '@ygsa/shared';
import { complaintModel } from '../src/modules/complaints/complaint.model';
import { routeToOffice } from '../src/modules/complaints/routing';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, inspect, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);
const CENTRE = { lng: 120.1551, lat: 30.2741 }; // inside 示范区
const METRE_LAT = 1 / 111_195.08; // degrees of latitude per metre on turf's sphere
const today = chinaDate(new Date());

describe('complaints and reports', () => {
  let api: TestApi;
  let shopId: string;
  let diner: { token: string; user: { id: string } };
  let dinerName: string;
  let other: { token: string; user: { id: string } };
  const complaint = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: key(),
    type: 'complaint',
    establishmentId: shopId,
    category: 'foreign_object',
    description: '在米饭里吃出一根头发，已拍照留存。',
    location: CENTRE,
    name: '王小明',
    phone: '13800138000',
    address: '示范区幸福路 8 号 2 单元',
    request: '退还餐费并整改',
    ...over,
  });

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '被投诉餐馆', location: { ...CENTRE, crs: 'GCJ02' } })).id;
    await inspect(api, shopId, today, 95);
    dinerName = `diner-${key()}`;
    diner = await signIn(api, 'public', dinerName);
    other = await signIn(api, 'public', `other-${key()}`);
  });
  afterAll(() => api.close());

  it('routes by the district polygons, and outside every polygon to the default office, flagged', () => {
    const file = api.config.complaints.districtsFile;
    expect(routeToOffice(file, '中心', CENTRE)).toEqual({
      office: '示范区市场监督管理所',
      district: '示范区',
      outsideDistricts: false,
    });
    expect(routeToOffice(file, '中心', { lng: 121.5, lat: 31.2 })).toEqual({
      office: '中心',
      district: null,
      outsideDistricts: true,
    });
  });

  it('when a diner files a complaint twice (a retry), then one complaint exists, with the legal deadline', async () => {
    const body = complaint();
    const a = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(body);
    const b = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.complaint.id).toBe(a.body.complaint.id);
    const view = ComplaintViewSchema.parse(a.body.complaint);
    expect(view).toMatchObject({ status: 'submitted', office: '示范区市场监督管理所', deadlineLabel: '受理决定期限' });
    expect(view.deadline).toBe(addWorkingDays(today, 7).date);
    expect(await complaintModel(api.db).countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
  });

  it('when a 投诉 lacks name, phone or request, or is marked anonymous, then each is reported and nothing stored', async () => {
    const before = await complaintModel(api.db).countDocuments();
    const res = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ name: undefined, phone: '123', request: undefined, anonymous: true }));
    expect(res.status).toBe(400);
    const messages = res.body.error.details.map((d: { message: string }) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining(['投诉须填写姓名', '请填写 11 位手机号', '投诉须填写诉求', '投诉须实名，匿名请选择举报']),
    );
    expect(await complaintModel(api.db).countDocuments()).toBe(before);
  });

  it('when a photo was never uploaded, then the complaint is refused', async () => {
    const res = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(complaint({ photos: ['a'.repeat(64)] }));
    expect(res.status).toBe(400);
  });

  it('when an anonymous report is filed, then nothing identifies the reporter, and only its device can follow it', async () => {
    const photo = await api.http.post('/api/v1/uploads').set(auth(other.token)).attach('file', PNG, 'p.png');
    const res = await api.http
      .post('/api/v1/complaints')
      .set(auth(other.token))
      .send({
        idempotencyKey: key(),
        type: 'report',
        establishmentId: shopId,
        category: 'unhygienic',
        description: '后厨地面积水，垃圾桶未加盖。',
        photos: [photo.body.id],
        location: CENTRE,
        anonymous: true,
      });
    expect(res.status).toBe(201);
    expect(res.body.deviceKey).toMatch(/^[\w-]{32}$/);
    expect(res.body.complaint.deadlineLabel).toBe('立案决定期限');
    const stored = await complaintModel(api.db).findById(res.body.complaint.id).lean();
    expect(stored?.complainant).toBeNull();
    expect(JSON.stringify(stored)).not.toContain(other.user.id);
    // Without the device key the reporter's account does not list it…
    const mine = await api.http.get('/api/v1/complaints/mine').set(auth(other.token));
    expect(mine.body.map((c: { id: string }) => c.id)).not.toContain(res.body.complaint.id);
    // …with it, the status is there, but no outcome text.
    await api.http
      .post(`/api/v1/regulator/complaints/${res.body.complaint.id}/actions`)
      .set(asRegulator)
      .send({ action: 'accept', note: '已立案调查' })
      .expect(200);
    const withKey = await api.http
      .get('/api/v1/complaints/mine')
      .set(auth(other.token))
      .set('X-Device-Keys', res.body.deviceKey);
    const seen = withKey.body.find((c: { id: string }) => c.id === res.body.complaint.id);
    expect(seen.statusLabel).toBe('已受理');
    expect(seen.timeline.map((t: { note: string }) => t.note)).toEqual(['', '']);
  });

  it('suggests an open complaint about the same shop at 49 m, but not at 51 m', async () => {
    const at = (m: number) => ({ establishmentId: shopId, lng: CENTRE.lng, lat: CENTRE.lat + m * METRE_LAT });
    const near = await api.http.get('/api/v1/complaints/similar').query(at(49)).set(auth(other.token));
    const far = await api.http.get('/api/v1/complaints/similar').query(at(51)).set(auth(other.token));
    expect(near.body.length).toBeGreaterThan(0);
    // In 10 m steps, and nothing of what the filer wrote or who they are.
    expect(near.body[0]).toEqual({
      id: expect.any(String),
      categoryLabel: '异物',
      statusLabel: expect.any(String),
      distanceM: 50,
      createdAt: expect.any(String),
      parties: expect.any(Number),
    });
    expect(far.body).toEqual([]);
  });

  it('我也遇到: the joiner files their own 投诉 as a party, with its own deadline; the regulator sees every party', async () => {
    const first = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    const mine = complaint({
      name: '李四',
      phone: '13900001111',
      address: '示范区新华路 6 号',
      description: '同一天在这家店吃饭，饺子里也有塑料片。',
      request: '退款',
    });
    const joined = await api.http
      .post(`/api/v1/complaints/${first.body.complaint.id}/join`)
      .set(auth(other.token))
      .send(mine);
    expect(joined.status).toBe(201);
    expect(joined.body.complaint).toMatchObject({
      number: expect.stringMatching(/^TS/),
      deadlineLabel: '受理决定期限',
      description: '同一天在这家店吃饭，饺子里也有塑料片。',
      joinedCount: 1,
    });
    expect(joined.body.complaint.id).not.toBe(first.body.complaint.id);
    // A retry of the join is the same party.
    const again = await api.http
      .post(`/api/v1/complaints/${first.body.complaint.id}/join`)
      .set(auth(other.token))
      .send(mine);
    expect([again.status, again.body.complaint.id]).toEqual([200, joined.body.complaint.id]);
    // The joiner follows their own record; the first filer sees one other party.
    const joinerMine = await api.http.get('/api/v1/complaints/mine').set(auth(other.token));
    expect(joinerMine.body.map((c: { id: string }) => c.id)).toContain(joined.body.complaint.id);
    const filerMine = await api.http.get('/api/v1/complaints/mine').set(auth(diner.token));
    expect(filerMine.body.find((c: { id: string }) => c.id === first.body.complaint.id).joinedCount).toBe(1);
    // The regulator sees both parties, each with its identity.
    const reg = await api.http.get(`/api/v1/regulator/complaints/${first.body.complaint.id}`).set(asRegulator);
    expect(reg.body.parties).toEqual([expect.objectContaining({ id: joined.body.complaint.id, type: 'complaint' })]);
    const party = await api.http.get(`/api/v1/regulator/complaints/${joined.body.complaint.id}`).set(asRegulator);
    expect(party.body).toMatchObject({
      groupId: first.body.complaint.id,
      complainant: { name: '李四', phone: '13900001111', address: '示范区新华路 6 号' },
      parties: [expect.objectContaining({ id: first.body.complaint.id })],
    });
    // Only about the same shop.
    const elsewhere = await api.http
      .post(`/api/v1/complaints/${first.body.complaint.id}/join`)
      .set(auth(other.token))
      .send(complaint({ establishmentId: '65a000000000000000000099' }));
    expect(elsewhere.status).toBe(400);
  });

  it('when a regulator accepts and resolves an upheld complaint, then the timeline records it, the filer is told, and the grade drops', async () => {
    // On submitting, the public app asked for the status message and the diner allowed it (twice: two changes).
    await api.wechat.consent('public', dinerName, ['complaintStatus'], 2);
    const filed = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    const id = filed.body.complaint.id;
    const accepted = await api.http
      .post(`/api/v1/regulator/complaints/${id}/actions`)
      .set(asRegulator)
      .send({ action: 'accept' });
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      deadlineLabel: '调解期限',
      deadline: addWorkingDays(today, 45).date,
    });
    expect(accepted.body.complainant).toEqual({
      name: '王小明',
      phone: '13800138000',
      phoneVerified: false,
      address: '示范区幸福路 8 号 2 单元',
      request: '退还餐费并整改',
    });
    const wrong = await api.http
      .post(`/api/v1/regulator/complaints/${id}/actions`)
      .set(asRegulator)
      .send({ action: 'reject', reason: '不属于受理范围' });
    expect(wrong.status).toBe(409);
    const before = (await establishmentModel(api.db).findById(shopId).lean())?.grade.score as number;
    const resolved = await api.http.post(`/api/v1/regulator/complaints/${id}/actions`).set(asRegulator).send({
      action: 'resolve',
      result: '经查属实，责令整改并退还餐费',
      upheld: true,
      addTargetedItem: '检查米饭加工过程防异物措施',
    });
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.timeline.map((t: { statusLabel: string }) => t.statusLabel)).toEqual([
      '已提交',
      '已受理',
      '已办结',
    ]);
    const after = (await establishmentModel(api.db).findById(shopId).lean())?.grade;
    expect(after?.score).toBe(before - 2);
    expect(after?.reasons).toContain('查实投诉 1 件，扣 2 分');
    const mine = await api.http.get('/api/v1/complaints/mine').set(auth(diner.token));
    expect(mine.body.find((c: { id: string }) => c.id === id).timeline[2].note).toBe('经查属实，责令整改并退还餐费');
    // Each status change reached the filer's WeChat (the fake server's inbox).
    const { userModel } = await import('../src/modules/auth/user.model');
    const openid = (await userModel(api.db).findById(diner.user.id).lean())?.openid as string;
    let labels: string[] = [];
    // Messages go out after the answer: wait for them (up to 10 s on a loaded machine).
    for (let i = 0; i < 100 && !labels.includes('已办结'); i += 1) {
      labels = api.wechat.inboxOf(openid).map((m) => m.data.phrase2?.value ?? '');
      if (!labels.includes('已办结')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(labels).toEqual(expect.arrayContaining(['已受理', '已办结']));
  });

  it('lists overdue complaints for regulators', async () => {
    const old = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    await complaintModel(api.db).updateOne({ _id: old.body.complaint.id }, { $set: { deadline: '2026-01-05' } });
    const res = await api.http.get('/api/v1/regulator/complaints').query({ overdue: 'true' }).set(asRegulator);
    expect(res.body.items.map((c: { id: string }) => c.id)).toContain(old.body.complaint.id);
    expect(res.body.items.every((c: { overdue: boolean }) => c.overdue)).toBe(true);
  });

  it("when matters move, then each office's queue lists its open ones in the state asked for, by deadline, and closed ones leave it", async () => {
    const list = async (query: Record<string, string>) =>
      (await api.http.get('/api/v1/regulator/complaints').query(query).set(asRegulator).expect(200)).body as {
        items: { id: string; office: string; status: string; deadline: string | null }[];
        total: number;
      };
    const filed = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    const id = filed.body.complaint.id as string;
    const office = filed.body.complaint.office as string;
    const mine = await list({ office, status: 'submitted', pageSize: '100' });
    expect(mine.items.map((c) => c.id)).toContain(id);
    expect(mine.items.every((c) => c.office === office && c.status === 'submitted')).toBe(true);
    const deadlines = mine.items.map((c) => c.deadline ?? '');
    expect(deadlines).toEqual([...deadlines].sort());
    expect((await list({ office: '另一个所', status: 'submitted' })).items.map((c) => c.id)).not.toContain(id);
    const act = (body: Record<string, unknown>) =>
      api.http.post(`/api/v1/regulator/complaints/${id}/actions`).set(asRegulator).send(body).expect(200);
    await act({ action: 'accept', note: '已受理' });
    expect((await list({ office, status: 'submitted', pageSize: '100' })).items.map((c) => c.id)).not.toContain(id);
    expect((await list({ office, status: 'accepted', pageSize: '100' })).items.map((c) => c.id)).toContain(id);
    await act({ action: 'resolve', upheld: false, result: '经核实不成立' });
    expect((await list({ status: 'accepted', pageSize: '100' })).items.map((c) => c.id)).not.toContain(id);
    expect((await list({ status: 'resolved', pageSize: '100' })).items.map((c) => c.id)).toContain(id);
  });

  it("shows the shop's owner its accepted 投诉 without who complained or their words; other shops and staff get nothing", async () => {
    const filed = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(complaint());
    const id = filed.body.complaint.id as string;
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    const owner = await signIn(api, 'operator', `owner-${key()}`);
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
    const list = () => api.http.get(`/api/v1/operator/shops/${shopId}/complaints`).set(auth(owner.token));
    expect((await list()).body.map((c: { id: string }) => c.id)).not.toContain(id); // not yet accepted
    await api.http
      .post(`/api/v1/regulator/complaints/${id}/actions`)
      .set(asRegulator)
      .send({ action: 'accept', note: '已受理，请门店配合调解' })
      .expect(200);
    const seen = (await list()).body.find((c: { id: string }) => c.id === id);
    expect(seen).toMatchObject({ statusLabel: '已受理', steps: [{ note: '已受理，请门店配合调解' }] });
    expect(JSON.stringify((await list()).body)).not.toMatch(/王小明|13800138000|幸福路|米饭里吃出|退还餐费并整改/);
    const elsewhere = await createShop(api, { name: '别家餐馆' });
    const otherInv = await api.http
      .post(`/api/v1/regulator/establishments/${elsewhere.id}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    const otherOwner = await signIn(api, 'operator', `other-owner-${key()}`);
    await api.http.post('/api/v1/operator/bind').set(auth(otherOwner.token)).send({ code: otherInv.body.code });
    expect((await api.http.get(`/api/v1/operator/shops/${shopId}/complaints`).set(auth(otherOwner.token))).status).toBe(
      403,
    );
  });

  it("never gives a shop's operators any complaint, nor anyone a complainant's identity through Open311", async () => {
    const operator = await signIn(api, 'operator', `op-${key()}`);
    for (const [method, path] of [
      ['get', '/api/v1/complaints/mine'],
      ['get', '/api/v1/regulator/complaints'],
      ['post', '/api/v1/complaints'],
    ] as const) {
      expect((await api.http[method](path).set(auth(operator.token))).status).toBe(403);
    }
    const open311 = await api.http.get('/api/v1/open311/requests.json');
    expect(open311.status).toBe(200);
    expect(open311.body.length).toBeGreaterThan(0);
    const text = JSON.stringify(open311.body);
    expect(text).not.toMatch(/王小明|13800138000|退还餐费/);
    expect(open311.body[0]).toEqual(
      expect.objectContaining({ service_request_id: expect.any(String), status: expect.stringMatching(/open|closed/) }),
    );
    const services = await api.http.get('/api/v1/open311/services.json');
    expect(services.body.map((s: { service_code: string }) => s.service_code)).toContain('foreign_object');
  });
});
