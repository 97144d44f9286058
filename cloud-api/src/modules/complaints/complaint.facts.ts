import type { Connection, Types } from 'mongoose';
import { complaintModel } from './complaint.model';
import { shopIndexOf } from '../../data/shop-index';

/** Read-only facts the complaints module states about a shop (grading, risk). Imports only its model. */

/** 投诉 upheld about the shop in the last `days` days. */
export async function upheldCount(
  db: Connection,
  establishmentId: Types.ObjectId,
  days: number,
  now = new Date(),
): Promise<number> {
  const since = new Date(now.getTime() - days * 24 * 3600 * 1000);
  // The shop's index of complaints (one _id read), not the city's complaints.
  return (await shopIndexOf(db, complaintModel(db), establishmentId)).filter(
    (c) => c.upheld === true && c.updatedAt >= since,
  ).length;
}

/** Where a complaint is handled (its office) and about (its district), or null. */
export async function placeOfComplaint(db: Connection, id: string) {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return complaintModel(db).findById(id, { office: 1, district: 1 }).lean();
}
