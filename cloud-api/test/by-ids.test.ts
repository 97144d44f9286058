import { Types } from 'mongoose';
import { findByIds } from '../src/data/by-ids';
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
});
