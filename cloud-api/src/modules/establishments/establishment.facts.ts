import type { Connection, Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { establishmentModel, memberModel } from './establishment.model';

/** Read-only facts the establishments module states for other modules. Imports only its models. */

/** Shops' names by id, in one read. */
export async function shopNames(db: Connection, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const rows = await establishmentModel(db)
    .find({ _id: { $in: ids } }, { name: 1 })
    .lean();
  return new Map(rows.map((r) => [String(r._id), r.name]));
}

/** The users holding one of these roles in the shop. */
export async function memberUserIds(
  db: Connection,
  establishmentId: Types.ObjectId,
  roles: readonly MemberRole[],
): Promise<Types.ObjectId[]> {
  const rows = await memberModel(db)
    .find({ establishmentId, role: { $in: roles as MemberRole[] } }, { userId: 1 })
    .lean();
  return rows.map((m) => m.userId);
}
