import type { Connection } from 'mongoose';
import type { LoginResponse, MiniApp, Role, User, VerifiedPhone } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey, naturalId } from '../../data/create-once';
import { markMigrated, migrated } from '../../data/migrations';
import type { TokenSigner } from '../../http/tokens';
import { WeChatError, type WeChatClient } from '../../integrations/wechat.client';
import type { Config } from '../../config';
import { userKeyModel, userModel, type UserDoc } from './user.model';

/** A user's roles at first sign-in; the regulators' app's users become regulators by binding an invitation. */
const DEFAULT_ROLES: Record<MiniApp, Role[]> = { public: ['diner'], operator: ['operator'], regulator: ['applicant'] };

function toUser(doc: UserDoc & { _id: unknown }): User {
  return {
    id: String(doc._id),
    app: doc.app,
    roles: doc.roles,
    createdAt: doc.createdAt.toISOString(),
    lastLoginAt: doc.lastLoginAt.toISOString(),
  };
}

export interface AuthDeps {
  db: Connection;
  wechat: WeChatClient;
  tokens: TokenSigner;
  wechatApps: Config['wechat']['apps'];
}

/** Exchanges a wx.login code for our user (created on first login) and a signed token. */
export async function loginWithWeChat(deps: AuthDeps, app: MiniApp, code: string): Promise<LoginResponse> {
  const session = await deps.wechat.code2Session(app, code);
  const Users = userModel(deps.db);
  const appid = deps.wechatApps[app].appid;
  const now = new Date();
  const identity = { appid, openid: session.openid };
  const $set = { lastLoginAt: now, ...(session.unionid ? { unionid: session.unionid } : {}) };
  // The identity decides the user's _id: signing in is a read and a write by _id (a user made
  // before is found through user_keys, by _id too).
  const id = naturalId(Users.collection.collectionName, identity);
  const legacy = async () => {
    const key = await userKeyModel(deps.db).findById(`${appid}:${session.openid}`).lean();
    return key ? Users.findOneAndUpdate({ _id: key.userId }, { $set }, { new: true }).lean() : null;
  };
  let doc = (await Users.findOneAndUpdate({ _id: id }, { $set }, { new: true }).lean()) ?? (await legacy());
  if (!doc) {
    try {
      doc = (
        await Users.create({ _id: id, ...identity, ...$set, app, roles: DEFAULT_ROLES[app], createdAt: now })
      ).toObject();
    } catch (err) {
      // Two first logins of one person at once: the loser reads the winner (by the unique identity
      // for a user an older instance made meanwhile).
      if (!isDuplicateKey(err)) throw err;
      doc =
        (await Users.findOneAndUpdate({ _id: id }, { $set }, { new: true }).lean()) ??
        (await Users.findOneAndUpdate(identity, { $set }, { new: true }).lean());
    }
  }
  if (!doc) throw new AppError('INTERNAL');
  const { token, expiresAt } = deps.tokens.sign(String(doc._id), doc.roles);
  return { token, expiresAt: expiresAt.toISOString(), user: toUser(doc) };
}

export async function getUser(db: Connection, userId: string): Promise<User> {
  const Users = userModel(db);
  const doc = /^[0-9a-f]{24}$/.test(userId) ? await Users.findById(userId).lean() : null;
  if (!doc) throw new AppError('NOT_FOUND', { message: '用户不存在' });
  return toUser(doc);
}

/**
 * Exchanges a getPhoneNumber button's code (手机号快速验证) for the number WeChat has verified, and
 * keeps it on the user: a complaint filed with that number is marked verified for the office.
 */
export async function verifyPhoneNumber(
  deps: Pick<AuthDeps, 'db' | 'wechat'>,
  userId: string,
  code: string,
  now = new Date(),
): Promise<VerifiedPhone> {
  const user = /^[0-9a-f]{24}$/.test(userId) ? await userModel(deps.db).findById(userId).lean() : null;
  if (!user || (user.app !== 'public' && user.app !== 'operator'))
    throw new AppError('FORBIDDEN', { message: '仅小程序用户可验证手机号' });
  let phone: string;
  try {
    phone = (await deps.wechat.getPhoneNumber(user.app, code)).purePhoneNumber;
  } catch (err) {
    // 40029: the code is used, expired or not this app's: the user taps the button again.
    if (err instanceof WeChatError && err.errcode === 40029)
      throw new AppError('VALIDATION_FAILED', {
        message: '手机号授权已失效，请重新点击获取',
        details: [{ path: 'body.code', message: '手机号授权已失效，请重新点击获取' }],
      });
    if (err instanceof AppError) throw err;
    throw new AppError('WECHAT_UNAVAILABLE', { cause: err });
  }
  await userModel(deps.db).updateOne({ _id: user._id }, { $set: { verifiedPhone: phone, phoneVerifiedAt: now } });
  // Only the office ever needs the full number: the phone shows it masked.
  return { masked: maskPhone(phone), verifiedAt: now.toISOString() };
}

/** "139****2312": enough for its owner to recognise, too little for anyone else. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** The phone number WeChat verified for a user, if any. */
export async function verifiedPhoneOf(db: Connection, userId: string): Promise<string | null> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return null;
  const user = await userModel(db).findById(userId, { verifiedPhone: 1 }).lean();
  return user?.verifiedPhone ?? null;
}

/** Creates a console account once (a repeated call changes nothing); answers its id and roles. */
export async function ensureConsoleUser(
  db: Connection,
  input: { username: string; displayName: string; roles: Role[] },
  now = new Date(),
): Promise<{ id: string; roles: Role[] }> {
  await userModel(db).updateOne(
    { username: input.username },
    { $setOnInsert: { app: 'console', ...input, createdAt: now, lastLoginAt: now } },
    { upsert: true },
  );
  const user = await userModel(db).findOne({ username: input.username }, { roles: 1 }).lean();
  return { id: String(user?._id), roles: (user?.roles ?? []) as Role[] };
}

const USER_KEYS = 'user-keys';

/**
 * Lists, once per database, the WeChat users made before their identity decided their _id, so that
 * sign-in finds every user by _id. Returns how many it listed.
 */
export async function buildUserKeys(db: Connection): Promise<number> {
  if (await migrated(db, USER_KEYS)) return 0;
  const Users = userModel(db);
  let listed = 0;
  for (const u of await Users.find({ openid: { $exists: true } }, { appid: 1, openid: 1 }).lean()) {
    if (!u.appid || !u.openid) continue;
    if (String(u._id) === String(naturalId(Users.collection.collectionName, { appid: u.appid, openid: u.openid })))
      continue;
    await userKeyModel(db).updateOne({ _id: `${u.appid}:${u.openid}` }, { $set: { userId: u._id } }, { upsert: true });
    listed += 1;
  }
  await markMigrated(db, USER_KEYS);
  return listed;
}

/** A user's roles, if the user signed in through this app (else null). */
export async function userRoles(db: Connection, userId: string, app: UserDoc['app']): Promise<Role[] | null> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return null;
  const user = await userModel(db).findById(userId, { app: 1, roles: 1 }).lean();
  return user && user.app === app ? user.roles : null;
}

/** Sets the roles a user's next sign-in carries (a regulator bound or ended). */
export async function setUserRoles(db: Connection, userId: string, roles: Role[]): Promise<void> {
  await userModel(db).updateOne({ _id: userId }, { $set: { roles } });
}
