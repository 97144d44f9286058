import jwt from 'jsonwebtoken';
import { RoleSchema, type Role } from '@ygsa/shared';
import { z } from 'zod';
import { AppError } from './app-error';
import type { Caller } from './context';

const ISSUER = 'ygsa';
const ClaimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(RoleSchema).min(1),
});

export interface TokenSigner {
  sign(userId: string, roles: Role[]): { token: string; expiresAt: Date };
  verify(token: string): Caller;
}

export function createTokenSigner(options: { secret: string; ttlSeconds: number }): TokenSigner {
  return {
    sign(userId, roles) {
      const token = jwt.sign({ roles }, options.secret, {
        algorithm: 'HS256',
        subject: userId,
        issuer: ISSUER,
        expiresIn: options.ttlSeconds,
      });
      const { exp } = jwt.decode(token) as { exp: number };
      return { token, expiresAt: new Date(exp * 1000) };
    },
    verify(token) {
      let payload: unknown;
      try {
        payload = jwt.verify(token, options.secret, { algorithms: ['HS256'], issuer: ISSUER });
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED');
        throw new AppError('UNAUTHENTICATED', { message: '登录凭证无效，请重新登录' });
      }
      const claims = ClaimsSchema.safeParse(payload);
      if (!claims.success) throw new AppError('UNAUTHENTICATED', { message: '登录凭证无效，请重新登录' });
      return { userId: claims.data.sub, roles: claims.data.roles };
    },
  };
}
