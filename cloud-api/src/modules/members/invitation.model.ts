import { Schema, type Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { defineModel } from '../../data/models';

export interface InvitationDoc {
  _id: Types.ObjectId;
  code: string;
  establishmentId: Types.ObjectId;
  role: MemberRole;
  maxUses: number;
  /** Uses left; decremented atomically on each binding. */
  remaining: number;
  usedBy: string[];
  expiresAt: Date;
  revoked: boolean;
  createdBy: string;
  createdAt: Date;
}

const schema = new Schema<InvitationDoc>(
  {
    code: { type: String, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true },
    maxUses: { type: Number, required: true },
    remaining: { type: Number, required: true },
    usedBy: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    revoked: { type: Boolean, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'invitations', versionKey: false },
);
schema.index({ code: 1 }, { unique: true, name: 'code' });
schema.index({ establishmentId: 1, createdAt: -1 }, { name: 'by_shop' });

export const invitationModel = defineModel<InvitationDoc>('Invitation', schema);
