import { Schema, type Types } from 'mongoose';
import { defineModel } from '../../data/models';

export interface CommitteeDoc {
  establishmentId: Types.ObjectId;
  userId: string;
  /** The parent's name and their child's class, as they gave them when joining. */
  name: string;
  grade: string;
  /** The committee's 召集人 (set by the school). */
  convener: boolean;
  joinedAt: Date;
  revokedAt: Date | null;
}
const committeeSchema = new Schema<CommitteeDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    name: { type: String, default: '' },
    grade: { type: String, default: '' },
    convener: { type: Boolean, default: false },
    joinedAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'committee_members', versionKey: false },
);
committeeSchema.index({ establishmentId: 1, userId: 1 }, { unique: true, name: 'member' });
// A parent's committees; a canteen's committee in joining order; its convener changes.
committeeSchema.index({ userId: 1, revokedAt: 1 }, { name: 'by_user' });
committeeSchema.index({ establishmentId: 1, joinedAt: 1 }, { name: 'by_shop' });
committeeSchema.index({ establishmentId: 1, convener: 1 }, { name: 'convener' });
/** A school canteen's parents' committee: the only public viewers of its kitchen. */
export const committeeModel = defineModel<CommitteeDoc>('CommitteeMember', committeeSchema);
