import type { Connection, Types } from 'mongoose';
import type { MiniApp } from '@ygsa/shared';
import { userModel } from './user.model';
import { findByIds } from '../../data/by-ids';

/** Read-only facts the auth module states about users for other modules. Imports only its model. */

/** The openids of these users in one app (those who ever signed in there). */
export async function openidsOf(db: Connection, userIds: Types.ObjectId[], app: MiniApp): Promise<string[]> {
  if (!userIds.length) return [];
  const users = (await findByIds(userModel(db), userIds, { openid: 1, app: 1 })).filter((u) => u.app === app);
  return users.map((u) => u.openid).filter((o): o is string => !!o);
}

/** Each user's openid in one app, by user id (users never signed in there are absent). */
export async function openidByUser(db: Connection, userIds: Types.ObjectId[], app: MiniApp) {
  if (!userIds.length) return new Map<string, string>();
  const users = (await findByIds(userModel(db), userIds, { openid: 1, app: 1 })).filter((u) => u.app === app);
  return new Map(users.filter((u) => !!u.openid).map((u) => [String(u._id), u.openid as string]));
}

/** One user's app and openid (where a message to them goes); null for an unknown id. */
export async function userContact(db: Connection, userId: string | Types.ObjectId) {
  const user = await userModel(db).findById(userId, { app: 1, openid: 1 }).lean();
  return user ? { app: user.app, openid: user.openid ?? null } : null;
}

/** A console account by its username, or null. */
export async function userByUsername(db: Connection, username: string) {
  return userModel(db).findOne({ username }).lean();
}
