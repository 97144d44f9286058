import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { defineModel } from './models';
import { markMigrated, migrated } from './migrations';
import { findByIds } from './by-ids';
import { upsertOnce } from './duplicates';

/**
 * A shop's index of one collection: one document per (collection, shop), read by `_id`, listing
 * the shop's documents of that collection with the few fields its readers filter and count by.
 * The embedded database answers a filter by `_id` without reading the collection and reads every
 * document for any other filter, so "this shop's open notices", "this shop's violations in the last
 * year" or "this shop's reminders of a category" read this index and then, if they need more than
 * the indexed fields, the few documents by `_id`.
 *
 * Kept by the collection's own writes (schema middleware, so no writer can forget it): a create,
 * `insertMany`, an `updateOne` or `findOneAndUpdate` (the document is read back — by `_id`, or by
 * the filter of an upsert on a unique key — and its entries replaced), a `deleteOne` by `_id`. A
 * collection so indexed refuses `updateMany`, `deleteMany` and replacements, which could change
 * documents the middleware cannot name. An entry is written after its document; a process
 * that dies between the two leaves that one entry behind until the document's next write, the
 * retry of its request (createOnce and findOnce put a found document's entries again: the caller
 * got no answer, so it retries) or the nightly check (`rebuildAllShopIndexes`).
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
  /**
   * The field (a dotted path) whose value owns an index: the shop (`establishmentId`, the default),
   * or e.g. the person who filed. It never changes after the document is created. An index other
   * than the shop's is named (`name`). A function names one owner for the whole city (an index of
   * the open items a desk or a job works through), its `include` choosing which documents it lists.
   */
  owner?: string | ((doc: T) => string);
  name?: string;
  /** The fields an entry keeps. */
  fields: readonly (keyof T & string)[];
  /** Which documents the index lists (default: all); a document that stops qualifying leaves it. */
  include?: (doc: T) => boolean;
  /**
   * The fields whose change can change an entry: an update that sets none of them (a camera's
   * heartbeat) leaves the index alone, and may even be an `updateMany`. Default: the fields and the
   * owner's; a spec with `include` must name what `include` reads too.
   */
  watch?: readonly string[];
  /**
   * An index whose owner gathers many documents (an office's or the city's open items) is split in
   * this many documents by the item's id, so that a write rewrites a part, not the whole list;
   * a reader reads the parts together. Default 1.
   */
  buckets?: number;
}

type Indexed = { _id: Types.ObjectId };

const specs = new Map<string, ShopIndexSpec<never>>();
const specKey = (collection: string, name?: string) => (name ? `${collection}.${name}` : collection);
/** FNV-1a of the id: which part of a split index an item lives in. */
function bucketOf(spec: { buckets?: number }, id: unknown): number | null {
  if (!spec.buckets || spec.buckets < 2) return null;
  let h = 0x811c9dc5;
  for (const c of String(id)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h % spec.buckets;
}
const indexId = (spec: { collection: string; name?: string }, owner: unknown, bucket: number | null = null) =>
  `${specKey(spec.collection, spec.name)}:${String(owner)}${bucket === null ? '' : `#${bucket}`}`;
/** Every document of one owner's index (one, or each part of a split one). */
const indexIds = (spec: { collection: string; name?: string; buckets?: number }, owner: unknown) =>
  spec.buckets && spec.buckets > 1
    ? Array.from({ length: spec.buckets }, (_, b) => indexId(spec, owner, b))
    : [indexId(spec, owner)];
const ownerPath = (spec: ShopIndexSpec<unknown>) => (typeof spec.owner === 'string' ? spec.owner : 'establishmentId');
const ownerOf = (spec: ShopIndexSpec<never>, doc: unknown): unknown =>
  typeof spec.owner === 'function'
    ? (spec.owner as (d: unknown) => string)(doc)
    : ownerPath(spec as ShopIndexSpec<unknown>)
        .split('.')
        .reduce<unknown>(
          (v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]),
          doc,
        );

/** A document's id as a key of `items`: a dot would make a path of it, a leading $ an operator. */
const keyOf = (id: unknown) => String(id).replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');
const idOf = (key: string) => key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

function entryOf<T>(spec: ShopIndexSpec<T>, doc: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) out[f] = (doc as Record<string, unknown>)[f] ?? null;
  return out;
}

/** Puts a document's entry in its shop's index, or takes it out when it no longer qualifies. */
async function note<T>(db: Connection, spec: ShopIndexSpec<T>, doc: T & Indexed): Promise<void> {
  const owner = ownerOf(spec as ShopIndexSpec<never>, doc);
  if (owner === null || owner === undefined) return;
  const path = `items.${keyOf(doc._id)}`;
  const update =
    !spec.include || spec.include(doc) ? { $set: { [path]: entryOf(spec, doc) } } : { $unset: { [path]: '' } };
  // Two writers may create one index document at once: the loser's upsert is refused, then applies.
  const id = indexId(spec, owner, bucketOf(spec, doc._id));
  await upsertOnce(() => shopIndexModel(db).updateOne({ _id: id }, update, { upsert: true }));
}

/** The index specs declared on one collection. */
const ofCollection = (collection: string) => [...specs.values()].filter((s) => s.collection === collection);

/**
 * Puts a document's entries in every index of its collection again (idempotent): the repair of a
 * create whose process died before its entries were written, done when the request is retried.
 */
export async function reindex<T>(model: Model<T>, doc: T): Promise<void> {
  for (const s of ofCollection(model.collection.collectionName))
    await note(model.db, s as ShopIndexSpec<T>, doc as T & Indexed);
}

/**
 * Keeps an index of the collection per shop (or per `owner`) from the schema's own writes (see
 * above). The first spec declared on a schema installs the middleware, which notes every spec.
 */
export function shopIndexed<T>(schema: Schema<T>, spec: ShopIndexSpec<T>): void {
  const first = !ofCollection(spec.collection).length;
  specs.set(specKey(spec.collection, spec.name), spec as ShopIndexSpec<never>);
  if (!first) return;
  const noteAll = async (db: Connection, doc: T & Indexed) => {
    for (const s of ofCollection(spec.collection)) await note(db, s as ShopIndexSpec<T>, doc);
  };
  schema.post('save', async function (this: unknown, doc: T & Indexed) {
    const model = (doc as unknown as { constructor: Model<T> }).constructor;
    await noteAll(model.db, doc);
  });
  schema.post('insertMany', async function (this: Model<T>, docs: unknown) {
    for (const doc of docs as (T & Indexed)[]) await noteAll(this.db, doc);
  });
  type Query = {
    getFilter(): Record<string, unknown>;
    getUpdate(): Record<string, unknown> | null;
    model: Model<T>;
    indexedDoc?: (T & Indexed) | null;
  };
  /** Whether an update sets a field some index of the collection follows. */
  const touchesIndex = (update: Record<string, unknown> | null): boolean => {
    if (!update) return true;
    const paths = Object.entries(update).flatMap(([k, v]) =>
      k.startsWith('$') && v && typeof v === 'object' ? Object.keys(v as object) : [k],
    );
    return ofCollection(spec.collection).some((s) => {
      if (s.include && !s.watch) return true;
      const watched = s.watch ?? [...s.fields, ...(typeof s.owner === 'function' ? [] : [ownerPath(s as ShopIndexSpec<unknown>)])];
      return paths.some((p) => watched.some((w) => p === w || p.startsWith(`${w}.`) || w.startsWith(`${p}.`)));
    });
  };
  const byIdOnly = (filter: Record<string, unknown>) => {
    const id = filter._id;
    const operator = !!id && typeof id === 'object' && Object.keys(id).some((k) => k.startsWith('$'));
    return id !== undefined && !operator;
  };
  schema.post(['updateOne', 'findOneAndUpdate'], async function (this: Query) {
    if (!touchesIndex(this.getUpdate())) return;
    // By _id, the document is read back by _id; an upsert by its unique key (a membership) is
    // found by that key, which MongoDB serves from the unique index.
    const filter = this.getFilter();
    const doc = (
      byIdOnly(filter) ? await this.model.findById(filter._id).lean() : await this.model.findOne(filter).lean()
    ) as (T & Indexed) | null;
    if (doc) await noteAll(this.model.db, doc);
  });
  // A deletion by _id: the document is read before, and its entries removed after.
  schema.pre('deleteOne', { document: false, query: true }, async function (this: Query) {
    const filter = this.getFilter();
    if (!byIdOnly(filter)) throw new Error(`${spec.collection}: an indexed collection is deleted from by _id only`);
    this.indexedDoc = (await this.model.findById(filter._id).lean()) as (T & Indexed) | null;
  });
  schema.post('deleteOne', { document: false, query: true }, async function (this: Query) {
    const doc = this.indexedDoc;
    if (!doc) return;
    for (const s of ofCollection(spec.collection)) {
      const owner = ownerOf(s, doc);
      if (owner === null || owner === undefined) continue;
      await shopIndexModel(this.model.db).updateOne(
        { _id: indexId(s, owner, bucketOf(s, doc._id)) },
        { $unset: { [`items.${keyOf(doc._id)}`]: '' } },
      );
    }
  });
  const refuse = () => {
    throw new Error(`${spec.collection}: its per-shop index cannot follow this operation`);
  };
  schema.pre('updateMany', function (this: Query) {
    if (touchesIndex(this.getUpdate())) refuse();
  });
  schema.pre(['deleteMany', 'findOneAndDelete', 'replaceOne'], refuse);
}

/**
 * The entries of one shop's index (each with its document's `id`). Before the first build of this
 * database's indexes (buildAllShopIndexes) a missing index is built from the collection.
 */
export async function shopIndexOf<T>(
  db: Connection,
  model: Model<T>,
  shop: Types.ObjectId | string,
  name?: string,
): Promise<(Pick<T, keyof T> & { id: string })[]> {
  const spec = specs.get(specKey(model.collection.collectionName, name)) as ShopIndexSpec<T> | undefined;
  if (!spec) throw new Error(`${specKey(model.collection.collectionName, name)} is not indexed`);
  let parts = (
    await Promise.all(indexIds(spec, shop).map((id) => shopIndexModel(db).findById(id).lean()))
  ).filter((p): p is NonNullable<typeof p> => !!p) as ShopIndexDoc[];
  if (!parts.length && !(await migrated(db, migrationName()))) parts = await rebuild(db, model, spec, shop);
  return parts.flatMap((index) =>
    Object.entries(index.items ?? {}).map(([key, entry]) => ({ ...(entry as T), id: idOf(key) })),
  );
}

/**
 * One shop's documents of an indexed collection, chosen and ordered by their index entries and then
 * read by `_id`: the newest `limit` by `by` (descending) among the entries `where` accepts.
 */
export async function shopDocs<T>(
  db: Connection,
  model: Model<T>,
  shop: Types.ObjectId | string,
  opts: { by: keyof T & string; limit: number; skip?: number; where?: (entry: T) => boolean; name?: string },
): Promise<(T & { _id: Types.ObjectId })[]> {
  const entries = (await shopIndexOf(db, model, shop, opts.name)).filter((e) => !opts.where || opts.where(e as T));
  const at = (e: unknown) => new Date((e as Record<string, unknown>)[opts.by] as string | Date).getTime();
  const ids = entries
    .sort((a, b) => at(b) - at(a))
    .slice(opts.skip ?? 0, (opts.skip ?? 0) + opts.limit)
    .map((e) => e.id);
  const byId = new Map((await findByIds(model, ids)).map((d) => [String(d._id), d]));
  return ids.map((id) => byId.get(id)).filter((d): d is T & { _id: Types.ObjectId } => !!d);
}

/** The documents an index lists that `where` accepts, read by `_id` (all of them: a job's work). */
export async function indexedDocs<T>(
  db: Connection,
  model: Model<T>,
  owner: Types.ObjectId | string,
  name: string | undefined,
  where: (entry: T) => boolean,
): Promise<(T & { _id: Types.ObjectId })[]> {
  const ids = (await shopIndexOf(db, model, owner, name)).filter((e) => where(e as T)).map((e) => e.id);
  return findByIds(model, ids);
}

async function rebuild<T>(
  db: Connection,
  model: Model<T>,
  spec: ShopIndexSpec<T>,
  shop: Types.ObjectId | string,
): Promise<ShopIndexDoc[]> {
  // An owner named by a field is found by it; a city-wide owner reads the collection (tests only:
  // a database that was ever started has built its indexes).
  const filter = typeof spec.owner === 'function' ? {} : { [ownerPath(spec as ShopIndexSpec<unknown>)]: shop };
  const docs = ((await model.find(filter as never).lean()) as (T & Indexed)[]).filter(
    (d) => String(ownerOf(spec as ShopIndexSpec<never>, d)) === String(shop),
  );
  const parts = new Map(indexIds(spec, shop).map((id) => [id, { _id: id, items: {} } as ShopIndexDoc]));
  for (const d of docs) {
    if (spec.include && !spec.include(d)) continue;
    (parts.get(indexId(spec, shop, bucketOf(spec, d._id))) as ShopIndexDoc).items[keyOf(d._id)] = entryOf(spec, d);
  }
  for (const index of parts.values()) await shopIndexModel(db).replaceOne({ _id: index._id }, index, { upsert: true });
  return [...parts.values()];
}

/**
 * The build of the indexes as they are declared now: a version whose specs differ (a field added,
 * an owner, the parts) rebuilds them once at its first start.
 */
const specsDigest = () =>
  createHash('sha256')
    .update(
      JSON.stringify(
        [...specs.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, s]) => [key, s.fields, String(s.owner ?? ''), String(s.include ?? ''), s.buckets ?? 1]),
      ),
    )
    .digest('hex')
    .slice(0, 12);
const migrationName = () => `shop-indexes:${specsDigest()}`;

/**
 * Builds every shop's index of every indexed collection from the collections (one read of each),
 * replacing what was there: once per database at the API's start, and by the nightly check.
 * Returns how many index documents differed from what the collections say.
 */
export async function rebuildAllShopIndexes(db: Connection): Promise<number> {
  let repaired = 0;
  // The connection's compiled models (ensureIndexes compiles every declared one).
  for (const model of Object.values(db.models) as Model<unknown>[]) {
    const collectionSpecs = ofCollection(model.collection.collectionName) as ShopIndexSpec<unknown>[];
    if (!collectionSpecs.length) continue;
    const docs = (await model.find({}).lean()) as (Indexed & Record<string, unknown>)[];
    for (const spec of collectionSpecs) repaired += await reconcile(db, spec, docs);
  }
  return repaired;
}

/** Replaces every index of one spec that differs from what the documents say; returns how many did. */
async function reconcile(
  db: Connection,
  spec: ShopIndexSpec<unknown>,
  docs: (Indexed & Record<string, unknown>)[],
): Promise<number> {
  let repaired = 0;
    const byShop = new Map<string, ShopIndexDoc>();
    for (const d of docs) {
      const owner = ownerOf(spec as ShopIndexSpec<never>, d);
      if (owner === null || owner === undefined || (spec.include && !spec.include(d))) continue;
      const id = indexId(spec, owner, bucketOf(spec, d._id));
      const index = byShop.get(id) ?? { _id: id, items: {} };
      index.items[keyOf(d._id)] = entryOf(spec, d);
      byShop.set(id, index);
    }
    const prefix = specKey(spec.collection, spec.name);
    const stored = (await shopIndexModel(db)
      .find({ _id: { $gte: `${prefix}:`, $lt: `${prefix};` } })
      .lean()) as ShopIndexDoc[];
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

/** Builds the indexes once per database and declaration of them (the first start of a version that changed them). */
export async function buildAllShopIndexes(db: Connection): Promise<number> {
  if (await migrated(db, migrationName())) return 0;
  const built = await rebuildAllShopIndexes(db);
  await markMigrated(db, migrationName());
  return built;
}
