import { Schema, type Types } from 'mongoose';
import type { RegulatorRole } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/** A regulator's account: the user (regulators' app) it belongs to is its _id. */
export interface RegulatorAccountDoc {
  _id: Types.ObjectId;
  name: string;
  role: RegulatorRole;
  /** Districts whose shops they work; offices whose complaints they handle (a city administrator: all). */
  districts: string[];
  offices: string[];
  /** 执法证号 (inspectors). */
  certificateNo: string | null;
  /** Shops the inspector declared a conflict of interest with: 双随机 never sends them there. */
  conflicts?: string[];
  active: boolean;
  /** The code that made it. */
  invitation: string;
  createdAt: Date;
  updatedAt: Date;
}
const accountSchema = new Schema<RegulatorAccountDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    districts: { type: [String], default: [] },
    offices: { type: [String], default: [] },
    certificateNo: { type: String, default: null },
    conflicts: { type: [String], default: undefined },
    active: { type: Boolean, required: true },
    invitation: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'regulator_accounts', versionKey: false },
);
// The administrators' list of accounts, newest first.
accountSchema.index({ createdAt: -1 }, { name: 'recent' });
export const regulatorAccountModel = defineModel<RegulatorAccountDoc>('RegulatorAccount', accountSchema);

/**
 * An invitation to become a regulator, keyed by its code (binding reads it by _id). The first
 * administrator's one-time code is one too, made by `npm run admin -- bootstrap` (or `npm start`
 * for the demo) and marked `bootstrap`.
 */
export interface RegulatorInvitationDoc {
  _id: string;
  role: RegulatorRole;
  name: string;
  districts: string[];
  offices: string[];
  certificateNo: string | null;
  bootstrap: boolean;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
  revoked: boolean;
}
const invitationSchema = new Schema<RegulatorInvitationDoc>(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true },
    name: { type: String, required: true },
    districts: { type: [String], default: [] },
    offices: { type: [String], default: [] },
    certificateNo: { type: String, default: null },
    bootstrap: { type: Boolean, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedBy: { type: String, default: null },
    usedAt: { type: Date, default: null },
    revoked: { type: Boolean, required: true },
  },
  { collection: 'regulator_invitations', versionKey: false },
);
// The administrators' list of invitations, newest first.
invitationSchema.index({ createdAt: -1 }, { name: 'recent' });
export const regulatorInvitationModel = defineModel<RegulatorInvitationDoc>('RegulatorInvitation', invitationSchema);
