import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe("the shop's reply beside its grade: shown, edited, withdrawn", () => {
  let api: TestApi;
  let shopId: string;
  let owner: { token: string };
  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '回复餐馆' })).id;
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    owner = await signIn(api, 'operator', `grade-reply-owner-${key()}`);
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
  });
  afterAll(() => api.close());

  const path = () => `/api/v1/operator/establishments/${shopId}/reply`;
  const publicReply = async () => (await api.http.get(`/api/v1/public/shops/${shopId}`)).body.reply;

  it('when the reply page opens, then it shows the reply that is live, with whether diners see it', async () => {
    expect((await api.http.get(path()).set(auth(owner.token)).expect(200)).body).toEqual({ reply: null });
    await api.http.put(path()).set(auth(owner.token)).send({ text: '感谢监督，已完成整改。' }).expect(200);
    const shown = await api.http.get(path()).set(auth(owner.token)).expect(200);
    expect(shown.body.reply).toMatchObject({ text: '感谢监督，已完成整改。', state: 'published' });

    // A reply WeChat sends to a person is shown to the shop as under review, not to diners.
    await api.http.put(path()).set(auth(owner.token)).send({ text: '关注公众号加微信领红包' }).expect(200);
    const review = await api.http.get(path()).set(auth(owner.token)).expect(200);
    expect(review.body.reply).toMatchObject({ text: '关注公众号加微信领红包', state: 'in_review' });
    expect(await publicReply()).toBeNull();
  });

  it('when the reply is edited and then withdrawn, then diners see the edit, then nothing; every version is kept', async () => {
    await api.http.put(path()).set(auth(owner.token)).send({ text: '已更换冷藏柜。' }).expect(200);
    await api.http.put(path()).set(auth(owner.token)).send({ text: '已更换冷藏柜并每日记录温度。' }).expect(200);
    expect(await publicReply()).toMatchObject({ text: '已更换冷藏柜并每日记录温度。' });

    const gone = await api.http.delete(path()).set(auth(owner.token)).expect(200);
    expect(gone.body).toEqual({ reply: null });
    expect(await publicReply()).toBeNull();
    expect((await api.http.get(path()).set(auth(owner.token)).expect(200)).body).toEqual({ reply: null });
    // Withdrawing again changes nothing.
    await api.http.delete(path()).set(auth(owner.token)).expect(200);

    const stored = (await establishmentModel(api.db).findById(shopId).lean())!;
    expect(stored.replyHistory?.map((r) => [r.text, r.ended])).toEqual([
      ['感谢监督，已完成整改。', 'replaced'],
      ['关注公众号加微信领红包', 'replaced'],
      ['已更换冷藏柜。', 'replaced'],
      ['已更换冷藏柜并每日记录温度。', 'withdrawn'],
    ]);
  });

  it('when someone outside the shop reads, edits or withdraws its reply, then 403 and nothing changes', async () => {
    await api.http.put(path()).set(auth(owner.token)).send({ text: '欢迎再次光临。' }).expect(200);
    const stranger = await signIn(api, 'operator', `grade-reply-stranger-${key()}`);
    for (const call of [
      api.http.get(path()),
      api.http.put(path()).send({ text: '冒充店家的回复' }),
      api.http.delete(path()),
    ]) {
      const res = await call.set(auth(stranger.token));
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect(await publicReply()).toMatchObject({ text: '欢迎再次光临。' });
  });
});
