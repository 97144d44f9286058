import { chinaDate } from '@ygsa/shared';
import { mondayOf } from '../src/modules/selfchecks/selfcheck.service';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

const today = chinaDate(new Date());
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('who files 日管控 and 周排查 follows the roles a shop has', () => {
  let api: TestApi;
  let shopId: string;
  let owner: { token: string };
  let officer: { token: string };

  const daily = (token: string, date = today) =>
    api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(token))
      .send({ idempotencyKey: key(), date, zeroRisk: true });
  const weekly = (token: string) =>
    api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/weekly`)
      .set(auth(token))
      .send({ idempotencyKey: key(), weekStart: mondayOf(today), summary: '本周无问题。', issues: [] });
  const tasks = async (token: string) =>
    (await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(token)).expect(200)).body.tasks as {
      kind: string;
      canSubmit: boolean;
      duty: string;
    }[];

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '夫妻小店' })).id;
    owner = await signIn(api, 'operator', `solo-owner-${key()}`);
    officer = await signIn(api, 'operator', `solo-officer-${key()}`);
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
  });
  afterAll(() => api.close());

  it('when the owner is the only member, then the dashboard says 由店主填报 and lets the owner file every record', async () => {
    expect(await tasks(owner.token)).toEqual([
      expect.objectContaining({ kind: 'daily', canSubmit: true, duty: '由店主填报' }),
      expect.objectContaining({ kind: 'weekly', canSubmit: true, duty: '由店主填报' }),
      expect.objectContaining({ kind: 'monthly', canSubmit: true, duty: '由店主填报' }),
    ]);
  });

  it('when the owner is the only member, then the API accepts the owner’s daily and weekly records', async () => {
    const d = await daily(owner.token, addDaysBack(1));
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ kind: 'daily', role: 'owner', roleLabel: '主要负责人' });
    const w = await weekly(owner.token);
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ kind: 'weekly', role: 'owner' });
  });

  it('when a 安全员 joins, then the duty is theirs: the owner is refused, saying who files it', async () => {
    const staff = await api.http
      .post(`/api/v1/operator/shops/${shopId}/invitations`)
      .set(auth(owner.token))
      .send({ role: 'safety_officer' });
    await api.http.post('/api/v1/operator/bind').set(auth(officer.token)).send({ code: staff.body.code }).expect(200);

    expect(await tasks(owner.token)).toEqual([
      expect.objectContaining({ kind: 'daily', canSubmit: false, duty: '由安全员填报' }),
      expect.objectContaining({ kind: 'weekly', canSubmit: false, duty: '由安全员填报' }),
      expect.objectContaining({ kind: 'monthly', canSubmit: true, duty: '由店主填报' }),
    ]);
    const refused = await daily(owner.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('该记录由安全员填报');
    expect((await tasks(officer.token))[0]).toMatchObject({ kind: 'daily', canSubmit: true });
    const ok = await daily(officer.token);
    expect(ok.status).toBe(201);
    expect(ok.body.role).toBe('safety_officer');
  });
});

function addDaysBack(n: number): string {
  return chinaDate(new Date(Date.now() - n * 24 * 3600 * 1000));
}
