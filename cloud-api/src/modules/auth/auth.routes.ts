import { PhoneCodeRequestSchema, WeChatLoginRequestSchema } from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import type { AppDeps } from '../../deps';
import { getUser, loginWithWeChat, verifyPhoneNumber } from './auth.service';

export function authRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/auth/wechat',
      access: 'public',
      summary: 'Sign in with a wx.login code (code2Session); answers the user and a token',
      limit: 'signIn',
      body: WeChatLoginRequestSchema,
      handler: ({ body }) =>
        loginWithWeChat(
          { db: deps.db, wechat: deps.wechat, tokens: deps.tokens, wechatApps: deps.config.wechat.apps },
          body.app,
          body.code,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/me',
      access: 'signed-in',
      summary: 'The signed-in user',
      handler: ({ caller }) => getUser(deps.db, caller.userId),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/me/phone-number',
      access: ['diner', 'parent', 'operator'],
      summary: "The phone number WeChat verified (a getPhoneNumber button's code → phonenumber.getPhoneNumber)",
      limit: 'phoneVerification',
      body: PhoneCodeRequestSchema,
      handler: ({ body, caller }) => verifyPhoneNumber(deps, caller.userId, body.code),
    }),
  ];
}
