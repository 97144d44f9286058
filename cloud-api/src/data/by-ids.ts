import type { Model, Types } from 'mongoose';

/** Up to this many ids are read one by one; more in one `$in` read. */
const ONE_BY_ONE = 100;

/**
 * Documents by id. A few ids are read one `_id` at a time, in parallel: the embedded database
 * answers an `_id` equality without reading the collection, but reads every document for `$in`.
 * Many ids (a job's batch) are read with `$in`, which MongoDB serves from the `_id` index either way.
 */
export async function findByIds<T>(
  model: Model<T>,
  ids: readonly (Types.ObjectId | string)[],
  projection?: Record<string, 0 | 1>,
): Promise<(T & { _id: Types.ObjectId })[]> {
  const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
  if (!unique.length) return [];
  if (unique.length > ONE_BY_ONE)
    return (await model
      .find({ _id: { $in: unique } } as never, projection)
      .lean()) as (T & { _id: Types.ObjectId })[];
  const rows = await Promise.all(unique.map((id) => model.findById(id, projection).lean()));
  return rows.filter((r) => r !== null) as (T & { _id: Types.ObjectId })[];
}

/** Whether a stored value equals the one asked for (ids and dates by their text, missing as null). */
function sameValue(have: unknown, want: unknown): boolean {
  if (have === null || have === undefined) return want === null || want === undefined;
  if (want === null || want === undefined) return false;
  return typeof have === 'object' || typeof want === 'object' ? String(have) === String(want) : have === want;
}

/**
 * A document by `_id` that must also match these equalities (paths may be dotted), or null. The
 * equalities are checked here, not sent: the embedded database answers a filter by `_id` without
 * reading the collection only when `_id` is the filter's one field.
 */
export async function findByIdWhere<T>(
  model: Model<T>,
  id: Types.ObjectId | string,
  where: Record<string, unknown>,
  projection?: Record<string, 0 | 1>,
): Promise<(T & { _id: Types.ObjectId }) | null> {
  const doc = (await model.findById(id, projection).lean()) as (T & { _id: Types.ObjectId }) | null;
  if (!doc) return null;
  for (const [path, want] of Object.entries(where)) {
    const have = path
      .split('.')
      .reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), doc);
    if (!sameValue(have, want)) return null;
  }
  return doc;
}
