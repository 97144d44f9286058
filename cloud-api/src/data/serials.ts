import { Schema, type Connection } from 'mongoose';
import { chinaDate } from '@ygsa/shared';
import { defineModel } from './models';
import { upsertOnce } from './duplicates';

/**
 * Document numbers (投诉 TS…, 举报 JB…, 整改通知 ZG…, 案件 FXC…, 抽查计划 SSJ…): the prefix, the China
 * date and the day's sequence, one counter document per prefix and day (read and bumped by `_id`
 * in one atomic update). A random suffix collided: 6 hex digits give 16.7 M numbers a day, and
 * the city bench's 6,500 complaints of one day drew the same one twice (a diner got a 500). A
 * number taken by a request that then fails is a gap, never a duplicate.
 */
interface SerialDoc {
  /** "<prefix><yyyymmdd>" */
  _id: string;
  seq: number;
}
const serialModel = defineModel<SerialDoc>(
  'Serial',
  new Schema<SerialDoc>(
    { _id: { type: String, required: true }, seq: { type: Number, required: true } },
    { collection: 'serials', versionKey: false },
  ),
);

/** The next number of a kind today: e.g. TS20261206 00042 → "TS2026120600042" (`separator` between date and sequence). */
export async function nextSerial(db: Connection, prefix: string, now = new Date(), separator = ''): Promise<string> {
  const day = `${prefix}${chinaDate(now).replaceAll('-', '')}`;
  let seq = 0;
  // Two first numbers of a day at once: the loser's upsert is refused, then applies.
  await upsertOnce(async () => {
    const doc = await serialModel(db)
      .findOneAndUpdate({ _id: day }, { $inc: { seq: 1 } }, { upsert: true, new: true })
      .lean();
    seq = doc?.seq ?? 0;
  });
  return `${day}${separator}${String(seq).padStart(5, '0')}`;
}
