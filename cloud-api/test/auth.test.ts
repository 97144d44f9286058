import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import { LoginResponseSchema, UserSchema } from '@ygsa/shared';
import { userModel } from '../src/modules/auth/user.model';
import { TEST_JWT_SECRET, signIn, startTestApi, type TestApi } from './helpers';

describe('POST /api/v1/auth/wechat', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when a diner signs in to the public app for the first time, then a user with the diner role and a token are answered', async () => {
    const code = await api.wechat.loginCode('public', 'alice');
    const res = await api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' });
    expect(res.status).toBe(200);
    const body = LoginResponseSchema.parse(res.body);
    expect(body.user.roles).toEqual(['diner']);
    expect(body.user.app).toBe('public');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    // No WeChat secrets leave the API.
    expect(JSON.stringify(res.body)).not.toMatch(/openid|session_key|sessionKey|unionid/);
    const claims = jwt.verify(body.token, TEST_JWT_SECRET) as jwt.JwtPayload;
    expect(claims.sub).toBe(body.user.id);
    expect(claims.roles).toEqual(['diner']);
  });

  it('when the same person signs in again, then it is the same user, with a newer last login', async () => {
    const first = await signIn(api, 'public', 'bob');
    const second = await signIn(api, 'public', 'bob');
    expect(second.user.id).toBe(first.user.id);
    expect(await userModel(api.db).countDocuments({ appid: 'wx5067a1c0de000001' })).toBeGreaterThanOrEqual(1);
  });

  it('when someone signs in to the operator app, then the user has the operator role and is apart from their diner account', async () => {
    const diner = await signIn(api, 'public', 'carol');
    const operator = await signIn(api, 'operator', 'carol');
    expect(operator.user.roles).toEqual(['operator']);
    expect(operator.user.id).not.toBe(diner.user.id);
    const docs = await userModel(api.db)
      .find({ unionid: { $exists: true } })
      .lean();
    const carol = docs.filter((d) => d.unionid === docs.find((x) => String(x._id) === diner.user.id)?.unionid);
    expect(carol).toHaveLength(2); // one person, linked by unionid across the two apps
  });

  it('when a user was made before identities decided ids, then signing in finds that same user by _id once keys are built', async () => {
    const { buildUserKeys } = await import('../src/modules/auth/auth.service');
    const { naturalId } = await import('../src/data/create-once');
    const fresh = await signIn(api, 'public', 'frank');
    const stored = await userModel(api.db).findById(fresh.user.id).lean();
    expect(String(naturalId('users', { appid: stored?.appid, openid: stored?.openid }))).toBe(fresh.user.id);
    // An older user: Gina's identity under an id of its own, made before this version.
    const appid = api.wechat.appid('public');
    const old = await userModel(api.db).create({
      app: 'public',
      appid,
      openid: api.wechat.fake.openidOf(appid, 'gina'),
      roles: ['diner'],
      createdAt: new Date('2025-01-01'),
      lastLoginAt: new Date('2025-01-01'),
    });
    expect(await buildUserKeys(api.db)).toBe(1);
    expect(await buildUserKeys(api.db)).toBe(0);
    const gina = await signIn(api, 'public', 'gina');
    expect(gina.user.id).toBe(String(old._id));
    expect(await userModel(api.db).countDocuments({ openid: api.wechat.fake.openidOf(appid, 'gina') })).toBe(1);
  });

  it('when a code is used twice, then the second sign-in is refused and no user is added', async () => {
    const code = await api.wechat.loginCode('public', 'dave');
    expect((await api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' })).status).toBe(200);
    const before = await userModel(api.db).countDocuments();
    const res = await api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
    expect(await userModel(api.db).countDocuments()).toBe(before);
  });

  it("when a public app's code is presented as the operator app's, then it is refused", async () => {
    const code = await api.wechat.loginCode('public', 'erin');
    const res = await api.http.post('/api/v1/auth/wechat').send({ code, app: 'operator' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('when the code was never issued, then it is refused', async () => {
    const res = await api.http.post('/api/v1/auth/wechat').send({ code: 'made-up-code', app: 'public' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('when the same person signs in for the first time on two requests at once, then one user exists', async () => {
    const codes = await Promise.all([1, 2, 3, 4].map(() => api.wechat.loginCode('public', 'frank')));
    const results = await Promise.all(
      codes.map((code) => api.http.post('/api/v1/auth/wechat').send({ code, app: 'public' })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
  });
});

describe('sign-in when WeChat misbehaves', () => {
  it('when WeChat cannot be reached, then WECHAT_UNAVAILABLE (502) and nothing is stored', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const api = await startTestApi({ WECHAT_API_BASE: `http://127.0.0.1:${port}` });
    try {
      const res = await api.http.post('/api/v1/auth/wechat').send({ code: 'abc', app: 'public' });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
      expect(await userModel(api.db).countDocuments()).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('when our app secret is wrong, then WECHAT_UNAVAILABLE, not a blame on the user', async () => {
    const api = await startTestApi({ WECHAT_PUBLIC_SECRET: 'a-wrong-secret-of-some-length' });
    try {
      const res = await api.http
        .post('/api/v1/auth/wechat')
        .send({ code: await api.wechat.loginCode('public', 'gina'), app: 'public' });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await api.close();
    }
  });
});

describe('GET /api/v1/me', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when signed in, then the user is answered', async () => {
    const { token, user } = await signIn(api, 'public', 'hana');
    const res = await api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(UserSchema.parse(res.body).id).toBe(user.id);
  });

  it('when the token has expired, then TOKEN_EXPIRED', async () => {
    const { user } = await signIn(api, 'public', 'ivan');
    const expired = jwt.sign({ roles: ['diner'] }, TEST_JWT_SECRET, {
      subject: user.id,
      issuer: 'ygsa',
      expiresIn: -10,
    });
    const res = await api.http.get('/api/v1/me').set('Authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    [
      'signed with another secret',
      () => jwt.sign({ roles: ['regulator'] }, 'x'.repeat(40), { subject: 'a', issuer: 'ygsa' }),
    ],
    [
      'with the none algorithm',
      () => jwt.sign({ roles: ['regulator'] }, '', { subject: 'a', issuer: 'ygsa', algorithm: 'none' }),
    ],
    [
      'from another issuer',
      () => jwt.sign({ roles: ['regulator'] }, TEST_JWT_SECRET, { subject: 'a', issuer: 'elsewhere' }),
    ],
    ['with an unknown role', () => jwt.sign({ roles: ['admin'] }, TEST_JWT_SECRET, { subject: 'a', issuer: 'ygsa' })],
    ['that is not a JWT', () => 'garbage'],
  ])('when the token is %s, then UNAUTHENTICATED', async (_name, make) => {
    const res = await api.http.get('/api/v1/me').set('Authorization', `Bearer ${make()}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when the user no longer exists, then NOT_FOUND', async () => {
    const token = jwt.sign({ roles: ['diner'] }, TEST_JWT_SECRET, {
      subject: '0123456789abcdef01234567',
      issuer: 'ygsa',
    });
    const res = await api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
  });
});
