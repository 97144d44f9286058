import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import supertest from 'supertest';
import type { MiniApp } from '@ygsa/shared';
import { createApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { connectDatabase } from '../src/db';
import { ensureIndexes } from '../src/data/models';
import { createRateLimiter } from '../src/http/rate-limit';
import { startStandIn, type FakeOptions, type StandIn } from './wechat-stand-in';
import { ensureRegulatorAccount } from '../src/modules/regulators/regulator.service';

/** The user of the tests' regulator token (`asRegulator`): a city administrator in every test API. */
export const TEST_REGULATOR_ID = '65a000000000000000000001';

/** The dev appids the fake WeChat server knows (scripts/lib/wechat-console.cjs). */
export const TEST_APPS = {
  public: { appid: 'wx5067a1c0de000001', secret: 'dev-public-secret-not-for-production' },
  operator: { appid: 'wx5067a1c0de000002', secret: 'dev-operator-secret-not-for-production' },
  regulator: { appid: 'wx5067a1c0de000003', secret: 'dev-regulator-secret-not-for-production' },
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
    WECHAT_REGULATOR_APPID: TEST_APPS.regulator.appid,
    WECHAT_REGULATOR_SECRET: TEST_APPS.regulator.secret,
    ...overrides,
  };
}

export interface TestApi {
  config: Config;
  db: Awaited<ReturnType<typeof connectDatabase>>;
  http: ReturnType<typeof supertest>;
  /** This API's own WeChat stand-in (its console pushes to this API). */
  wechat: StandIn;
  /** Where the API listens (WeChat's stand-in fetches photos and pushes verdicts here). */
  url: string;
  /** Stops its server and stand-in, then drops its database (`database: false`: the database is gone). */
  close(options?: { database?: boolean }): Promise<void>;
}

/**
 * createApp() on a fresh database of its own, listening on a free port, with a WeChat stand-in of
 * its own whose message push reaches it; close() drops the database.
 */
export async function startTestApi(
  overrides: Record<string, string> = {},
  wechatOptions: FakeOptions = {},
): Promise<TestApi> {
  const wechat = await startStandIn(wechatOptions);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const config = loadConfig(testEnv({ WECHAT_API_BASE: wechat.url, API_PUBLIC_URL: url, ...overrides }));
  const db = await connectDatabase(config.mongodb);
  // YG_TEST_LOG=error (or debug…) shows the API's log of a test run on stderr.
  const limiter = createRateLimiter(config.rateLimits.limits, config.rateLimits.redisUrl);
  const app = createApp({
    config,
    db,
    logger: pino({ level: process.env.YG_TEST_LOG ?? 'silent' }, process.stderr),
    limiter,
    // Every answer of every API test is parsed with its route's declared shared schema.
    checkAnswers: true,
  });
  await ensureIndexes(db);
  // The regulator of `asRegulator` (shops.ts) administers the whole city.
  await ensureRegulatorAccount(db, TEST_REGULATOR_ID, { name: '测试管理员', role: 'city_admin' });
  server.on('request', app.callback());
  for (const a of ['public', 'operator'] as const)
    wechat.fake.setPushUrl(wechat.appid(a), `${url}/api/v1/wechat/push/${a}`);
  return {
    config,
    db,
    http: supertest(app.callback()),
    wechat,
    url,
    async close(options = {}) {
      await new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      });
      await wechat.fake.close();
      await limiter.close();
      if (options.database !== false) await db.dropDatabase().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}

/** Signs in through the API as a user of a mini-program; returns the token and user. */
export async function signIn(api: TestApi, app: MiniApp, user: string) {
  const res = await api.http.post('/api/v1/auth/wechat').send({ code: await api.wechat.loginCode(app, user), app });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; user: { id: string; roles: string[] } };
}
