import { connectDatabase } from '../src/db';
import { onShopChanged, shopChanged, type ShopChange } from '../src/events/shop-events';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { gradeHistoryModel } from '../src/modules/grading/grade-history.model';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, inspect } from './shops';
import { chinaDate } from '@ygsa/shared';

describe('shop events', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('subscribers of a connection run in order and are awaited; another connection hears nothing', async () => {
    const other = await connectDatabase(api.config.mongodb);
    const heard: string[] = [];
    const offA = onShopChanged(api.db, async (c: ShopChange) => {
      await new Promise((r) => setTimeout(r, 20));
      heard.push(`a:${c.reason}:${c.shopId}`);
    });
    const offB = onShopChanged(api.db, (c) => {
      heard.push(`b:${c.reason}:${c.trigger}`);
    });
    const offOther = onShopChanged(other, () => {
      heard.push('other');
    });
    await shopChanged(api.db, 'x1', 'qr');
    expect(heard).toEqual(['a:qr:x1', 'b:qr:qr']);
    offA();
    offB();
    offOther();
    await shopChanged(api.db, 'x1', 'qr');
    expect(heard).toHaveLength(2);
    await other.close();
  });

  it('a writer’s event moves the stored grade and the public profile at once (no writer calls grading)', async () => {
    const shop = await createShop(api, { name: '事件餐馆' });
    const before = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    expect(before.body.grade.status).not.toBe('rated');
    // An inspection recorded by a regulator: records publishes 'inspection'; grading stores the grade
    // and the cached profile is cleared before the request answers.
    await inspect(api, shop.id, chinaDate(new Date(Date.now() - 20 * 86_400_000)), 95);
    const stored = (await establishmentModel(api.db).findById(shop.id).lean())!;
    expect(stored.grade.grade).toBe('A');
    const after = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    expect(after.body.grade.grade).toBe('A');
    const history = await gradeHistoryModel(api.db).find({ establishmentId: stored._id }).lean();
    expect(history.map((h) => h.trigger)).toContain('inspection recorded');
  });

  it('events that do not move a grade (a new QR version) clear the cache but leave the grade alone', async () => {
    const shop = await createShop(api, { name: '换码餐馆' });
    const historyBefore = await gradeHistoryModel(api.db).countDocuments({});
    const first = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    await api.http.post(`/api/v1/regulator/establishments/${shop.id}/qr/rotate`).set(asRegulator).expect(200);
    const second = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    expect(second.body.grade).toEqual(first.body.grade);
    expect(await gradeHistoryModel(api.db).countDocuments({})).toBe(historyBefore);
  });
});
