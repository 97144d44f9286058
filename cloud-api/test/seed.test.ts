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
