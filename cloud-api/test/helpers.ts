import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import supertest from 'supertest';
import type { MiniApp } from '@ygsa/shared';
import { createApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { connectDatabase } from '../src/db';

/** The dev appids the fake WeChat server knows (scripts/lib/dev-config.mjs). */
export const TEST_APPS = {
  public: { appid: 'wx5067a1c0de000001', secret: 'dev-public-secret-not-for-production' },
  operator: { appid: 'wx5067a1c0de000002', secret: 'dev-operator-secret-not-for-production' },
} as const;

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const TEST_QR_SECRET = 'test-qr-secret-that-is-long-enough-9876543210';

/** The environment of a test API: the run's database and fake WeChat, with a database per file. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const mongodbUri = process.env.YG_TEST_MONGODB_URI;
  const wechatUrl = process.env.YG_TEST_WECHAT_URL;
  if (!mongodbUri || !wechatUrl) throw new Error('run API tests through jest (globalSetup starts the database)');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri,
    MONGODB_DB: `t_${randomBytes(6).toString('hex')}`,
    JWT_SECRET: TEST_JWT_SECRET,
    QR_SECRET: TEST_QR_SECRET,
    UPLOAD_DIR: join(tmpdir(), 'ygsa-test-uploads'),
    WECHAT_API_BASE: wechatUrl,
    WECHAT_PUBLIC_APPID: TEST_APPS.public.appid,
    WECHAT_PUBLIC_SECRET: TEST_APPS.public.secret,
    WECHAT_OPERATOR_APPID: TEST_APPS.operator.appid,
    WECHAT_OPERATOR_SECRET: TEST_APPS.operator.secret,
    ...overrides,
  };
}

export interface TestApi {
  config: Config;
  db: Awaited<ReturnType<typeof connectDatabase>>;
  http: ReturnType<typeof supertest>;
  close(): Promise<void>;
}

/** createApp() on a fresh database of its own; close() drops it. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig(testEnv(overrides));
  const db = await connectDatabase(config.mongodb);
  const app = createApp({ config, db, logger: pino({ level: 'silent' }) });
  return {
    config,
    db,
    http: supertest(app.callback()),
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

/** What wx.login gives a phone: a one-time code from the fake WeChat server for a simulated user. */
export async function wechatCode(app: MiniApp, user: string): Promise<string> {
  const res = await fetch(`${process.env.YG_TEST_WECHAT_URL}/__fake__/login`, {
    method: 'POST',
    body: JSON.stringify({ appid: TEST_APPS[app].appid, user }),
  });
  const body = (await res.json()) as { code?: string };
  if (!body.code) throw new Error(`fake WeChat gave no code: ${JSON.stringify(body)}`);
  return body.code;
}

/** Signs in through the API as a user of a mini-program; returns the token and user. */
export async function signIn(api: TestApi, app: MiniApp, user: string) {
  const res = await api.http.post('/api/v1/auth/wechat').send({ code: await wechatCode(app, user), app });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; user: { id: string; roles: string[] } };
}
