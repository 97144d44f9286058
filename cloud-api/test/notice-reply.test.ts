import { startTestApi, signIn, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';
import { PNG, auth, ownerOf } from './enforcement-helpers';
import { noticeModel } from '../src/modules/enforcement/enforcement.models';

describe('a 整改回复 under review can be edited and withdrawn by the shop, and only then', () => {
  let api: TestApi;
  let shopId: string;
  let owner: string;
  let officer: string;
  let stranger: string;
  let otherOwner: string;
  let noticeId: string;
  let photos: string[];
  const url = () => `/api/v1/operator/shops/${shopId}/notices/${noticeId}`;
  const upload = async (token: string) =>
    (await api.http.post('/api/v1/uploads').set(auth(token)).attach('file', PNG, 'p.png').expect(201)).body
      .id as string;
  const newNotice = async () =>
    (
      await api.http
        .post(`/api/v1/regulator/establishments/${shopId}/notices`)
        .set(asRegulator)
        .send({ idempotencyKey: key(), topic: 'inspection', requirement: '清理冷库积水并维修排水口。' })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '回复餐馆' })).id;
    const otherShop = (await createShop(api, { name: '别家餐馆' })).id;
    owner = await ownerOf(api, shopId);
    officer = await ownerOf(api, shopId, 'safety_officer', owner);
    otherOwner = await ownerOf(api, otherShop);
    stranger = (await signIn(api, 'operator', `stranger-${key()}`)).token;
    photos = [await upload(officer), await upload(officer)];
    noticeId = await newNotice();
    const sent = await api.http
      .post(`${url()}/replies`)
      .set(auth(officer))
      .send({ idempotencyKey: key(), text: '已清理积水，排水口已疏通。', photos: [photos[0]] });
    expect(sent.status).toBe(200);
  });
  afterAll(() => api.close());

  it('when the notice is opened after replying, then the live reply is there with its state 待监管审核', async () => {
    const res = await api.http.get(url()).set(auth(owner));
    expect(res.body.status).toBe('replied');
    expect(res.body.replies).toEqual([
      expect.objectContaining({
        text: '已清理积水，排水口已疏通。',
        state: 'in_review',
        stateLabel: '待监管审核',
        editedAt: null,
        withdrawnAt: null,
      }),
    ]);
  });

  it('when someone outside the shop edits or withdraws it, then 403 and nothing changes', async () => {
    const body = { text: '别人改的回复内容', photos: [photos[0]] };
    for (const token of [stranger, otherOwner]) {
      expect((await api.http.put(`${url()}/reply`).set(auth(token)).send(body)).status).toBe(403);
      expect((await api.http.delete(`${url()}/reply`).set(auth(token))).status).toBe(403);
    }
    // Another shop's owner naming this notice under their own shop finds nothing.
    const otherShopId = (await api.http.get('/api/v1/operator/shops').set(auth(otherOwner))).body[0].id;
    const cross = await api.http
      .put(`/api/v1/operator/shops/${otherShopId}/notices/${noticeId}/reply`)
      .set(auth(otherOwner))
      .send(body);
    expect(cross.status).toBe(404);
    expect((await api.http.get(url()).set(auth(owner))).body.replies[0].text).toBe('已清理积水，排水口已疏通。');
  });

  it('when a member edits it, then the text and photos change, it stays in review, and the first wording is kept', async () => {
    const res = await api.http
      .put(`${url()}/reply`)
      .set(auth(owner))
      .send({ text: '已清理积水，更换了排水口盖板。', photos });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('replied');
    expect(res.body.replies).toEqual([
      expect.objectContaining({
        text: '已清理积水，更换了排水口盖板。',
        photos,
        state: 'in_review',
        editedAt: expect.any(String),
      }),
    ]);
    // The first wording stays on the record, and the regulator sees the edit in the timeline.
    const stored = await noticeModel(api.db).findById(noticeId).lean();
    expect(stored?.replies[0]?.versions).toEqual([
      expect.objectContaining({ text: '已清理积水，排水口已疏通。', photos: [photos[0]] }),
    ]);
    const timeline = await api.http.get(`/api/v1/regulator/establishments/${shopId}/timeline`).set(asRegulator);
    expect(timeline.body.map((t: { action: string }) => t.action)).toContain('notice.reply_edited');
    const bad = await api.http.put(`${url()}/reply`).set(auth(owner)).send({ text: '短', photos: [] });
    expect(bad.status).toBe(400);
  });

  it('when a member withdraws it, then the notice waits for a new reply and the withdrawn one is marked', async () => {
    const res = await api.http.delete(`${url()}/reply`).set(auth(officer));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('open');
    expect(res.body.replies[0]).toMatchObject({
      state: 'withdrawn',
      stateLabel: '已撤回',
      withdrawnAt: expect.any(String),
    });
    // Nothing is under review now: neither an edit nor a second withdrawal, and regulators cannot review it.
    expect((await api.http.delete(`${url()}/reply`).set(auth(officer))).status).toBe(409);
    expect(
      (await api.http.put(`${url()}/reply`).set(auth(officer)).send({ text: '再改一次回复', photos })).status,
    ).toBe(409);
    expect(
      (
        await api.http
          .post(`/api/v1/regulator/notices/${noticeId}/review`)
          .set(asRegulator)
          .send({ decision: 'accept' })
      ).status,
    ).toBe(409);
    // A new reply can be sent.
    const again = await api.http
      .post(`${url()}/replies`)
      .set(auth(officer))
      .send({ idempotencyKey: key(), text: '重新整改：冷库地面已做防滑处理。', photos: [photos[1]] });
    expect(again.body.status).toBe('replied');
    expect(again.body.replies.map((r: { state: string }) => r.state)).toEqual(['withdrawn', 'in_review']);
  });

  it('when a regulator has reviewed the reply, then it can no longer be edited or withdrawn', async () => {
    await api.http
      .post(`/api/v1/regulator/notices/${noticeId}/review`)
      .set(asRegulator)
      .send({ decision: 'return', reason: '照片看不清排水口' })
      .expect(200);
    const returned = await api.http.get(url()).set(auth(owner));
    expect(returned.body.replies[1]).toMatchObject({ state: 'returned', stateLabel: '已退回' });
    const edit = await api.http.put(`${url()}/reply`).set(auth(owner)).send({ text: '改一下已退回的回复', photos });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toBe('回复已被退回，请重新提交整改回复');

    await api.http
      .post(`${url()}/replies`)
      .set(auth(owner))
      .send({ idempotencyKey: key(), text: '补拍了排水口的清晰照片。', photos })
      .expect(200);
    await api.http
      .post(`/api/v1/regulator/notices/${noticeId}/review`)
      .set(asRegulator)
      .send({ decision: 'accept' })
      .expect(200);
    const withdraw = await api.http.delete(`${url()}/reply`).set(auth(owner));
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.error.message).toBe('整改已通过审核，回复不能再修改或撤回');
    expect((await api.http.get(url()).set(auth(owner))).body.replies.map((r: { state: string }) => r.state)).toEqual([
      'withdrawn',
      'returned',
      'accepted',
    ]);
  });

  it('when a withdrawn reply follows a returned one, then the notice goes back to 已退回', async () => {
    noticeId = await newNotice();
    await api.http
      .post(`${url()}/replies`)
      .set(auth(owner))
      .send({ idempotencyKey: key(), text: '第一次整改回复内容', photos })
      .expect(200);
    await api.http
      .post(`/api/v1/regulator/notices/${noticeId}/review`)
      .set(asRegulator)
      .send({ decision: 'return', reason: '整改不到位' })
      .expect(200);
    await api.http
      .post(`${url()}/replies`)
      .set(auth(owner))
      .send({ idempotencyKey: key(), text: '第二次整改回复内容', photos })
      .expect(200);
    expect((await api.http.delete(`${url()}/reply`).set(auth(owner))).body.status).toBe('returned');
  });
});
