import { addMonths, chinaDate, ShopProfileSchema, ShopSearchResultSchema, HonourBoardSchema } from '@ygsa/shared';
import { signPayload } from '../src/modules/qr/qr.service';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { signIn, startTestApi, TEST_QR_SECRET, type TestApi } from './helpers';
import { asRegulator, createShop, inspect, key } from './shops';

const today = chinaDate(new Date());
const monthsAgo = (n: number) => addMonths(today, -n);

describe('QR codes and the public profile', () => {
  let api: TestApi;
  let shop: Awaited<ReturnType<typeof createShop>>;
  let payload: string;
  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_APP_URL: 'https://ygsa.example/public/' });
    shop = await createShop(api, { name: '阳光小厨' });
    await inspect(api, shop.id, monthsAgo(2), 93, ['留样记录完整']);
    const qr = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/qr`).set(asRegulator).expect(200);
    payload = qr.body.payload;
    expect(qr.body.content).toBe(`https://ygsa.example/public/?c=${payload}`);
  });
  afterAll(() => api.close());

  it('when a diner scans the genuine code, then the profile shows the grade, reasons and file without signing in', async () => {
    const res = await api.http.get(`/api/v1/public/shops/by-code/${payload}`);
    expect(res.status).toBe(200);
    const profile = ShopProfileSchema.parse(res.body);
    expect(profile).toMatchObject({ name: '阳光小厨', grade: { grade: 'A', colour: 'green', label: '优秀' } });
    expect(profile.grade.reasons[0]).toBe('近12个月检查1次，结果为优秀');
    expect(profile.inspections[0]).toMatchObject({
      score: 93,
      dynamicGradeLabel: '优秀',
      keyFindings: ['留样记录完整'],
    });
    expect(profile.licence).toMatchObject({ typeLabel: '食品经营许可证', expired: false });
    expect(profile.selfCheckOnTimeRate30d).toBeNull();
    expect(res.headers.etag).toBeTruthy();
    expect(res.headers['cache-control']).toBe('public, max-age=30');
  });

  it('when the client already has the profile, then 304 with no body', async () => {
    const first = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    const again = await api.http
      .get(`/api/v1/public/shops/${shop.id}`)
      .set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();
  });

  it('when a regulator records an inspection, then the (cached) profile shows it at once', async () => {
    const fresh = await createShop(api);
    const before = await api.http.get(`/api/v1/public/shops/${fresh.id}`).expect(200);
    expect(before.body.inspections).toEqual([]);
    await inspect(api, fresh.id, monthsAgo(1), 72, ['地面积水']);
    const after = await api.http
      .get(`/api/v1/public/shops/${fresh.id}`)
      .set('If-None-Match', before.headers.etag as string);
    expect(after.status).toBe(200);
    expect(after.body.inspections[0]).toMatchObject({ score: 72, keyFindings: ['地面积水'] });
    expect(after.body.grade.grade).toBe('C');
  });

  it.each([
    ['a forged signature', () => payload.replace(/.{4}$/, 'AAAA')],
    ['an altered shop code', () => `ABCDEFGH${payload.slice(8)}`],
    ['an altered version', () => payload.replace(/\.(\d+)\./, '.9.')],
    ['garbage', () => 'not-a-code'],
  ])('when the code has %s, then QR_INVALID and no shop is shown', async (_n, make) => {
    const res = await api.http.get(`/api/v1/public/shops/by-code/${encodeURIComponent(make())}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('QR_INVALID');
    expect(res.body.error.message).toContain('伪造');
  });

  it('when a genuinely signed code names no shop, then 404', async () => {
    const res = await api.http.get(`/api/v1/public/shops/by-code/${signPayload(TEST_QR_SECRET, 'ZZZZZZZZ', 1)}`);
    expect(res.status).toBe(404);
  });

  it('when the code is rotated, then old posters are refused (410) and the new one works; revoking refuses all', async () => {
    const other = await createShop(api);
    const old = (await api.http.get(`/api/v1/regulator/establishments/${other.id}/qr`).set(asRegulator)).body.payload;
    await api.http.post(`/api/v1/regulator/establishments/${other.id}/qr/rotate`).set(asRegulator).expect(200);
    const fresh = (await api.http.get(`/api/v1/regulator/establishments/${other.id}/qr`).set(asRegulator)).body.payload;
    const oldRes = await api.http.get(`/api/v1/public/shops/by-code/${old}`);
    expect(oldRes.status).toBe(410);
    expect(oldRes.body.error).toMatchObject({
      code: 'QR_REVOKED',
      message: '该二维码已更换，请扫描店内最新张贴的二维码',
    });
    expect((await api.http.get(`/api/v1/public/shops/by-code/${fresh}`)).status).toBe(200);
    await api.http.post(`/api/v1/regulator/establishments/${other.id}/qr/revoke`).set(asRegulator).expect(200);
    expect((await api.http.get(`/api/v1/public/shops/by-code/${fresh}`)).status).toBe(410);
    await api.http.post(`/api/v1/regulator/establishments/${other.id}/qr/restore`).set(asRegulator).expect(200);
    expect((await api.http.get(`/api/v1/public/shops/by-code/${fresh}`)).status).toBe(200);
  });

  it('when a regulator downloads the poster, then SVG and PNG carry the name, licence and QR', async () => {
    const svg = await api.http
      .get(`/api/v1/regulator/establishments/${shop.id}/qr/poster.svg`)
      .set(asRegulator)
      .buffer(true);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    const text = svg.body.toString();
    expect(text).toContain('阳光小厨');
    expect(text).toContain(shop.licence.number);
    expect(text).toContain('A 级 · 优秀');
    const png = await api.http
      .get(`/api/v1/regulator/establishments/${shop.id}/qr/poster.png`)
      .set(asRegulator)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(png.status).toBe(200);
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    expect((png.body as Buffer).length).toBeGreaterThan(20_000);
  });

  it('when a regulator asks for the mini-program code, then WeChat (the fake) makes one from the signed scene', async () => {
    const res = await api.http
      .get(`/api/v1/regulator/establishments/${shop.id}/qr/wxacode.png`)
      .set(asRegulator)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect((res.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
  });

  it("when the shop's operator replies to the grade, then the reply shows on the profile; other operators are refused", async () => {
    const owner = await signIn(api, 'operator', `owner-${key()}`);
    const stranger = await signIn(api, 'operator', `stranger-${key()}`);
    await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/members`)
      .set(asRegulator)
      .send({ userId: owner.user.id, role: 'owner' })
      .expect(200);
    const reply = { text: '感谢监督，我们已更换冷藏柜并每日记录温度。' };
    const denied = await api.http
      .put(`/api/v1/operator/establishments/${shop.id}/reply`)
      .set('Authorization', `Bearer ${stranger.token}`)
      .send(reply);
    expect(denied.status).toBe(403);
    await api.http
      .put(`/api/v1/operator/establishments/${shop.id}/reply`)
      .set('Authorization', `Bearer ${owner.token}`)
      .send(reply)
      .expect(200);
    const profile = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(profile.body.reply.text).toBe(reply.text);
  });
});

describe('public search and 红黑榜', () => {
  let api: TestApi;
  const district = '测试区';
  beforeAll(async () => {
    api = await startTestApi();
    const base = { district, location: { lng: 120.1, lat: 30.2, crs: 'GCJ02' as const } };
    const near = await createShop(api, { ...base, name: '近处面馆' });
    const mid = await createShop(api, {
      ...base,
      name: '中间饭店',
      location: { lng: 120.11, lat: 30.2, crs: 'GCJ02' },
    });
    const far = await createShop(api, { ...base, name: '远处食堂', location: { lng: 120.3, lat: 30.2, crs: 'GCJ02' } });
    await inspect(api, near.id, monthsAgo(1), 95);
    await inspect(api, mid.id, monthsAgo(1), 62);
    await inspect(api, far.id, monthsAgo(1), 80);
    await api.http
      .post(`/api/v1/regulator/establishments/${far.id}/penalties`)
      .set(asRegulator)
      .send({
        idempotencyKey: key(),
        decisionNumber: '测市监罚〔2026〕12号',
        date: monthsAgo(1),
        violation: '使用超过保质期的食品原料',
        penalty: '警告，罚款 5000 元',
        fineFen: 500000,
      })
      .expect(201);
  });
  afterAll(() => api.close());

  it('when searching near a point, then shops within the radius come nearest first, with distances', async () => {
    const res = await api.http.get('/api/v1/public/shops').query({ lng: 120.1, lat: 30.2, radius: 5000 });
    expect(res.status).toBe(200);
    const result = ShopSearchResultSchema.parse(res.body);
    expect(result.items.map((s) => s.name)).toEqual(['近处面馆', '中间饭店']);
    expect(result.items[0]?.distanceM).toBe(0);
    expect(result.items[1]?.distanceM).toBeGreaterThan(900);
    expect(result.items[1]?.distanceM).toBeLessThan(1000);
  });

  it('when searching by keyword, then matches are paged', async () => {
    const res = await api.http.get('/api/v1/public/shops').query({ q: '处', pageSize: 1, page: 2 });
    expect(res.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(res.body.items).toHaveLength(1);
  });

  it('when nothing to search by is given, or only a longitude, then 400', async () => {
    expect((await api.http.get('/api/v1/public/shops')).status).toBe(400);
    expect((await api.http.get('/api/v1/public/shops').query({ lng: 120 })).status).toBe(400);
  });

  it('when the district board is asked for, then green shops are on the red list and red or penalised ones on the black list, each with why', async () => {
    const res = await api.http.get(`/api/v1/public/districts/${encodeURIComponent(district)}/board`);
    const board = HonourBoardSchema.parse(res.body);
    expect(board.red.map((s) => s.name)).toEqual(['近处面馆']);
    expect(board.red[0]?.why).toBe('信用等级 A（优秀）：近12个月检查1次，结果为优秀');
    expect(board.black.map((s) => s.name).sort()).toEqual(['中间饭店', '远处食堂'].sort());
    expect(board.black.find((s) => s.name === '远处食堂')?.why).toContain('行政处罚');
  });

  it('keeps penalties public on the profile (双公示)', async () => {
    const far = await establishmentModel(api.db).findOne({ name: '远处食堂' }).lean();
    const res = await api.http.get(`/api/v1/public/shops/${String(far?._id)}`);
    expect(res.body.penalties[0]).toMatchObject({
      decisionNumber: '测市监罚〔2026〕12号',
      penalty: '警告，罚款 5000 元',
    });
  });
});
