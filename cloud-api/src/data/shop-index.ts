import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { defineModel } from './models';
import { markMigrated, migrated } from './migrations';
import { findByIds } from './by-ids';

/**
 * A shop's index of one collection: one document per (collection, shop), read by `_id`, listing
 * the shop's documents of that collection with the few fields its readers filter and count by.
 * The embedded database answers a filter by `_id` without reading the collection and reads every
 * document for any other filter, so "this shop's open notices", "this shop's violations in the last
 * year" or "this shop's reminders of a category" read this index and then, if they need more than
 * the indexed fields, the few documents by `_id`.
 *
 * Kept by the collection's own writes (schema middleware, so no writer can forget it): a create, an
 * `updateOne` or `findOneAndUpdate` by `_id` (the document is read back by `_id` and its entry
 * replaced), `insertMany`. A collection so indexed refuses `updateMany` and deletes, which could
 * change documents the middleware cannot name. An entry is written after its document; a process
 * that dies between the two leaves that one entry behind until the document's next write or the
 * nightly check (`checkShopIndexes`), which rebuilds every index from the collections.
 */
interface ShopIndexDoc {
  /** "<collection>:<shop id>" */
  _id: string;
  items: Record<string, Record<string, unknown>>;
}
const shopIndexModel = defineModel<ShopIndexDoc>(
  'ShopIndex',
  new Schema<ShopIndexDoc>(
    { _id: { type: String, required: true }, items: { type: Schema.Types.Mixed, default: {} } },
    { collection: 'shop_indexes', versionKey: false, minimize: false },
  ),
);

export interface ShopIndexSpec<T> {
  /** The collection's name (the index documents' prefix). */
  collection: string;
  /** The fields an entry keeps. */
  fields: readonly (keyof T & string)[];
  /** Which documents the index lists (default: all); a document that stops qualifying leaves it. */
  include?: (doc: T) => boolean;
}

type Indexed = { _id: Types.ObjectId; establishmentId?: Types.ObjectId | null };

const specs = new Map<string, ShopIndexSpec<never>>();
const indexId = (collection: string, shop: unknown) => `${collection}:${String(shop)}`;

function entryOf<T>(spec: ShopIndexSpec<T>, doc: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) out[f] = (doc as Record<string, unknown>)[f] ?? null;
  return out;
}

/** Puts a document's entry in its shop's index, or takes it out when it no longer qualifies. */
async function note<T>(db: Connection, spec: ShopIndexSpec<T>, doc: T & Indexed): Promise<void> {
  if (!doc.establishmentId) return;
  const path = `items.${String(doc._id)}`;
  const update =
    !spec.include || spec.include(doc) ? { $set: { [path]: entryOf(spec, doc) } } : { $unset: { [path]: '' } };
  await shopIndexModel(db).updateOne({ _id: indexId(spec.collection, doc.establishmentId) }, update, { upsert: true });
}

/** Keeps the collection's per-shop index from the schema's own writes (see above). */
export function shopIndexed<T>(schema: Schema<T>, spec: ShopIndexSpec<T>): void {
  specs.set(spec.collection, spec as ShopIndexSpec<never>);
  schema.post('save', async function (this: unknown, doc: T & Indexed) {
    const model = (doc as unknown as { constructor: Model<T> }).constructor;
    await note(model.db, spec, doc);
  });
  schema.post('insertMany', async function (this: Model<T>, docs: unknown) {
    for (const doc of docs as (T & Indexed)[]) await note(this.db, spec, doc);
  });
  schema.post(['updateOne', 'findOneAndUpdate'], async function (this: {
    getFilter(): Record<string, unknown>;
    model: Model<T>;
  }) {
    const id = this.getFilter()._id;
    const operator = !!id && typeof id === 'object' && Object.keys(id).some((k) => k.startsWith('$'));
    if (!id || operator) throw new Error(`${spec.collection}: an indexed collection is updated by _id only`);
    const doc = (await this.model.findById(id).lean()) as (T & Indexed) | null;
    if (doc) await note(this.model.db, spec, doc);
  });
  const refuse = () => {
    throw new Error(`${spec.collection}: its per-shop index cannot follow this operation`);
  };
  schema.pre(['updateMany', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'replaceOne'], refuse);
}

/**
 * The entries of one shop's index (each with its document's `id`). Before the first build of this
 * database's indexes (buildAllShopIndexes) a missing index is built from the collection.
 */
export async function shopIndexOf<T>(
  db: Connection,
  model: Model<T>,
  shop: Types.ObjectId | string,
): Promise<(Pick<T, keyof T> & { id: string })[]> {
  const spec = specs.get(model.collection.collectionName) as ShopIndexSpec<T> | undefined;
  if (!spec) throw new Error(`${model.collection.collectionName} has no per-shop index`);
  let index = (await shopIndexModel(db).findById(indexId(spec.collection, shop)).lean()) as ShopIndexDoc | null;
  if (!index && !(await migrated(db, MIGRATION))) index = await rebuild(db, model, spec, shop);
  return Object.entries(index?.items ?? {}).map(([id, entry]) => ({ ...(entry as T), id }));
}

/**
 * One shop's documents of an indexed collection, chosen and ordered by their index entries and then
 * read by `_id`: the newest `limit` by `by` (descending) among the entries `where` accepts.
 */
export async function shopDocs<T>(
  db: Connection,
  model: Model<T>,
  shop: Types.ObjectId | string,
  opts: { by: keyof T & string; limit: number; where?: (entry: T) => boolean },
): Promise<(T & { _id: Types.ObjectId })[]> {
  const entries = (await shopIndexOf(db, model, shop)).filter((e) => !opts.where || opts.where(e as T));
  const at = (e: unknown) => new Date((e as Record<string, unknown>)[opts.by] as string | Date).getTime();
  const ids = entries
    .sort((a, b) => at(b) - at(a))
    .slice(0, opts.limit)
    .map((e) => e.id);
  const byId = new Map((await findByIds(model, ids)).map((d) => [String(d._id), d]));
  return ids.map((id) => byId.get(id)).filter((d): d is T & { _id: Types.ObjectId } => !!d);
}

async function rebuild<T>(
  db: Connection,
  model: Model<T>,
  spec: ShopIndexSpec<T>,
  shop: Types.ObjectId | string,
): Promise<ShopIndexDoc> {
  const docs = (await model.find({ establishmentId: shop } as never).lean()) as (T & Indexed)[];
  const index: ShopIndexDoc = { _id: indexId(spec.collection, shop), items: {} };
  for (const d of docs) if (!spec.include || spec.include(d)) index.items[String(d._id)] = entryOf(spec, d);
  await shopIndexModel(db).replaceOne({ _id: index._id }, index, { upsert: true });
  return index;
}

const MIGRATION = 'shop-indexes';

/**
 * Builds every shop's index of every indexed collection from the collections (one read of each),
 * replacing what was there: once per database at the API's start, and by the nightly check.
 * Returns how many index documents differed from what the collections say.
 */
export async function rebuildAllShopIndexes(db: Connection): Promise<number> {
  let repaired = 0;
  // The connection's compiled models (ensureIndexes compiles every declared one).
  for (const model of Object.values(db.models) as Model<unknown>[]) {
    const spec = specs.get(model.collection.collectionName) as ShopIndexSpec<unknown> | undefined;
    if (!spec) continue;
    const byShop = new Map<string, ShopIndexDoc>();
    for (const d of (await model.find({}).lean()) as (Indexed & Record<string, unknown>)[]) {
      if (!d.establishmentId || (spec.include && !spec.include(d))) continue;
      const id = indexId(spec.collection, d.establishmentId);
      const index = byShop.get(id) ?? { _id: id, items: {} };
      index.items[String(d._id)] = entryOf(spec, d);
      byShop.set(id, index);
    }
    const stored = await shopIndexModel(db)
      .find({ _id: { $gte: `${spec.collection}:`, $lt: `${spec.collection};` } })
      .lean();
    const storedById = new Map(stored.map((s) => [s._id, s]));
    for (const index of byShop.values()) {
      const before = storedById.get(index._id);
      if (before && JSON.stringify(normalise(before.items)) === JSON.stringify(normalise(index.items))) continue;
      await shopIndexModel(db).replaceOne({ _id: index._id }, index, { upsert: true });
      repaired += 1;
    }
    for (const s of stored) {
      if (byShop.has(s._id) || !Object.keys(s.items ?? {}).length) continue;
      await shopIndexModel(db).replaceOne({ _id: s._id }, { _id: s._id, items: {} }, { upsert: true });
      repaired += 1;
    }
  }
  return repaired;
}

/** Items in a stable form (key order, dates as text) for comparing a stored index with a rebuilt one. */
function normalise(items: Record<string, Record<string, unknown>>): unknown {
  return Object.keys(items)
    .sort()
    .map((id) => [
      id,
      Object.keys(items[id] ?? {})
        .sort()
        .map((k) => [k, JSON.stringify((items[id] as Record<string, unknown>)[k])]),
    ]);
}

/** Builds the indexes once per database (the first start of this version). */
export async function buildAllShopIndexes(db: Connection): Promise<number> {
  if (await migrated(db, MIGRATION)) return 0;
  const built = await rebuildAllShopIndexes(db);
  await markMigrated(db, MIGRATION);
  return built;
}
