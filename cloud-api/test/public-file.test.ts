import {
  addMonths,
  chinaDate,
  HonourBoardSchema,
  OpenGradesSchema,
  ShopLiveSchema,
  ShopProfileSchema,
  ShopSearchResultSchema,
} from '@ygsa/shared';
import { complaintModel } from '../src/modules/complaints/complaint.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, inspect, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const today = chinaDate(new Date());
const DISTRICT = '真相区';
const CENTRE = { lng: 120.1551, lat: 30.2741 }; // inside 示范区's polygon
/** One minute twelve hours from now (China time): opening hours in which a shop is closed now. */
const CLOSED_NOW = (() => {
  const china = new Date(Date.now() + 8 * 3600_000);
  const start = Math.min(1438, (china.getUTCHours() * 60 + china.getUTCMinutes() + 720) % 1440);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(start)}-${hhmm(start + 1)}`;
})();

/**
 * The public file tells the truth: a shop that may not operate never looks like a good place to
 * eat, on any screen; an incident is told apart from a new shop; open notices are counted.
 */
describe('the public file (一户一档) on every screen', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const profile = async (id: string) => {
    const res = await api.http.get(`/api/v1/public/shops/${id}`);
    expect(res.status).toBe(200);
    return ShopProfileSchema.parse(res.body);
  };
  const patch = (id: string, body: Record<string, unknown>) =>
    api.http.patch(`/api/v1/regulator/establishments/${id}`).set(asRegulator).send(body).expect(200);
  const board = async () =>
    HonourBoardSchema.parse(
      (await api.http.get(`/api/v1/public/districts/${encodeURIComponent(DISTRICT)}/board`).expect(200)).body,
    );
  const searched = async (q: string) =>
    ShopSearchResultSchema.parse((await api.http.get('/api/v1/public/shops').query({ q }).expect(200)).body).items;
  const openData = async () =>
    OpenGradesSchema.parse(
      (await api.http.get('/api/v1/open/grades.json').query({ district: DISTRICT, pageSize: 500 }).expect(200)).body,
    ).items;

  it('a shop whose licence expired: its standing leads, its A is marked not valid, it leaves the 红榜, lists and open data agree', async () => {
    const shop = await createShop(api, { name: '过期许可餐馆', district: DISTRICT });
    await inspect(api, shop.id, addMonths(today, -2), 95);
    await inspect(api, shop.id, addMonths(today, -1), 95);
    const before = await profile(shop.id);
    expect(before.grade.grade).toBe('A');
    expect(before.standing).toMatchObject({ kind: 'operating', label: '正常营业', gradeCurrent: true });
    expect((await board()).red.map((s) => s.id)).toContain(shop.id);

    const yesterday = chinaDate(new Date(Date.now() - 86_400_000));
    const licence = { number: shop.licence.number, type: 'food_business', validFrom: '2021-01-01', validTo: yesterday };
    await patch(shop.id, { licence });

    const after = await profile(shop.id);
    expect(after.standing).toMatchObject({ kind: 'licence_expired', label: '许可证已过期', gradeCurrent: false });
    expect(after.standing.notice).toContain('不得经营');
    expect(after.licence.expired).toBe(true);
    expect((await board()).red.map((s) => s.id)).not.toContain(shop.id);
    const listed = (await searched('过期许可餐馆')).find((s) => s.id === shop.id);
    expect(listed?.standing).toMatchObject({ kind: 'licence_expired', gradeCurrent: false });
    const open = (await openData()).find((r) => r.licenceNumber === shop.licence.number);
    expect(open).toMatchObject({ standing: 'licence_expired', gradeCurrent: false, grade: 'A' });
  });

  it('a suspended shop: found by search with 停业整顿 leading, not on the 红榜', async () => {
    const shop = await createShop(api, { name: '停业整顿餐馆', district: DISTRICT });
    await inspect(api, shop.id, addMonths(today, -1), 95);
    await patch(shop.id, { status: 'suspended' });
    const p = await profile(shop.id);
    expect(p.standing).toMatchObject({ kind: 'suspended', label: '停业整顿', gradeCurrent: false });
    expect((await searched('停业整顿餐馆')).map((s) => s.standing.label)).toEqual(['停业整顿']);
    expect((await board()).red.map((s) => s.id)).not.toContain(shop.id);
  });

  it('a shop under an incident investigation says so, with the date grading resumes; a new shop says it is new', async () => {
    const shop = await createShop(api, { name: '事故调查餐馆', district: DISTRICT });
    await inspect(api, shop.id, addMonths(today, -1), 95);
    await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/incidents`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), date: today, description: '多人就餐后腹泻，正在调查' })
      .expect(201);
    const p = await profile(shop.id);
    expect(p.grade).toMatchObject({ status: 'pending_incident', label: '事故调查期间暂停评级', grade: null });
    expect(p.grade.reasons[0]).toMatch(/暂停评级（\d{4}年\d{1,2}月\d{1,2}日起恢复）/);

    const fresh = await createShop(api, { name: '新开业餐馆', district: DISTRICT, licensedAt: addMonths(today, -1) });
    expect((await profile(fresh.id)).grade.label).toBe('新开业待评级');
  });

  it('open rectification notices are counted (none ever: null); the page says when it was last updated', async () => {
    const shop = await createShop(api, { name: '整改餐馆', district: DISTRICT });
    expect((await profile(shop.id)).openRectifications).toBeNull();
    await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/notices`)
      .set(asRegulator)
      .send({
        idempotencyKey: key(),
        topic: 'inspection',
        requirement: '冷藏柜温度超标，限期维修',
        deadline: '2099-01-05',
      })
      .expect(201);
    const p = await profile(shop.id);
    expect(p.openRectifications).toBe(1);
    expect(Date.parse(p.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('看后厨 states: no cameras, closed now (with the hours), school streams for the committee only', async () => {
    const never = await createShop(api, { name: '从不营业餐馆', district: DISTRICT, openingHours: CLOSED_NOW });
    const p = await profile(never.id);
    expect(p.live).toMatchObject({
      cameras: 0,
      openNow: false,
      resting: true,
      openingHours: CLOSED_NOW,
      committeeOnly: false,
    });
    const live = ShopLiveSchema.parse((await api.http.get(`/api/v1/public/shops/${never.id}/live`).expect(200)).body);
    expect(live).toMatchObject({ cameras: [], openNow: false, resting: true, committeeOnly: false });

    const school = await createShop(api, { name: '示范小学食堂', district: DISTRICT, businessType: 'school_canteen' });
    // A committee watches its canteen at any hour: never resting.
    const canteen = await createShop(api, {
      name: '示范中学食堂',
      district: DISTRICT,
      businessType: 'school_canteen',
      openingHours: CLOSED_NOW,
    });
    expect((await profile(canteen.id)).live).toMatchObject({ committeeOnly: true, resting: false });
    expect((await profile(school.id)).live.committeeOnly).toBe(true);
    expect((await api.http.get(`/api/v1/public/shops/${'f'.repeat(24)}/live`)).status).toBe(404);
  });
});

describe('reporting a place that is not listed (a street stall)', () => {
  let api: TestApi;
  let diner: { token: string };
  beforeAll(async () => {
    api = await startTestApi();
    diner = await signIn(api, 'public', `stall-${key()}`);
  });
  afterAll(() => api.close());

  const report = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: key(),
    type: 'report',
    category: 'unlicensed',
    place: '幸福路与人民路口东北角的流动烧烤摊',
    description: '每晚在路口无证摆摊烧烤，食材放在地上，没有冷藏。',
    location: CENTRE,
    anonymous: true,
    ...over,
  });

  it('is filed by its position and description, routed to the office of that position, with no shop', async () => {
    const body = report();
    const res = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(body);
    expect(res.status).toBe(201);
    expect(res.body.complaint).toMatchObject({
      establishmentId: null,
      shopName: body.place,
      office: '示范区市场监督管理所',
      type: 'report',
    });
    const again = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(body);
    expect(again.status).toBe(200);
    expect(await complaintModel(api.db).countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
  });

  it('names what is missing: neither a shop nor a place, a place too short, or both at once', async () => {
    const before = await complaintModel(api.db).countDocuments();
    const detail = async (over: Record<string, unknown>) => {
      const res = await api.http.post('/api/v1/complaints').set(auth(diner.token)).send(report(over));
      expect(res.status).toBe(400);
      return res.body.error.details as { path: string; message: string }[];
    };
    expect(await detail({ place: undefined })).toEqual([
      { path: 'body.establishmentId', message: '请选择门店，或描述不在列表中的地点' },
    ]);
    expect(await detail({ place: '路口' })).toEqual([{ path: 'body.place', message: '请描述地点（至少 4 个字）' }]);
    expect(await detail({ establishmentId: 'a'.repeat(24) })).toEqual([
      { path: 'body.place', message: '已选择门店时无需描述地点' },
    ]);
    expect(await complaintModel(api.db).countDocuments()).toBe(before);
  });

  it('a refused field says one plain sentence naming it, once (no repeats, no raw validator words)', async () => {
    const res = await api.http
      .post('/api/v1/complaints')
      .set(auth(diner.token))
      .send(report({ type: 'complaint', anonymous: false, name: '王', description: '太短' }));
    expect(res.status).toBe(400);
    const details = res.body.error.details as { path: string; message: string }[];
    const paths = details.map((d) => d.path);
    expect(new Set(paths).size).toBe(paths.length);
    const byPath = Object.fromEntries(details.map((d) => [d.path, d.message]));
    expect(byPath['body.description']).toBe('请至少用 10 个字描述经过');
    expect(byPath['body.name']).toBe('姓名至少 2 个字');
    expect(byPath['body.request']).toBe('投诉须填写诉求');
    for (const d of details) expect(d.message).not.toMatch(/期望|string|>=|number|undefined/);
  });

  it('a committee code with 0 or 1 says those characters are not in codes, and a short one says how many were typed', async () => {
    const join = (code: string) =>
      api.http
        .post('/api/v1/committee/join')
        .set(auth(diner.token))
        .send({ code, name: '李家长', grade: '三年级二班' });
    const zero = await join('AB0CD1EF');
    expect(zero.status).toBe(400);
    expect(zero.body.error.details[0].message).toContain('邀请码中没有「0、1」');
    const short = await join('ABCD');
    expect(short.body.error.details[0].message).toBe('邀请码为 8 位，您输入了 4 位');
    // Case and spaces do not matter: a well-formed code that is not issued is simply not found.
    const unknown = await join('abcd efgh');
    expect(unknown.status).toBe(404);
  });
});
