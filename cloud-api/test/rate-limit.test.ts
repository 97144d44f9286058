import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { createApp } from '../src/app';
import { complaintModel } from '../src/modules/complaints/complaint.model';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from '../src/http/rate-limit';
import { signIn, startTestApi, type TestApi } from './helpers';
import { createShop, key } from './shops';

/** Redis of the machine (CI's machine runs one); RATE_LIMIT_TEST_REDIS_URL points elsewhere. */
const REDIS_URL = process.env.RATE_LIMIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const TIGHT = JSON.stringify({
  publicWrite: { perUser: { points: 3, seconds: 60 }, perClient: { points: 4, seconds: 60 } },
  signIn: { perIp: { points: 30, seconds: 60 } },
});

describe('abuse limits', () => {
  let api: TestApi;
  let shopId: string;
  const complaint = () => ({
    idempotencyKey: key(),
    type: 'report',
    establishmentId: shopId,
    category: 'unlicensed',
    description: '门口支摊卖熟食，没有看到许可证。',
    location: { lng: 120.1551, lat: 30.2741 },
    anonymous: true,
  });

  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMITS: TIGHT });
    shopId = (await createShop(api, { name: '限流餐馆' })).id;
  });
  afterAll(() => api.close());

  it('when a user files more than the limit, then 429 RATE_LIMITED with a Chinese message and Retry-After, and nothing more is stored', async () => {
    const user = await signIn(api, 'public', `flood-${key()}`);
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(await api.http.post('/api/v1/complaints').set(auth(user.token)).send(complaint()));
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429, 429]);
    const refused = answers[3];
    expect(refused?.body.error).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^操作过于频繁，请 \d+ 秒后再试$/),
    });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(await complaintModel(api.db).countDocuments({ establishmentId: shopId })).toBe(3);
    // Another person is not held back by it.
    const other = await signIn(api, 'public', `calm-${key()}`);
    expect((await api.http.post('/api/v1/complaints').set(auth(other.token)).send(complaint())).status).toBe(201);
  });

  it('counts per install too: new accounts from one install share its limit', async () => {
    const install = randomBytes(12).toString('hex');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const user = await signIn(api, 'public', `sock-${key()}`);
      const res = await api.http
        .post('/api/v1/complaints')
        .set({ ...auth(user.token), 'X-Client-Id': install })
        .send(complaint());
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('limits sign-in by address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) {
      const code = await api.wechat.loginCode('public', `ip-${i}-${key()}`);
      statuses.push((await api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' })).status);
    }
    // Earlier sign-ins of this file count too: the 31st and later are refused.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.indexOf(429)).toBeGreaterThan(0);
    expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
  });

  it('the defaults leave room for real use: a day of photos and a few complaints per person', () => {
    expect(DEFAULT_RATE_LIMITS.upload.perUser?.points).toBeGreaterThanOrEqual(60);
    expect(DEFAULT_RATE_LIMITS.publicWrite.perUser?.points).toBeGreaterThanOrEqual(10);
  });
});

describe('abuse limits across API instances (shared Redis)', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
    } catch (err) {
      throw new Error(
        `these tests need a Redis at ${REDIS_URL} (the machine's; set RATE_LIMIT_TEST_REDIS_URL): ${String(err)}`,
      );
    }
  });
  afterAll(() => redis.quit());

  it('when two instances share a Redis, then a user who reached the limit on one is refused by the other', async () => {
    const api = await startTestApi({ RATE_LIMITS: TIGHT, RATE_LIMIT_REDIS_URL: REDIS_URL });
    // A second instance of the API on the same database and Redis, with counts under a prefix of this run.
    const prefix = `ygsa-test-${randomBytes(6).toString('hex')}`;
    const limits = JSON.parse(TIGHT) as typeof DEFAULT_RATE_LIMITS;
    const merged = { ...DEFAULT_RATE_LIMITS, ...limits };
    const one = createRateLimiter(merged, REDIS_URL, prefix);
    const two = createRateLimiter(merged, REDIS_URL, prefix);
    const instance = (limiter: typeof one) =>
      supertest(createApp({ config: api.config, db: api.db, logger: pino({ level: 'silent' }), limiter }).callback());
    try {
      const shopId = (await createShop(api, { name: '双实例餐馆' })).id;
      const user = await signIn(api, 'public', `two-${key()}`);
      const body = () => ({
        idempotencyKey: key(),
        type: 'report',
        establishmentId: shopId,
        category: 'other',
        description: '后厨排风扇油污滴落在操作台上。',
        location: { lng: 120.1551, lat: 30.2741 },
        anonymous: true,
      });
      const post = (http: ReturnType<typeof instance>) =>
        http.post('/api/v1/complaints').set(auth(user.token)).send(body());
      const a = instance(one);
      const b = instance(two);
      const statuses = [(await post(a)).status, (await post(b)).status, (await post(a)).status, (await post(b)).status];
      expect(statuses).toEqual([201, 201, 201, 429]);
      expect(await redis.keys(`${prefix}:rl:publicWrite:perUser:*`)).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
      await api.close();
    }
  });
});
