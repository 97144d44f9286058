import { Schema, type Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

/** A user's role in a shop (owner, 食品安全总监, 安全员). */
export interface MemberDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  userId: Types.ObjectId;
  role: MemberRole;
  addedBy: string;
  addedAt: Date;
}

const memberSchema = new Schema<MemberDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true },
    addedBy: { type: String, required: true },
    addedAt: { type: Date, required: true },
  },
  { collection: 'establishment_members', versionKey: false },
);
memberSchema.index({ establishmentId: 1, userId: 1 }, { unique: true, name: 'member' });
memberSchema.index({ userId: 1 }, { name: 'by_user' });
// A shop's staff in the order they joined (the first is its owner), and by role.
memberSchema.index({ establishmentId: 1, addedAt: 1 }, { name: 'by_shop' });
memberSchema.index({ establishmentId: 1, role: 1 }, { name: 'by_shop_role' });

// Per shop: its people (who holds a role, since when); per person: the shops they work in (their
// list of shops, which photos they may see).
shopIndexed(memberSchema, { collection: 'establishment_members', fields: ['userId', 'role', 'addedAt'] });
shopIndexed(memberSchema, {
  collection: 'establishment_members',
  name: 'user',
  owner: 'userId',
  fields: ['establishmentId', 'role', 'addedAt'],
});
export const memberModel = defineModel<MemberDoc>('EstablishmentMember', memberSchema);

/**
 * A shop's roster, keyed by the shop's id: each member's role by user id. Every operator request
 * asks for the caller's role and self-checks ask which roles are present; this one document read
 * by _id answers both, where a filter on the members would read every shop's members on the
 * embedded database. Kept by the members' writers (member.roster.ts), rebuilt from the members.
 */
export interface RosterDoc {
  _id: Types.ObjectId;
  members: Record<string, MemberRole>;
}
const rosterSchema = new Schema<RosterDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    members: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'member_rosters', versionKey: false, minimize: false },
);
export const rosterModel = defineModel<RosterDoc>('MemberRoster', rosterSchema);
