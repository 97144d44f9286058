import { Schema, type Types } from 'mongoose';
import { ROLES, type Role } from '@ygsa/shared';
import { defineModel } from '../../data/models';

export const USER_APPS = ['public', 'operator', 'regulator', 'console'] as const;

export interface UserDoc {
  /** Which client the identity comes from: a mini-program (WeChat openid) or the regulators' console. */
  app: (typeof USER_APPS)[number];
  /** The mini-program's appid and the user's openid within it; absent for console accounts. */
  appid?: string;
  openid?: string;
  unionid?: string;
  /** Console accounts: a login name. */
  username?: string;
  displayName?: string;
  /** The phone number WeChat verified for this user (手机号快速验证), and when. */
  verifiedPhone?: string;
  phoneVerifiedAt?: Date;
  roles: Role[];
  createdAt: Date;
  lastLoginAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    app: { type: String, enum: USER_APPS, required: true },
    appid: { type: String },
    openid: { type: String },
    unionid: { type: String },
    username: { type: String },
    displayName: { type: String },
    verifiedPhone: { type: String },
    phoneVerifiedAt: { type: Date },
    roles: { type: [String], enum: ROLES, required: true },
    createdAt: { type: Date, required: true },
    lastLoginAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);
// One user per WeChat identity within a mini-program; sparse keeps console accounts out of it.
userSchema.index({ appid: 1, openid: 1 }, { unique: true, sparse: true, name: 'wechat_identity' });
userSchema.index({ username: 1 }, { unique: true, sparse: true, name: 'console_username' });

export const userModel = defineModel<UserDoc>('User', userSchema);

/**
 * Users made before a WeChat identity decided the user's _id (naturalId of appid and openid), by
 * their identity "<appid>:<openid>": sign-in finds them by _id too. Built once per database.
 */
export interface UserKeyDoc {
  _id: string;
  userId: Types.ObjectId;
}
export const userKeyModel = defineModel<UserKeyDoc>(
  'UserKey',
  new Schema<UserKeyDoc>(
    { _id: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, required: true } },
    { collection: 'user_keys', versionKey: false },
  ),
);
