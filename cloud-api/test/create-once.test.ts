import { Schema, Types, type Model } from 'mongoose';
import { createOnce, findOnce, naturalId } from '../src/data/create-once';
import { shopIndexed } from '../src/data/shop-index';
import { startTestApi, type TestApi } from './helpers';

interface Thing {
  _id: Types.ObjectId;
  shop: string;
  key: string;
  n: number;
}

describe('createOnce: natural keys as identities', () => {
  let api: TestApi;
  const schema = new Schema<Thing>({ shop: String, key: String, n: Number }, { collection: 'scratch_things' });
  schema.index({ shop: 1, key: 1 }, { unique: true });
  const things = () =>
    (api.db.models.ScratchThing as Model<Thing> | undefined) ?? api.db.model<Thing>('ScratchThing', schema);
  // The same things, indexed per shop (as complaints, captures and notices are).
  const indexedSchema = new Schema<Thing>({ shop: String, key: String, n: Number }, { collection: 'scratch_indexed' });
  indexedSchema.index({ shop: 1, key: 1 }, { unique: true });
  shopIndexed(indexedSchema, { collection: 'scratch_indexed', owner: 'shop', fields: ['n'] });
  const indexed = () =>
    (api.db.models.ScratchIndexed as Model<Thing> | undefined) ?? api.db.model<Thing>('ScratchIndexed', indexedSchema);
  const entriesOf = async (shop: string) =>
    Object.keys(
      (
        (await api.db.collection('shop_indexes').findOne({ _id: `scratch_indexed:${shop}` as never })) as {
          items?: object;
        } | null
      )?.items ?? {},
    );

  beforeAll(async () => {
    api = await startTestApi();
    await things().init();
  });
  afterAll(() => api.close());

  it('when a key is created, then its document has the id derived from the key, found by findOnce', async () => {
    const key = { shop: 'a', key: 'k1' };
    const first = await createOnce(things(), key, { ...key, n: 1 });
    expect(first.created).toBe(true);
    expect(String(first.doc._id)).toBe(String(naturalId('scratch_things', key)));
    // Field order does not matter; another collection or key gives another id.
    expect(String(naturalId('scratch_things', { key: 'k1', shop: 'a' }))).toBe(String(first.doc._id));
    expect(String(naturalId('other', key))).not.toBe(String(first.doc._id));
    expect(String(naturalId('scratch_things', { shop: 'a', key: 'k2' }))).not.toBe(String(first.doc._id));
    expect((await findOnce(things(), key))?.n).toBe(1);
    expect(await findOnce(things(), { shop: 'a', key: 'never' })).toBeNull();
  });

  it('when ten copies race, then one document exists and every caller gets it', async () => {
    const key = { shop: 'b', key: 'race' };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createOnce(things(), key, { ...key, n: i })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => String(r.doc._id))).size).toBe(1);
    expect(await things().countDocuments(key)).toBe(1);
  });

  it('when a document of the key was made before identities were derived, then a copy returns it', async () => {
    const key = { shop: 'c', key: 'old' };
    const legacy = await things().create({ ...key, n: 7 });
    const again = await createOnce(things(), key, { ...key, n: 8 });
    expect(again.created).toBe(false);
    expect(String(again.doc._id)).toBe(String(legacy._id));
    expect(await things().countDocuments(key)).toBe(1);
  });

  it('when the key is the _id itself, then that _id is used', async () => {
    const id = new Types.ObjectId();
    const made = await createOnce(things(), { _id: id }, { _id: id, shop: 'd', key: 'own', n: 1 });
    expect(String(made.doc._id)).toBe(String(id));
    expect((await findOnce(things(), { _id: id }))?.key).toBe('own');
  });

  it('when its creator died between the document and its index entry, then the retry puts the entry (findOnce or createOnce)', async () => {
    await indexed().init();
    for (const [shop, retry] of [
      ['e', () => createOnce(indexed(), { shop: 'e', key: 'k' }, { shop: 'e', key: 'k', n: 2 })],
      ['f', () => findOnce(indexed(), { shop: 'f', key: 'k' })],
    ] as const) {
      const key = { shop, key: 'k' };
      // The document as the dead process left it: written, its entry not (no middleware ran).
      await indexed().collection.insertOne({ _id: naturalId('scratch_indexed', key), ...key, n: 1 });
      expect(await entriesOf(shop)).toEqual([]);
      await retry();
      expect(await entriesOf(shop)).toEqual([String(naturalId('scratch_indexed', key))]);
      expect(await indexed().countDocuments(key)).toBe(1);
    }
  });

  it('when thirty documents of one shop are created at once, then its index lists all thirty (the database applies each update whole)', async () => {
    await indexed().init();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createOnce(indexed(), { shop: 'g', key: `k${i}` }, { shop: 'g', key: `k${i}`, n: i }),
      ),
    );
    expect(await entriesOf('g')).toHaveLength(30);
  });
});
