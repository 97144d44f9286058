import type { Connection, Types } from 'mongoose';
import { complaintModel } from './complaint.model';

/** Read-only facts the complaints module states about a shop (grading, risk). Imports only its model. */

/** 投诉 upheld about the shop in the last `days` days. */
export async function upheldCount(
  db: Connection,
  establishmentId: Types.ObjectId,
  days: number,
  now = new Date(),
): Promise<number> {
  return complaintModel(db).countDocuments({
    establishmentId,
    upheld: true,
    updatedAt: { $gte: new Date(now.getTime() - days * 24 * 3600 * 1000) },
  });
}
