import { Types } from 'mongoose';
import { findByIdWhere, findByIds } from '../src/data/by-ids';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { startTestApi, type TestApi } from './helpers';
import { createShop } from './shops';

describe('documents by id', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('finds the same documents one by one (a few ids) and in one read (many), each once, the absent left out', async () => {
    const shops = await Promise.all([createShop(api), createShop(api), createShop(api)]);
    const ids = shops.map((s) => new Types.ObjectId(s.id));
    const absent = Array.from({ length: 150 }, () => new Types.ObjectId());
    const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();
    const expected = shops.map((s) => s.name).sort();
    const few = await findByIds(
      establishmentModel(api.db),
      [...ids, ids[0] as Types.ObjectId, absent[0] as Types.ObjectId],
      {
        name: 1,
      },
    );
    expect(names(few)).toEqual(expected);
    const many = await findByIds(establishmentModel(api.db), [...absent, ...ids.map(String)], { name: 1 });
    expect(names(many)).toEqual(expected);
    expect(await findByIds(establishmentModel(api.db), [])).toEqual([]);
  });

  it('when a document is read by id with conditions, then it is returned only if every condition holds', async () => {
    const shop = await createShop(api);
    const id = new Types.ObjectId(shop.id);
    const Shops = establishmentModel(api.db);
    expect((await findByIdWhere(Shops, id, { name: shop.name, 'location.crs': 'GCJ02' }))?.name).toBe(shop.name);
    expect((await findByIdWhere(Shops, shop.id, { _id: id }))?.name).toBe(shop.name);
    expect(await findByIdWhere(Shops, id, { name: '别的店' })).toBeNull();
    expect(await findByIdWhere(Shops, id, { 'location.crs': 'WGS84' })).toBeNull();
    expect(await findByIdWhere(Shops, id, { reply: null })).not.toBeNull();
    expect(await findByIdWhere(Shops, id, { reply: 'x' })).toBeNull();
    expect(await findByIdWhere(Shops, new Types.ObjectId(), {})).toBeNull();
  });
});
