import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
type Person = { token: string; user: { id: string } };

describe('the owner sees the team and removes a member, whose access ends at once', () => {
  let api: TestApi;
  let shopId: string;
  let ownerCode: string;
  let staffCode: string;
  let owner: Person;
  let officer: Person;
  let director: Person;
  let stranger: Person;

  const bind = (p: Person, code: string) => api.http.post('/api/v1/operator/bind').set(auth(p.token)).send({ code });
  const invite = async (role: string, maxUses = 1) =>
    (
      await api.http
        .post(`/api/v1/operator/shops/${shopId}/invitations`)
        .set(auth(owner.token))
        .send({ role, maxUses })
        .expect(201)
    ).body.code as string;
  const remove = (by: Person, userId: string) =>
    api.http.delete(`/api/v1/operator/shops/${shopId}/members/${userId}`).set(auth(by.token));

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '团队餐馆' })).id;
    const who = (n: string) => signIn(api, 'operator', `team-${n}-${key()}`);
    [owner, officer, director, stranger] = [
      await who('owner'),
      await who('officer'),
      await who('director'),
      await who('x'),
    ];
    ownerCode = (
      await api.http
        .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner', maxUses: 2 })
    ).body.code;
    await bind(owner, ownerCode).expect(200);
    staffCode = await invite('safety_officer', 3);
    await bind(officer, staffCode).expect(200);
    await bind(director, await invite('director')).expect(200);
  });
  afterAll(() => api.close());

  it('when the owner opens the team, then each member shows with role and since when, the owner marked', async () => {
    const res = await api.http.get(`/api/v1/operator/shops/${shopId}/members`).set(auth(owner.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { userId: owner.user.id, role: 'owner', roleLabel: '主要负责人', addedAt: expect.any(String), isMe: true },
      {
        userId: officer.user.id,
        role: 'safety_officer',
        roleLabel: '食品安全员',
        addedAt: expect.any(String),
        isMe: false,
      },
      {
        userId: director.user.id,
        role: 'director',
        roleLabel: '食品安全总监',
        addedAt: expect.any(String),
        isMe: false,
      },
    ]);
  });

  it("when the owner lists codes, then the code the owner joined with is marked as the owner's and used", async () => {
    const res = await api.http.get(`/api/v1/operator/shops/${shopId}/invitations`).set(auth(owner.token));
    const own = res.body.find((c: { code: string }) => c.code === ownerCode);
    expect(own).toMatchObject({ role: 'owner', used: 1, usedByMe: true, remaining: 1 });
    expect(res.body.find((c: { code: string }) => c.code === staffCode)).toMatchObject({ used: 1, usedByMe: false });
  });

  it('when anyone but the owner removes a member, then 403; the owner cannot be removed; an unknown member is 404', async () => {
    expect((await remove(director, officer.user.id)).status).toBe(403);
    expect((await remove(officer, director.user.id)).status).toBe(403);
    expect((await remove(stranger, officer.user.id)).status).toBe(403);
    const self = await remove(owner, owner.user.id);
    expect(self.status).toBe(409);
    expect(self.body.error.message).toBe('主要负责人不能在此移出；变更主要负责人请联系监管部门');
    expect((await remove(owner, stranger.user.id)).status).toBe(404);
  });

  it("when the owner removes the 安全员, then the 安全员's next request with the same token is refused", async () => {
    await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(officer.token)).expect(200);
    const res = await remove(owner, officer.user.id);
    expect(res.status).toBe(200);
    expect(res.body.map((m: { userId: string }) => m.userId)).toEqual([owner.user.id, director.user.id]);
    // The same token, the very next request: no longer a member.
    const after = await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(officer.token));
    expect(after.status).toBe(403);
    expect(after.body.error.message).toBe('您不是该门店的成员');
    expect((await api.http.get(`/api/v1/operator/shops/${shopId}/checklist`).set(auth(officer.token))).status).toBe(
      403,
    );
    const daily = await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(officer.token))
      .send({ idempotencyKey: key(), date: new Date().toISOString().slice(0, 10), zeroRisk: true });
    expect(daily.status).toBe(403);
    expect((await api.http.get('/api/v1/operator/shops').set(auth(officer.token))).body).toEqual([]);
    // Sent again, the removal changes nothing.
    expect((await remove(owner, officer.user.id)).status).toBe(200);
  });

  it('when the removed member tries the code they joined with, then refused; a new code from the owner works', async () => {
    const again = await bind(officer, staffCode);
    expect(again.status).toBe(403);
    expect(again.body.error.message).toBe('您已被移出该门店，请向主要负责人索取新的邀请码');
    await bind(officer, await invite('safety_officer')).expect(200);
    await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(officer.token)).expect(200);
  });
});
