import { RoleSchema } from './roles.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** Which mini-program a WeChat login code comes from; each has its own appid. */
export const MiniAppSchema = z.enum(['public', 'operator', 'regulator']);
export type MiniApp = z.infer<typeof MiniAppSchema>;

export const WeChatLoginRequestSchema = z
  .object({
    // wx.login codes are short opaque strings; anything else is rejected before reaching WeChat.
    code: z
      .string()
      .trim()
      .min(1, '缺少登录凭证')
      .max(128, '登录凭证过长')
      .regex(/^[\w-]+$/, '登录凭证格式错误'),
    app: MiniAppSchema,
  })
  .strict();
export type WeChatLoginRequest = z.infer<typeof WeChatLoginRequestSchema>;

/** Where an account signs in: one of the mini-programs, or the regulators' console. */
export const UserAppSchema = z.enum(['public', 'operator', 'regulator', 'console']);
export type UserApp = z.infer<typeof UserAppSchema>;

export const UserSchema = z.object({
  id: z.string(),
  app: UserAppSchema,
  roles: z.array(RoleSchema),
  createdAt: z.string(),
  lastLoginAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: UserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** The code a getPhoneNumber button gives (手机号快速验证), exchanged on the server for the number. */
export const PhoneCodeRequestSchema = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, '缺少手机号授权凭证')
      .max(128, '手机号授权凭证过长')
      .regex(/^[\w-]+$/, '手机号授权凭证格式错误'),
  })
  .strict();

/** The number WeChat verified, as its owner's phone shows it: masked (the full number stays on the server). */
export const VerifiedPhoneSchema = z.object({ masked: z.string(), verifiedAt: z.string() });
export type VerifiedPhone = z.infer<typeof VerifiedPhoneSchema>;
