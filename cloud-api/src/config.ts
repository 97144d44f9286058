import { join } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_GRADING_CONFIG,
  DEFAULT_LADDER_CONFIG,
  DEFAULT_RISK_CONFIG,
  GradingConfigSchema,
  MESSAGE_KINDS,
  SUBSCRIBE_MESSAGES,
  templateIdsFrom,
  type MessageKind,
  type MiniApp,
  LadderConfigSchema,
  RiskConfigSchema,
  type GradingConfig,
  type LadderConfig,
  type RiskConfig,
} from '@ygsa/shared';
import { DEFAULT_RATE_LIMITS, RateLimitsSchema, type RateLimits } from './http/rate-limit';

/** The development message-push token (the WeChat stand-in's console uses it); production must set its own. */
export const DEV_PUSH_TOKEN = 'ygsaDevPushToken2026';

const port = (name: string) =>
  z
    .string()
    .regex(/^\d{1,5}$/, `${name} must be a whole number from 0 to 65535`)
    .transform(Number)
    .pipe(z.number().int().min(0, `${name} must be from 0 to 65535`).max(65535, `${name} must be from 0 to 65535`));

const positiveNumber = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${name} must be a number`)
    .transform(Number)
    .pipe(z.number().positive(`${name} must be greater than 0`));

const positiveInt = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().positive(`${name} must be greater than 0`));

/** A JSON object in the environment, merged over the documented defaults and then validated whole. */
function jsonOverride<T extends object>(name: string, schema: z.ZodType<T>, defaults: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be JSON` });
        return z.NEVER;
      }
    })
    .transform((value) => deepMerge(defaults, value))
    .pipe(schema)
    .default(defaults);
}

/** How often each scheduled job runs, in seconds (camera health: CAMERA_HEALTH_INTERVAL_SECONDS). */
export const DEFAULT_JOB_INTERVALS = {
  selfCheckReminders: 300,
  ladderClock: 60,
  mediaCheckRetry: 60,
  gradeRefresh: 600,
  jobRunsCleanup: 3600,
  shopIndexCheck: 86400,
};
const seconds = z.number().positive('job intervals must be positive numbers of seconds');
const JobIntervalsSchema = z
  .object({
    selfCheckReminders: seconds,
    ladderClock: seconds,
    mediaCheckRetry: seconds,
    gradeRefresh: seconds,
    jobRunsCleanup: seconds,
    shopIndexCheck: seconds,
  })
  .strict();
export type JobIntervals = z.infer<typeof JobIntervalsSchema>;

function deepMerge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over === undefined ? base : over;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge((base as Record<string, unknown>)[k], v);
  return out;
}

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port('PORT').default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: z
      .string({ error: 'MONGODB_URI is required (mongodb://host:port/database)' })
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'MONGODB_URI must start with mongodb:// or mongodb+srv://'),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'MONGODB_DB must be 1-63 letters, digits, _ or -')
      .default('ygsa'),
    JWT_SECRET: z.string({ error: 'JWT_SECRET is required' }).min(32, 'JWT_SECRET must be at least 32 characters'),
    JWT_TTL_SECONDS: positiveInt('JWT_TTL_SECONDS').default(7 * 24 * 3600),
    WECHAT_API_BASE: z
      .url({ error: 'WECHAT_API_BASE must be an http(s) URL' })
      .regex(/^https?:\/\//, 'WECHAT_API_BASE must be an http(s) URL')
      .default('https://api.weixin.qq.com'),
    WECHAT_TIMEOUT_MS: positiveInt('WECHAT_TIMEOUT_MS').default(5000),
    /** Which build a subscribe message opens: formal (released), trial or developer. */
    WECHAT_MINIPROGRAM_STATE: z.enum(['formal', 'trial', 'developer']).default('formal'),
    /** The Token set for 消息推送 (message push) in both mini-programs' consoles: 3–32 letters or digits. */
    WECHAT_PUSH_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9]{3,32}$/, 'WECHAT_PUSH_TOKEN must be 3-32 letters or digits')
      .default(DEV_PUSH_TOKEN),
    /** The API's address as WeChat's servers reach it (they fetch photos from it for content checks). */
    API_PUBLIC_URL: z
      .url({ error: 'API_PUBLIC_URL must be an http(s) URL' })
      .regex(/^https?:\/\//, 'API_PUBLIC_URL must be an http(s) URL')
      .default('http://127.0.0.1:3000'),
    WECHAT_PUBLIC_APPID: z
      .string({ error: 'WECHAT_PUBLIC_APPID is required' })
      .regex(/^wx[0-9a-f]{16}$/, 'WECHAT_PUBLIC_APPID must look like wx + 16 hex digits'),
    WECHAT_PUBLIC_SECRET: z
      .string({ error: 'WECHAT_PUBLIC_SECRET is required' })
      .min(16, 'WECHAT_PUBLIC_SECRET is too short'),
    WECHAT_OPERATOR_APPID: z
      .string({ error: 'WECHAT_OPERATOR_APPID is required' })
      .regex(/^wx[0-9a-f]{16}$/, 'WECHAT_OPERATOR_APPID must look like wx + 16 hex digits'),
    WECHAT_OPERATOR_SECRET: z
      .string({ error: 'WECHAT_OPERATOR_SECRET is required' })
      .min(16, 'WECHAT_OPERATOR_SECRET is too short'),
    WECHAT_REGULATOR_APPID: z
      .string({ error: 'WECHAT_REGULATOR_APPID is required' })
      .regex(/^wx[0-9a-f]{16}$/, 'WECHAT_REGULATOR_APPID must look like wx + 16 hex digits'),
    WECHAT_REGULATOR_SECRET: z
      .string({ error: 'WECHAT_REGULATOR_SECRET is required' })
      .min(16, 'WECHAT_REGULATOR_SECRET is too short'),
    SHUTDOWN_GRACE_MS: positiveInt('SHUTDOWN_GRACE_MS').default(10_000),
    QR_SECRET: z.string({ error: 'QR_SECRET is required' }).min(32, 'QR_SECRET must be at least 32 characters'),
    PUBLIC_APP_URL: z
      .url({ error: 'PUBLIC_APP_URL must be an http(s) URL' })
      .regex(/^https?:\/\//, 'PUBLIC_APP_URL must be an http(s) URL')
      .default('http://127.0.0.1:8080/public/'),
    WXACODE_ENV: z.enum(['release', 'trial', 'develop']).default('release'),
    POSTER_FONT_FILE: z.string().default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
    UPLOAD_DIR: z.string().min(1).default('data/uploads'),
    MEDIA_SECRET: z
      .string()
      .min(16, 'MEDIA_SECRET must be at least 16 characters')
      .default('dev-media-secret-change-me'),
    MEDIA_PUBLIC_URL: z
      .url({ error: 'MEDIA_PUBLIC_URL must be an http(s) URL' })
      .regex(/^https?:\/\//, 'MEDIA_PUBLIC_URL must be an http(s) URL')
      .default('http://127.0.0.1:8081'),
    MEDIA_CALLBACK_TOKEN: z
      .string()
      .min(16, 'MEDIA_CALLBACK_TOKEN must be at least 16 characters')
      .default('dev-media-callback-token'),
    LIVE_URL_TTL_SECONDS: positiveInt('LIVE_URL_TTL_SECONDS').default(600),
    /** nginx-rtmp's on_update interval; a publishing camera silent for three of these is offline. */
    CAMERA_HEARTBEAT_SECONDS: positiveInt('CAMERA_HEARTBEAT_SECONDS').default(30),
    /** A camera offline this long during opening hours raises an alert for the shop. */
    CAMERA_ALERT_MINUTES: positiveNumber('CAMERA_ALERT_MINUTES').default(10),
    /** An alert still open this long becomes a rectification reminder. */
    CAMERA_RECTIFY_MINUTES: positiveNumber('CAMERA_RECTIFY_MINUTES').default(120),
    /** How often the camera-health job runs. */
    CAMERA_HEALTH_INTERVAL_SECONDS: positiveInt('CAMERA_HEALTH_INTERVAL_SECONDS').default(60),
    /** Kitchen recordings are kept this many days; the rules ask for at least 7. */
    RECORDING_RETENTION_DAYS: positiveInt('RECORDING_RETENTION_DAYS')
      .pipe(z.number().min(7, 'RECORDING_RETENTION_DAYS must be at least 7 (recordings are kept ≥ 7 days)'))
      .default(7),
    DISTRICTS_GEOJSON: z
      .string()
      .min(1)
      .default(join(__dirname, '..', 'config', 'districts.geojson')),
    DEFAULT_OFFICE: z.string().min(2).default('市市场监督管理局投诉举报中心'),
    /** The authority named on non-contact enforcement documents. */
    ENFORCEMENT_OFFICE: z.string().min(2).max(60).default('市市场监督管理局'),
    // One template id per subscribe-message kind (shared/src/subscribe.ts names the variables).
    ...Object.fromEntries(
      MESSAGE_KINDS.map((k) => [
        SUBSCRIBE_MESSAGES[k].env,
        z
          .string()
          .regex(/^[\w-]{1,128}$/, `${SUBSCRIBE_MESSAGES[k].env} must be a template id`)
          .optional(),
      ]),
    ),
    REMINDER_HOUR: z
      .string()
      .regex(/^\d{1,2}$/, 'REMINDER_HOUR must be an hour from 0 to 23')
      .transform(Number)
      .pipe(z.number().int().min(0).max(23, 'REMINDER_HOUR must be an hour from 0 to 23'))
      .default(16),
    GRADING_CONFIG: jsonOverride('GRADING_CONFIG', GradingConfigSchema, DEFAULT_GRADING_CONFIG),
    RISK_CONFIG: jsonOverride('RISK_CONFIG', RiskConfigSchema, DEFAULT_RISK_CONFIG),
    LADDER_CONFIG: jsonOverride('LADDER_CONFIG', LadderConfigSchema, DEFAULT_LADDER_CONFIG),
    /** Scheduled jobs' intervals in seconds (src/jobs): JSON merged over DEFAULT_JOB_INTERVALS. */
    JOB_INTERVALS: jsonOverride('JOB_INTERVALS', JobIntervalsSchema, DEFAULT_JOB_INTERVALS),
    /** Abuse limits: JSON merged over the defaults of src/http/rate-limit.ts. */
    RATE_LIMITS: jsonOverride('RATE_LIMITS', RateLimitsSchema, DEFAULT_RATE_LIMITS),
    /** A Redis shared by several API instances for the limits' counts; memory of one instance when unset. */
    RATE_LIMIT_REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'RATE_LIMIT_REDIS_URL must start with redis:// or rediss://')
      .optional(),
    /** Behind a reverse proxy: take the client's address from X-Forwarded-For (set only if the proxy sets it). */
    TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    /** AI boxes' signed requests older or newer than this are refused (replays). */
    AI_REPLAY_WINDOW_SECONDS: positiveInt('AI_REPLAY_WINDOW_SECONDS').default(300),
  })
  .superRefine((env, ctx) => {
    // Production must always talk to real WeChat over TLS; the fake server is for dev and test only.
    if (
      env.NODE_ENV === 'production' &&
      (env.MEDIA_SECRET.startsWith('dev-') || env.MEDIA_CALLBACK_TOKEN.startsWith('dev-'))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEDIA_SECRET'],
        message: 'MEDIA_SECRET and MEDIA_CALLBACK_TOKEN must be set in production',
      });
    }
    if (env.NODE_ENV === 'production' && env.WECHAT_PUSH_TOKEN === DEV_PUSH_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_PUSH_TOKEN'],
        message: 'WECHAT_PUSH_TOKEN must be set in production',
      });
    }
    if (env.NODE_ENV === 'production' && !env.API_PUBLIC_URL.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_PUBLIC_URL'],
        message: 'API_PUBLIC_URL must be https:// in production',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const k of MESSAGE_KINDS) {
        const name = SUBSCRIBE_MESSAGES[k].env;
        if (!(env as Record<string, unknown>)[name])
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} must be set in production` });
      }
    }
    if (env.NODE_ENV === 'production' && !env.WECHAT_API_BASE.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_API_BASE'],
        message: 'WECHAT_API_BASE must be https:// in production',
      });
    }
  });

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  mongodb: { uri: string; dbName: string };
  jwt: { secret: string; ttlSeconds: number };
  wechat: {
    apiBase: string;
    timeoutMs: number;
    apps: Record<MiniApp, WeChatAppCredentials>;
    miniprogramState: 'formal' | 'trial' | 'developer';
    pushToken: string;
    /** Subscribe-message template id of each kind. */
    templates: Record<MessageKind, string>;
  };
  /** The API's address as WeChat's servers reach it. */
  publicApiUrl: string;
  shutdownGraceMs: number;
  qr: { secret: string; publicAppUrl: string; wxacodeEnv: 'release' | 'trial' | 'develop'; posterFontFile: string };
  grading: GradingConfig;
  risk: RiskConfig;
  ladder: LadderConfig;
  enforcementOffice: string;
  ai: { replayWindowSeconds: number };
  rateLimits: { limits: RateLimits; redisUrl?: string };
  trustProxy: boolean;
  uploadDir: string;
  complaints: { districtsFile: string; defaultOffice: string };
  media: { secret: string; publicUrl: string; callbackToken: string; urlTtlSeconds: number; retentionDays: number };
  cameraHealth: {
    heartbeatSeconds: number;
    alertMinutes: number;
    rectifyMinutes: number;
    intervalSeconds: number;
  };
  reminders: { hour: number };
  jobs: { intervalsSeconds: JobIntervals };
}

export interface WeChatAppCredentials {
  appid: string;
  secret: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; throws ConfigError with a one-line explanation of every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as a shell's `FOO= cmd` means.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const got = key && key in cleaned && !/SECRET/.test(key) ? ` (got "${String(cleaned[key])}")` : '';
      return `${issue.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    mongodb: { uri: e.MONGODB_URI, dbName: e.MONGODB_DB },
    jwt: { secret: e.JWT_SECRET, ttlSeconds: e.JWT_TTL_SECONDS },
    wechat: {
      apiBase: e.WECHAT_API_BASE.replace(/\/+$/, ''),
      timeoutMs: e.WECHAT_TIMEOUT_MS,
      apps: {
        public: { appid: e.WECHAT_PUBLIC_APPID, secret: e.WECHAT_PUBLIC_SECRET },
        operator: { appid: e.WECHAT_OPERATOR_APPID, secret: e.WECHAT_OPERATOR_SECRET },
        regulator: { appid: e.WECHAT_REGULATOR_APPID, secret: e.WECHAT_REGULATOR_SECRET },
      },
      miniprogramState: e.WECHAT_MINIPROGRAM_STATE,
      pushToken: e.WECHAT_PUSH_TOKEN,
      templates: templateIdsFrom(e as unknown as Record<string, string | undefined>) as Record<MessageKind, string>,
    },
    publicApiUrl: e.API_PUBLIC_URL.replace(/\/+$/, ''),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    qr: {
      secret: e.QR_SECRET,
      publicAppUrl: e.PUBLIC_APP_URL,
      wxacodeEnv: e.WXACODE_ENV,
      posterFontFile: e.POSTER_FONT_FILE,
    },
    grading: e.GRADING_CONFIG,
    risk: e.RISK_CONFIG,
    ladder: e.LADDER_CONFIG,
    enforcementOffice: e.ENFORCEMENT_OFFICE,
    ai: { replayWindowSeconds: e.AI_REPLAY_WINDOW_SECONDS },
    rateLimits: { limits: e.RATE_LIMITS, ...(e.RATE_LIMIT_REDIS_URL ? { redisUrl: e.RATE_LIMIT_REDIS_URL } : {}) },
    trustProxy: e.TRUST_PROXY === 'true',
    uploadDir: e.UPLOAD_DIR,
    complaints: { districtsFile: e.DISTRICTS_GEOJSON, defaultOffice: e.DEFAULT_OFFICE },
    media: {
      secret: e.MEDIA_SECRET,
      publicUrl: e.MEDIA_PUBLIC_URL.replace(/\/+$/, ''),
      callbackToken: e.MEDIA_CALLBACK_TOKEN,
      urlTtlSeconds: e.LIVE_URL_TTL_SECONDS,
      retentionDays: e.RECORDING_RETENTION_DAYS,
    },
    cameraHealth: {
      heartbeatSeconds: e.CAMERA_HEARTBEAT_SECONDS,
      alertMinutes: e.CAMERA_ALERT_MINUTES,
      rectifyMinutes: e.CAMERA_RECTIFY_MINUTES,
      intervalSeconds: e.CAMERA_HEALTH_INTERVAL_SECONDS,
    },
    reminders: { hour: e.REMINDER_HOUR },
    jobs: { intervalsSeconds: e.JOB_INTERVALS },
  };
}
