import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { Connection, Types } from 'mongoose';
import { addDays, chinaDate } from '@ygsa/shared';
import { firstMemberSince } from '../members/member.facts';
import { selfCheckModel } from './selfcheck.model';
import { ledgerOf } from './ledger';

dayjs.extend(utc);

/**
 * Read-only facts the self-check module states about a shop, for other modules (grading, the
 * public file). Imports only models, so any module may depend on it without a cycle.
 */

/** The China date a shop began keeping self-checks here: its first member's; null before. */
export async function startedOn(db: Connection, establishmentId: Types.ObjectId): Promise<string | null> {
  const first = await firstMemberSince(db, establishmentId);
  return first ? chinaDate(first) : null;
}

/**
 * Share of daily records made on time over the days from `from` to yesterday (today is not
 * due yet), counted from the day the shop began using self-checks; null before that.
 */
export async function dailyOnTimeRate(
  db: Connection,
  establishmentId: Types.ObjectId,
  days: number,
  now = new Date(),
): Promise<number | null> {
  const start = await startedOn(db, establishmentId);
  if (!start) return null;
  const today = chinaDate(now);
  const to = addDays(today, -1);
  const windowFrom = addDays(today, -days);
  const from = start > windowFrom ? start : windowFrom;
  if (from > to) return null;
  const expected = dayjs.utc(to).diff(dayjs.utc(from), 'day') + 1;
  // The shop's ledger (one read by _id) says which days have a record made on time.
  const marks = (await ledgerOf(db, establishmentId)).periods?.daily ?? {};
  const onTime = Object.entries(marks).filter(([day, mark]) => day >= from && day <= to && mark.onTime).length;
  return Math.min(1, onTime / expected);
}

/** Whether a self-check record of one of these shops shows the photo (an item's photo or a signature). */
export async function selfCheckUsesUpload(db: Connection, shops: Types.ObjectId[], uploadId: string): Promise<boolean> {
  if (!shops.length) return false;
  return !!(await selfCheckModel(db).exists({
    establishmentId: { $in: shops },
    $or: [{ 'content.items.photos': uploadId }, { 'content.signaturePhoto': uploadId }],
  }));
}
