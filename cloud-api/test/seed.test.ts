import { userModel } from '../src/modules/auth/user.model';
import { seedDemoData } from '../src/seed/demo-seed';
import { startTestApi, type TestApi } from './helpers';

describe('demo seed', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when run twice, then each step is applied once and nothing is duplicated', async () => {
    const first = await seedDemoData(api.db);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await seedDemoData(api.db);
    expect(second.applied).toEqual([]);
    expect(second.skipped.length).toBe(first.applied.length);
    expect(await userModel(api.db).countDocuments({ username: 'demo-regulator', roles: 'regulator' })).toBe(1);
  });
});

describe('user identity indexes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await userModel(api.db).init();
  });
  afterAll(() => api.close());

  it('when two console accounts exist (no WeChat identity), then they do not collide, but a repeated WeChat identity does', async () => {
    const Users = userModel(api.db);
    const now = new Date();
    await Users.create({ app: 'console', username: 'r1', roles: ['regulator'], createdAt: now, lastLoginAt: now });
    await Users.create({ app: 'console', username: 'r2', roles: ['regulator'], createdAt: now, lastLoginAt: now });
    const wx = {
      app: 'public',
      appid: 'wx5067a1c0de000001',
      openid: 'o1',
      roles: ['diner'],
      createdAt: now,
      lastLoginAt: now,
    };
    await Users.create(wx);
    await expect(Users.create(wx)).rejects.toMatchObject({ code: 11000 });
    await expect(
      Users.create({ app: 'console', username: 'r1', roles: ['regulator'], createdAt: now, lastLoginAt: now }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
