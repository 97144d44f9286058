import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { AppError } from './app-error';

/**
 * Abuse limits on public writes and sign-in, by rate-limiter-flexible: counted per user (the
 * token's subject), per client install (the X-Client-Id the apps send) and per IP address. One API
 * instance counts in memory; several share a Redis (RATE_LIMIT_REDIS_URL), so a limit holds across
 * instances. Per-IP limits are generous on purpose: a school's Wi-Fi or a carrier's NAT puts
 * thousands of phones behind one address; the per-user and per-client limits do the real work.
 */
export const LIMIT_KINDS = ['signIn', 'publicWrite', 'upload', 'phoneVerification'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const Window = z.object({ points: z.number().int().positive(), seconds: z.number().int().positive() }).strict();
const Dimensions = z
  .object({ perUser: Window.optional(), perClient: Window.optional(), perIp: Window.optional() })
  .strict();
export const RateLimitsSchema = z
  .object({
    signIn: Dimensions,
    publicWrite: Dimensions,
    upload: Dimensions,
    phoneVerification: Dimensions,
  })
  .strict();
export type RateLimits = z.infer<typeof RateLimitsSchema>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  // wx.login codes are exchanged once per session; a client signing in again and again is scripted.
  signIn: { perClient: { points: 20, seconds: 600 }, perIp: { points: 600, seconds: 60 } },
  // Complaints, reports, joins, committee joins: a person files a handful a day at most.
  publicWrite: {
    perUser: { points: 20, seconds: 3600 },
    perClient: { points: 20, seconds: 3600 },
    perIp: { points: 600, seconds: 600 },
  },
  // Photos: nine per complaint, more for a day of self-checks.
  upload: { perUser: { points: 120, seconds: 600 }, perIp: { points: 1200, seconds: 600 } },
  // 手机号快速验证 is paid per call by the account: a few tries an hour.
  phoneVerification: { perUser: { points: 5, seconds: 3600 } },
};

export interface Who {
  userId?: string;
  clientId?: string;
  ip: string;
}

export interface RateLimiter {
  /** Takes one point of each of the kind's limits for this caller, or throws RATE_LIMITED. */
  consume(kind: LimitKind, who: Who): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the limiters. With a Redis URL they share its counts; should Redis be unreachable, each
 * instance falls back to counting in its own memory (rate-limiter-flexible's insurance limiter)
 * rather than refusing everyone or letting everyone through.
 */
export function createRateLimiter(limits: RateLimits, redisUrl?: string, prefix = 'ygsa'): RateLimiter {
  const redis = redisUrl
    ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  // Without this listener ioredis reports a lost connection as an uncaught error.
  redis?.on('error', () => undefined);
  const limiters = new Map<string, RateLimiterAbstract>();
  for (const kind of LIMIT_KINDS) {
    for (const [dim, w] of Object.entries(limits[kind])) {
      if (!w) continue;
      const keyPrefix = `${prefix}:rl:${kind}:${dim}`;
      const memory = new RateLimiterMemory({ keyPrefix, points: w.points, duration: w.seconds });
      limiters.set(
        `${kind}:${dim}`,
        redis
          ? new RateLimiterRedis({
              storeClient: redis,
              keyPrefix,
              points: w.points,
              duration: w.seconds,
              insuranceLimiter: memory,
            })
          : memory,
      );
    }
  }
  const keyOf: Record<string, (w: Who) => string | undefined> = {
    perUser: (w) => w.userId,
    perClient: (w) => w.clientId,
    perIp: (w) => w.ip,
  };

  return {
    async consume(kind, who) {
      for (const dim of ['perUser', 'perClient', 'perIp'] as const) {
        const limiter = limiters.get(`${kind}:${dim}`);
        const key = keyOf[dim]?.(who);
        if (!limiter || !key) continue;
        try {
          await limiter.consume(key);
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
          throw new AppError('RATE_LIMITED', {
            message: `操作过于频繁，请 ${seconds > 90 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`}后再试`,
            retryAfterSeconds: seconds,
          });
        }
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** The install id the apps send (X-Client-Id): a random id kept on the device; anything else is ignored. */
export function clientIdOf(header: string | undefined): string | undefined {
  return header && /^[A-Za-z0-9_-]{16,64}$/.test(header) ? header : undefined;
}
