import type { Connection, Types } from 'mongoose';
import type { CreditGrade } from '@ygsa/shared';
import { establishmentModel } from './establishment.model';

/**
 * The shop's stored grade, kept by grading (its only writer) through this narrow port, so that
 * grading needs neither the establishments service (which reads grades: a cycle) nor its model.
 * Like a facts file, it imports only the module's model.
 */

/** What a grade computation needs of a shop. */
export async function gradeSubject(db: Connection, id: Types.ObjectId | string) {
  return establishmentModel(db).findById(id, { licensedAt: 1, grade: 1 }).lean();
}

/** Stores the grade shown for the shop. */
export async function storeGrade(db: Connection, id: Types.ObjectId, grade: CreditGrade): Promise<void> {
  await establishmentModel(db).updateOne({ _id: id }, { $set: { grade } });
}
