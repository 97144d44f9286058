import { Schema, type Types } from 'mongoose';
import type { CreditGrade } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/** What the public was shown, from when: one entry each time the shown grade changed. */
export interface GradeHistoryDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  grade: CreditGrade;
  trigger: string;
  shownFrom: Date;
}

const schema = new Schema<GradeHistoryDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    grade: { type: Schema.Types.Mixed, required: true },
    trigger: { type: String, required: true },
    shownFrom: { type: Date, required: true },
  },
  { collection: 'grade_history', versionKey: false },
);
schema.index({ establishmentId: 1, shownFrom: -1 }, { name: 'by_shop' });

export const gradeHistoryModel = defineModel<GradeHistoryDoc>('GradeHistory', schema);
