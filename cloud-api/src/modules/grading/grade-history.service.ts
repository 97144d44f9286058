import type { Connection, Types } from 'mongoose';
import type { CreditGrade } from '@ygsa/shared';
import { gradeHistoryModel } from './grade-history.model';

/** Grading's record of what the public was shown: other modules add first grades through this. */
export async function recordGradesShown(
  db: Connection,
  entries: { establishmentId: Types.ObjectId; grade: CreditGrade; trigger: string; shownFrom: Date }[],
): Promise<void> {
  if (!entries.length) return;
  await gradeHistoryModel(db).insertMany(entries, { ordered: false, lean: true });
}
