import { Schema, Types, type Model } from 'mongoose';
import { buildAllShopIndexes, rebuildAllShopIndexes, shopDocs, shopIndexOf, shopIndexed } from '../src/data/shop-index';
import { startTestApi, type TestApi } from './helpers';

interface Item {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  status: string;
  at: Date;
  flagged: boolean;
  note: string;
}

const schema = new Schema<Item>(
  { establishmentId: Schema.Types.ObjectId, status: String, at: Date, flagged: Boolean, note: String },
  { collection: 'scratch_items', versionKey: false },
);
schema.index({ establishmentId: 1, note: 1 });
shopIndexed(schema, { collection: 'scratch_items', fields: ['status', 'at'], include: (i) => i.flagged });

interface Dotted {
  _id: string;
  establishmentId: Types.ObjectId;
  at: Date;
}
const dottedSchema = new Schema<Dotted>(
  { _id: String, establishmentId: Schema.Types.ObjectId, at: Date },
  { collection: 'scratch_dotted', versionKey: false },
);
dottedSchema.index({ establishmentId: 1 });
shopIndexed(dottedSchema, { collection: 'scratch_dotted', fields: ['at'] });

const manySchema = new Schema<Item>(
  { establishmentId: Schema.Types.ObjectId, status: String, at: Date, flagged: Boolean, note: String },
  { collection: 'scratch_many', versionKey: false },
);
shopIndexed(manySchema, {
  collection: 'scratch_many',
  name: 'open',
  owner: () => 'city',
  include: (i) => i.status === 'open',
  fields: ['status', 'at'],
  buckets: 4,
});

describe('per-shop indexes kept by a collection’s own writes', () => {
  let api: TestApi;
  const items = () =>
    (api.db.models.ScratchItem as Model<Item> | undefined) ?? api.db.model<Item>('ScratchItem', schema);
  const shop = new Types.ObjectId();
  const other = new Types.ObjectId();
  const ids = async (s: Types.ObjectId) => (await shopIndexOf(api.db, items(), s)).map((e) => e.id).sort();

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when documents are created and changed, then the shop’s index lists the ones that qualify, with their fields', async () => {
    const a = await items().create({
      establishmentId: shop,
      status: 'open',
      at: new Date('2026-01-01'),
      flagged: true,
    });
    const b = await items().create({
      establishmentId: shop,
      status: 'open',
      at: new Date('2026-02-01'),
      flagged: false,
    });
    await items().insertMany([{ establishmentId: other, status: 'open', at: new Date(), flagged: true }]);
    expect(await ids(shop)).toEqual([String(a._id)]);
    expect(await ids(other)).toHaveLength(1);

    await items().updateOne({ _id: a._id }, { $set: { status: 'closed' } });
    await items().findOneAndUpdate({ _id: b._id }, { $set: { flagged: true } });
    const entries = await shopIndexOf(api.db, items(), shop);
    expect(entries.map((e) => [e.id, e.status]).sort()).toEqual(
      [
        [String(a._id), 'closed'],
        [String(b._id), 'open'],
      ].sort(),
    );
    // The newest first, read by _id; a filter on the entries.
    const docs = await shopDocs(api.db, items(), shop, { by: 'at', limit: 10 });
    expect(docs.map((d) => String(d._id))).toEqual([String(b._id), String(a._id)]);
    const open = await shopDocs(api.db, items(), shop, { by: 'at', limit: 10, where: (i) => i.status === 'open' });
    expect(open.map((d) => String(d._id))).toEqual([String(b._id)]);

    await items().updateOne({ _id: b._id }, { $set: { flagged: false } });
    expect(await ids(shop)).toEqual([String(a._id)]);
  });

  it('when a write could change documents it cannot name, then it is refused', async () => {
    await expect(items().updateMany({ establishmentId: shop }, { $set: { note: 'x' } })).rejects.toThrow(
      /per-shop index/,
    );
    await expect(items().deleteMany({ establishmentId: shop })).rejects.toThrow(/per-shop index/);
    await expect(items().deleteOne({ status: 'open' })).rejects.toThrow(/by _id only/);
  });

  it('when a document is upserted by another key or deleted by _id, then its entries follow', async () => {
    const s = new Types.ObjectId();
    await items().updateOne(
      { establishmentId: s, note: 'by-key' },
      { $set: { status: 'open', at: new Date(), flagged: true } },
      { upsert: true },
    );
    const [entry] = await shopIndexOf(api.db, items(), s);
    expect(entry?.status).toBe('open');
    await items().deleteOne({ _id: new Types.ObjectId(entry?.id) });
    expect(await ids(s)).toEqual([]);
  });

  it('when an entry was lost (a crash between a document and its index), then the check rebuilds it', async () => {
    const lost = await items().create({ establishmentId: shop, status: 'open', at: new Date(), flagged: true });
    // Written past the middleware, as a process that died after the document would leave it.
    await api.db.collection('scratch_items').updateOne({ _id: lost._id }, { $set: { status: 'closed' } });
    const stale = (await shopIndexOf(api.db, items(), shop)).find((e) => e.id === String(lost._id));
    expect(stale?.status).toBe('open');
    expect(await rebuildAllShopIndexes(api.db)).toBeGreaterThanOrEqual(1);
    const fixed = (await shopIndexOf(api.db, items(), shop)).find((e) => e.id === String(lost._id));
    expect(fixed?.status).toBe('closed');
    // Nothing differs any more.
    expect(await rebuildAllShopIndexes(api.db)).toBe(0);
  });

  it('when a database has documents but no indexes yet, then the first start builds them once', async () => {
    const fresh = new Types.ObjectId();
    const doc = await items().create({ establishmentId: fresh, status: 'open', at: new Date(), flagged: true });
    await api.db.collection('shop_indexes').deleteOne({ _id: `scratch_items:${String(fresh)}` } as never);
    // Before the build, a missing index is built from the collection when it is read.
    expect(await ids(fresh)).toEqual([String(doc._id)]);
    await api.db.collection('shop_indexes').deleteOne({ _id: `scratch_items:${String(fresh)}` } as never);
    expect(await buildAllShopIndexes(api.db)).toBeGreaterThanOrEqual(1);
    expect(await ids(fresh)).toEqual([String(doc._id)]);
    expect(await buildAllShopIndexes(api.db)).toBe(0);
    // After it, a shop without an index has nothing indexed.
    expect(await ids(new Types.ObjectId())).toEqual([]);
  });

  it('when a document’s id has dots or a leading $, then its entry keeps the id as it is', async () => {
    const dotted = () =>
      (api.db.models.ScratchDotted as Model<Dotted> | undefined) ?? api.db.model<Dotted>('ScratchDotted', dottedSchema);
    const s = new Types.ObjectId();
    const ids = ['cam:2026-11-19T13:00:00.000Z', '$odd.%2E.id'];
    for (const id of ids) await dotted().create({ _id: id, establishmentId: s, at: new Date() });
    expect((await shopIndexOf(api.db, dotted(), s)).map((e) => e.id).sort()).toEqual([...ids].sort());
    const docs = await shopDocs(api.db, dotted(), s, { by: 'at', limit: 10 });
    expect(docs.map((d) => d._id).sort()).toEqual([...ids].sort());
    await dotted().deleteOne({ _id: ids[0] });
    expect((await shopIndexOf(api.db, dotted(), s)).map((e) => e.id)).toEqual([ids[1]]);
  });

  it('when a city-wide index is split in parts, then every item lands in one part and reads come back whole', async () => {
    const many = () =>
      (api.db.models.ScratchMany as Model<Item> | undefined) ?? api.db.model<Item>('ScratchMany', manySchema);
    const made = await many().insertMany(
      Array.from({ length: 24 }, (_, i) => ({
        establishmentId: new Types.ObjectId(),
        status: i % 3 ? 'open' : 'closed',
        at: new Date(2026, 0, i + 1),
        flagged: false,
      })),
    );
    const open = made.filter((d) => d.status === 'open').map((d) => String(d._id));
    expect((await shopIndexOf(api.db, many(), 'city', 'open')).map((e) => e.id).sort()).toEqual([...open].sort());
    const parts = await api.db
      .collection('shop_indexes')
      .find({ _id: { $gte: 'scratch_many.open:city#', $lt: 'scratch_many.open:city$' } } as never)
      .toArray();
    expect(parts.length).toBeGreaterThan(1);
    const counts = parts.map((p) => Object.keys((p as unknown as { items: object }).items).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(open.length);
    await many().updateOne({ _id: made[1]?._id }, { $set: { status: 'closed' } });
    expect((await shopIndexOf(api.db, many(), 'city', 'open')).map((e) => e.id)).not.toContain(String(made[1]?._id));
    expect(await rebuildAllShopIndexes(api.db)).toBe(0);
  });
});
