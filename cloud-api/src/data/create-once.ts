import { createHash } from 'node:crypto';
import { Types, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicates';
import { reindex } from './shop-index';

export { isDuplicateKey, upsertOnce } from './duplicates';

/**
 * The identity of the document a collection holds under a natural key (a box's event, a request's
 * idempotency key, a shop's notice for one incident): an ObjectId derived from the collection and
 * the key. Finding it is an `_id` read — the one read the embedded database serves without
 * scanning the collection — and two writers of one key write one `_id`, so a copy can never
 * become a second document even where no other unique index exists.
 */
export function naturalId(collection: string, key: Record<string, unknown>): Types.ObjectId {
  const canonical = Object.keys(key)
    .sort()
    .map((k) => `${k}=${String(key[k])}`)
    .join('\n');
  return new Types.ObjectId(createHash('sha256').update(`${collection}\n${canonical}`).digest('hex').slice(0, 24));
}

/** A key that is the `_id` itself stays it; any other is turned into its natural id. */
function identityOf(model: Model<unknown>, key: Record<string, unknown>): unknown {
  const fields = Object.keys(key);
  return fields.length === 1 && fields[0] === '_id' ? key._id : naturalId(model.collection.collectionName, key);
}

/**
 * The document created under this natural key, if any (an `_id` read) — a retry's question: a
 * found document's index entries are put again, in case its creator died before writing them.
 */
export async function findOnce<T>(model: Model<T>, key: Record<string, unknown>): Promise<T | null> {
  const found = (await model.findById(identityOf(model as Model<unknown>, key)).lean()) as T | null;
  if (found) await reindex(model, found);
  return found;
}

/**
 * Creates a document once per unique key, however many identical requests arrive at once: the
 * document's `_id` is derived from the key (naturalId), the first insert wins, and every other
 * caller — a sequential retry or a copy racing it — reads and returns the winner by that `_id`.
 * `key` must also be the filter of a unique index: a document created before identities were
 * derived (another `_id`, the same key) is then found by the key when its copy is refused.
 */
export async function createOnce<T>(
  model: Model<T>,
  key: Record<string, unknown>,
  /** The document, or what makes it (only when it is created: a serial number is not taken by a retry). */
  doc: Partial<T> | (() => Promise<Partial<T>>),
): Promise<{ created: boolean; doc: T }> {
  const _id = identityOf(model as Model<unknown>, key);
  const existing = (await model.findById(_id).lean()) as T | null;
  if (existing) {
    await reindex(model, existing);
    return { created: false, doc: existing };
  }
  try {
    const fields = typeof doc === 'function' ? await doc() : doc;
    const made = await model.create({ ...fields, _id });
    return { created: true, doc: made.toObject() as T };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = ((await model.findById(_id).lean()) ?? (await model.findOne(key).lean())) as T | null;
    if (!winner) throw err;
    await reindex(model, winner);
    return { created: false, doc: winner };
  }
}
