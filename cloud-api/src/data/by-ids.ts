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
