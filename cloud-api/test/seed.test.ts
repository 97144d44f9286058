import { userModel } from '../src/modules/auth/user.model';
import { seedDemoData } from '../src/seed/demo-seed';
import { chinaDate, fitsWxacodeScene } from '@ygsa/shared';
import { DEMO_DISTRICT, demoShopLinks } from '../src/seed/demo-district';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { startTestApi, type TestApi } from './helpers';

describe('demo seed', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when run twice, then each step is applied once and nothing is duplicated', async () => {
    const first = await seedDemoData(api.db, api.config);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await seedDemoData(api.db, api.config);
    expect(second.applied).toEqual([]);
    expect(second.skipped.length).toBe(first.applied.length);
    expect(await userModel(api.db).countDocuments({ username: 'demo-regulator', roles: 'regulator' })).toBe(1);
  });

  it('makes a district of thirteen shops across every grade and standing: a school canteen, a new shop, an expired licence', async () => {
    const shops = await establishmentModel(api.db).find({ district: DEMO_DISTRICT }).lean();
    expect(shops).toHaveLength(13);
    const grades = new Set(shops.map((s) => s.grade.grade ?? s.grade.status));
    expect([...grades].sort()).toEqual(['A', 'B', 'C', 'pending_incident', 'pending_new'].sort());
    expect(shops.some((s) => s.grade.stale)).toBe(true);
    expect(shops.filter((s) => s.businessType === 'school_canteen')).toHaveLength(1);
    const today = chinaDate(new Date());
    expect(shops.filter((s) => s.licence.validTo < today).map((s) => s.name)).toEqual(['桂香小馆（许可证过期）']);
    const links = await demoShopLinks(api.db, api.config);
    expect(links).toHaveLength(13);
    // The 小程序码's scene fits WeChat's rule; the printed code's address carries the same payload.
    expect(links[0]?.scene).toMatch(/^[A-Z2-9]{8}\.1\.[\w-]{12}$/);
    expect(links.every((l) => fitsWxacodeScene(l.scene))).toBe(true);
    expect(links[0]?.printed).toBe(`${api.config.qr.publicAppUrl}?c=${links[0]?.scene}`);
  });

  it('gives the AI-box restaurant a reminder, a notice and a confirmed case through the real webhook path, and an owner code', async () => {
    const { captureModel, caseModel, noticeModel, reminderModel } =
      await import('../src/modules/enforcement/enforcement.models');
    const { DEMO_ENFORCEMENT_LICENCE, demoOwnerCode, seedDemoEnforcement } =
      await import('../src/seed/demo-enforcement');
    await seedDemoData(api.db, api.config); // (applied already when the whole file runs)
    const shop = await establishmentModel(api.db).findOne({ 'licence.number': DEMO_ENFORCEMENT_LICENCE }).lean();
    const by = { establishmentId: shop?._id };
    expect(await captureModel(api.db).countDocuments(by)).toBe(3);
    expect(await reminderModel(api.db).countDocuments(by)).toBe(2); // 未戴口罩, 吸烟: first minor ones
    expect(await noticeModel(api.db).find(by).lean()).toEqual([expect.objectContaining({ topic: 'pests' })]);
    expect(await caseModel(api.db).find(by).lean()).toEqual([
      expect.objectContaining({ status: 'confirmed', category: 'smoking' }),
    ]);
    await seedDemoEnforcement(api.db, api.config); // run again: the same events, nothing new
    expect(await captureModel(api.db).countDocuments(by)).toBe(3);
    expect(await caseModel(api.db).countDocuments(by)).toBe(1);
    const owner = await demoOwnerCode(api.db);
    expect(owner).toEqual({ shop: '鲜味海鲜酒楼', code: expect.stringMatching(/^[A-Z2-9]{8}$/) });
    expect((await demoOwnerCode(api.db))?.code).toBe(owner?.code);
  });
});

describe('user identity indexes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await userModel(api.db).init();
  });
  afterAll(() => api.close());

  it('when two console accounts exist (no WeChat identity), then they do not collide, but a repeated WeChat identity does', async () => {
    const Users = userModel(api.db);
    const now = new Date();
    await Users.create({ app: 'console', username: 'r1', roles: ['regulator'], createdAt: now, lastLoginAt: now });
    await Users.create({ app: 'console', username: 'r2', roles: ['regulator'], createdAt: now, lastLoginAt: now });
    const wx = {
      app: 'public',
      appid: 'wx5067a1c0de000001',
      openid: 'o1',
      roles: ['diner'],
      createdAt: now,
      lastLoginAt: now,
    };
    await Users.create(wx);
    await expect(Users.create(wx)).rejects.toMatchObject({ code: 11000 });
    await expect(
      Users.create({ app: 'console', username: 'r1', roles: ['regulator'], createdAt: now, lastLoginAt: now }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
