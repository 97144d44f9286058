import { Schema, type Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/**
 * A membership the owner ended: who, which role, since when, removed when and by whom. Kept so
 * that the team's history stays readable and an invitation code used before the removal cannot
 * bring the person back.
 */
export interface RemovalDoc {
  _id: Types.ObjectId;
  /** The ended membership's id: one record per membership, however often the removal is sent. */
  membershipId: Types.ObjectId;
  establishmentId: Types.ObjectId;
  userId: Types.ObjectId;
  role: MemberRole;
  addedAt: Date;
  addedBy: string;
  removedAt: Date;
  removedBy: string;
}

const schema = new Schema<RemovalDoc>(
  {
    membershipId: { type: Schema.Types.ObjectId, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true },
    addedAt: { type: Date, required: true },
    addedBy: { type: String, required: true },
    removedAt: { type: Date, required: true },
    removedBy: { type: String, required: true },
  },
  { collection: 'member_removals', versionKey: false },
);
schema.index({ membershipId: 1 }, { unique: true, name: 'membership' });
schema.index({ establishmentId: 1, userId: 1, removedAt: -1 }, { name: 'by_shop_user' });

export const removalModel = defineModel<RemovalDoc>('MemberRemoval', schema);
