import { Types, type Connection } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { memberModel } from './member.model';
import { shopIndexOf } from '../../data/shop-index';

/** Read-only facts the members module states for other modules. Imports only its models. */

/** The users holding one of these roles in the shop. */
export async function memberUserIds(
  db: Connection,
  establishmentId: Types.ObjectId,
  roles: readonly MemberRole[],
): Promise<Types.ObjectId[]> {
  const rows = await shopIndexOf(db, memberModel(db), establishmentId);
  return rows.filter((m) => roles.includes(m.role as MemberRole)).map((m) => new Types.ObjectId(String(m.userId)));
}

/** The shops a user is a member of (owner, 总监 or 安全员). */
export async function shopsOfMember(db: Connection, userId: string): Promise<Types.ObjectId[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  // The person's index of memberships (one _id read), not every membership of the city.
  const rows = await shopIndexOf(db, memberModel(db), userId, 'user');
  return rows.map((r) => new Types.ObjectId(String(r.establishmentId)));
}

/** Whether the user holds any role in the shop. */
export async function isMember(db: Connection, establishmentId: Types.ObjectId, userId: string): Promise<boolean> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return false;
  return (await shopIndexOf(db, memberModel(db), establishmentId)).some((m) => String(m.userId) === userId);
}

/** When the shop's first member joined (the day it began keeping self-checks here); null before. */
export async function firstMemberSince(db: Connection, establishmentId: Types.ObjectId): Promise<Date | null> {
  const since = (await shopIndexOf(db, memberModel(db), establishmentId)).map((m) => new Date(m.addedAt).getTime());
  return since.length ? new Date(Math.min(...since)) : null;
}

/** Every membership (shop, user, role): the daily reminder's round. */
export async function allMemberships(db: Connection) {
  return memberModel(db).find({}, { establishmentId: 1, userId: 1, role: 1 }).lean();
}
