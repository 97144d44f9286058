import type { Connection, Types } from 'mongoose';
import type { MiniApp } from '@ygsa/shared';
import { userModel } from './user.model';

/** Read-only facts the auth module states about users for other modules. Imports only its model. */

/** The openids of these users in one app (those who ever signed in there). */
export async function openidsOf(db: Connection, userIds: Types.ObjectId[], app: MiniApp): Promise<string[]> {
  if (!userIds.length) return [];
  const users = await userModel(db)
    .find({ _id: { $in: userIds }, app }, { openid: 1 })
    .lean();
  return users.map((u) => u.openid).filter((o): o is string => !!o);
}
