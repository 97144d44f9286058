import type { Model } from 'mongoose';

/** MongoDB's duplicate-key error (a unique index refused the write); FerretDB answers the same code. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/**
 * Creates a document once per unique key, however many identical requests arrive at once: the
 * first insert wins the unique index, and every other caller — a sequential retry or a copy
 * racing it — reads and returns the winner. `key` must be the filter of a unique index.
 */
export async function createOnce<T>(
  model: Model<T>,
  key: Record<string, unknown>,
  doc: Partial<T>,
): Promise<{ created: boolean; doc: T }> {
  const existing = (await model.findOne(key).lean()) as T | null;
  if (existing) return { created: false, doc: existing };
  try {
    const made = await model.create(doc);
    return { created: true, doc: made.toObject() as T };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = (await model.findOne(key).lean()) as T | null;
    if (!winner) throw err;
    return { created: false, doc: winner };
  }
}

/**
 * An upsert that two callers may run at once: MongoDB can refuse the second concurrent upsert of
 * the same key with a duplicate-key error, after which the document exists and the update applies.
 */
export async function upsertOnce(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await run();
  }
}
