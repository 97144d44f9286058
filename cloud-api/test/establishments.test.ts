import { chinaDate, addMonths } from '@ygsa/shared';
import { recordModel } from '../src/modules/records/record.models';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, inspect, key, scoresFor, shopInput } from './shops';

const today = chinaDate(new Date());
const monthsAgo = (n: number) => addMonths(today, -n);

describe('regulator: establishments and records', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when a regulator creates a shop licensed a month ago, then it is 待评级 as a new shop', async () => {
    const res = await api.http
      .post('/api/v1/regulator/establishments')
      .set(asRegulator)
      .send(shopInput({ licensedAt: monthsAgo(1) }));
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^[A-Z2-9]{8}$/);
    expect(res.body.grade).toMatchObject({ status: 'pending_new', grade: null, label: '新开业待评级' });
  });

  it('when the input is invalid, then each field is reported and nothing is stored', async () => {
    const before = await establishmentModel(api.db).countDocuments();
    const bad = shopInput();
    const res = await api.http
      .post('/api/v1/regulator/establishments')
      .set(asRegulator)
      .send({
        ...bad,
        licence: { ...bad.licence, number: 'JY1234567' },
        location: { lng: 10, lat: 30 },
        floorAreaM2: -1,
      });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.licence.number', 'body.location.lng', 'body.floorAreaM2']));
    expect(res.body.error.details.find((d: { path: string }) => d.path === 'body.licence.number').message).toBe(
      '食品经营许可证编号应为 JY 加 14 位数字',
    );
    expect(await establishmentModel(api.db).countDocuments()).toBe(before);
  });

  it('when the licence number is already registered, then 409', async () => {
    const input = shopInput();
    await api.http.post('/api/v1/regulator/establishments').set(asRegulator).send(input).expect(201);
    const res = await api.http
      .post('/api/v1/regulator/establishments')
      .set(asRegulator)
      .send({ ...input, name: '另一家' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(input.licence.number);
  });

  it('when inspections are recorded, then the grade follows with reasons, and the history keeps what was shown', async () => {
    const shop = await createShop(api);
    const first = await inspect(api, shop.id, monthsAgo(5), 86, ['冷藏柜温度记录不全']);
    expect(first).toMatchObject({ total: 86, dynamicGrade: 'good', dynamicGradeLabel: '良好' });
    await inspect(api, shop.id, monthsAgo(1), 83);
    const view = await api.http.get(`/api/v1/regulator/establishments/${shop.id}`).set(asRegulator).expect(200);
    expect(view.body.grade).toMatchObject({ status: 'rated', grade: 'B', colour: 'yellow', ratedOn: monthsAgo(1) });
    expect(view.body.grade.reasons[0]).toBe('近12个月检查2次，均为良好');
    expect(view.body.risk).toMatchObject({ level: 'A', inspectionsPerYear: { min: 1, max: 1 } });
    const history = await api.http
      .get(`/api/v1/regulator/establishments/${shop.id}/grade-history`)
      .set(asRegulator)
      .expect(200);
    expect(history.body.map((h: { grade: { status: string } }) => h.grade.status)).toEqual([
      'rated',
      'rated',
      'unrated',
    ]);
  });

  it('when the same inspection is submitted twice, then one record exists and the retry gets it back', async () => {
    const shop = await createShop(api);
    const body = {
      idempotencyKey: key(),
      date: monthsAgo(2),
      inspector: '李检查',
      scores: scoresFor(92),
      findings: [],
    };
    const a = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/inspections`)
      .set(asRegulator)
      .send(body);
    const b = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/inspections`)
      .set(asRegulator)
      .send(body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);
    expect(await recordModel(api.db, 'Inspection').countDocuments({ idempotencyKey: body.idempotencyKey })).toBe(1);
    const other = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/inspections`)
      .set(asRegulator)
      .send({ ...body, scores: scoresFor(50) });
    expect(other.status).toBe(409);
  });

  it('when an inspection is dated tomorrow or scores exceed an area maximum, then 400 and nothing is stored', async () => {
    const shop = await createShop(api);
    const future = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/inspections`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), date: addMonths(today, 1), inspector: '李检查', scores: scoresFor(90) });
    expect(future.status).toBe(400);
    const over = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/inspections`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), date: today, inspector: '李检查', scores: { ...scoresFor(90), disclosure: 6 } });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0]).toEqual({
      path: 'body.scores.disclosure',
      message: '「信息公示」得分不超过 5 分',
    });
    expect(await recordModel(api.db, 'Inspection').countDocuments({ establishmentId: shop.id })).toBe(0);
  });

  it('when an incident is recorded, then the shop is 待评级 for six months', async () => {
    const shop = await createShop(api);
    await inspect(api, shop.id, monthsAgo(3), 95);
    const res = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/incidents`)
      .set(asRegulator)
      .send({ idempotencyKey: key(), date: monthsAgo(1), description: '疑似食物中毒 3 人' });
    expect(res.status).toBe(201);
    const view = await api.http.get(`/api/v1/regulator/establishments/${shop.id}`).set(asRegulator);
    expect(view.body.grade.status).toBe('pending_incident');
  });

  it('when a shop is updated, then the change is kept; an empty update is refused', async () => {
    const shop = await createShop(api);
    const res = await api.http
      .patch(`/api/v1/regulator/establishments/${shop.id}`)
      .set(asRegulator)
      .send({ status: 'suspended' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'suspended', statusLabel: '停业整顿' });
    expect((await api.http.patch(`/api/v1/regulator/establishments/${shop.id}`).set(asRegulator).send({})).status).toBe(
      400,
    );
  });

  it('when an unknown or malformed id is asked for, then 404 / 400', async () => {
    expect(
      (await api.http.get('/api/v1/regulator/establishments/0123456789abcdef01234567').set(asRegulator)).status,
    ).toBe(404);
    expect((await api.http.get('/api/v1/regulator/establishments/nope').set(asRegulator)).status).toBe(400);
  });
});
