import type { Connection } from 'mongoose';
import type { LoginResponse, MiniApp, Role, User } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import type { TokenSigner } from '../../http/tokens';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Config } from '../../config';
import { userModel, type UserDoc } from './user.model';

const DEFAULT_ROLES: Record<MiniApp, Role[]> = { public: ['diner'], operator: ['operator'] };

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
  const filter = { appid, openid: session.openid };
  const update = {
    $set: { lastLoginAt: now, ...(session.unionid ? { unionid: session.unionid } : {}) },
    $setOnInsert: { app, roles: DEFAULT_ROLES[app], createdAt: now },
  };
  let doc;
  try {
    doc = await Users.findOneAndUpdate(filter, update, { upsert: true, new: true }).lean();
  } catch (err) {
    // Two first logins of one person at once: the loser of the unique index race just reads the winner.
    if ((err as { code?: number }).code !== 11000) throw err;
    doc = await Users.findOneAndUpdate(filter, { $set: update.$set }, { new: true }).lean();
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
