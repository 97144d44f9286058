import { createHash } from 'node:crypto';
import { OnsiteInspectionSchema, checklistFor, type OnsiteInspection } from '@ygsa/shared';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, bindRegulator, createShop, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
/** A 1×1 PNG (the signature images and photos are uploads like any other). */
const png = (seed: number) =>
  Buffer.concat([
    Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
        '0d0a2db40000000049454e44ae426082',
      'hex',
    ),
    Buffer.from([seed]),
  ]);

describe('现场监督检查: checklist, record, signatures, and what it changes', () => {
  let api: TestApi;
  let shop: { id: string; name: string };
  let a: { id: string; token: string; name: string };
  let b: { id: string; token: string; name: string };
  /** Of the same district, not on this inspection; and of another district. */
  let c: { id: string; token: string };
  let outsider: { id: string; token: string };
  let inspection: OnsiteInspection;

  const upload = async (token: string, seed: number) =>
    (await api.http.post('/api/v1/uploads').set(auth(token)).attach('file', png(seed), 'p.png')).body.id as string;
  const url = () => `/api/v1/regulator/onsite-inspections/${inspection.id}`;

  beforeAll(async () => {
    api = await startTestApi();
    shop = await createShop(api, { name: '检查区餐馆', district: '检查区', businessType: 'restaurant' });
    a = await bindRegulator(api, { name: '周检查', districts: ['检查区'], certificateNo: 'ZJ-3301-0101' });
    b = await bindRegulator(api, { name: '吴检查', districts: ['检查区'], certificateNo: 'ZJ-3301-0102' });
    c = await bindRegulator(api, { name: '郑检查', districts: ['检查区'] });
    outsider = await bindRegulator(api, { name: '王检查', districts: ['示范区'] });
  });
  afterAll(() => api.close());

  it('when an inspector starts an inspection with a colleague of the district, then a draft with the shop’s checklist exists once', async () => {
    const body = { idempotencyKey: key(), coInspectorId: b.id };
    const res = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/onsite-inspections`)
      .set(auth(a.token))
      .send(body);
    expect(res.status).toBe(201);
    inspection = OnsiteInspectionSchema.parse(res.body);
    expect(inspection).toMatchObject({ state: 'draft', stateLabel: '检查中', shopName: '检查区餐馆' });
    expect(inspection.inspectors.map((i) => [i.name, i.certificateNo])).toEqual([
      ['周检查', 'ZJ-3301-0101'],
      ['吴检查', 'ZJ-3301-0102'],
    ]);
    expect(inspection.items.map((i) => i.code)).toEqual(checklistFor('restaurant').map((i) => i.code));
    expect(inspection.score).toMatchObject({ complete: false, missing: inspection.items.length });
    const again = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/onsite-inspections`)
      .set(auth(a.token))
      .send(body);
    expect([again.status, again.body.id]).toEqual([200, inspection.id]);

    // A colleague of another district cannot be the second inspector; nor can the caller.
    for (const coInspectorId of [outsider.id, a.id]) {
      const refused = await api.http
        .post(`/api/v1/regulator/establishments/${shop.id}/onsite-inspections`)
        .set(auth(a.token))
        .send({ idempotencyKey: key(), coInspectorId });
      expect(refused.body.error.details[0]).toEqual({
        path: 'body.coInspectorId',
        message: '请选择另一名负责该辖区的检查人员',
      });
    }
    // The inspector of another district: 403; one of the district not on it: 403; its two: 200.
    expect((await api.http.get(url()).set(auth(outsider.token))).body.error.message).toBe('不在您的辖区范围内');
    expect((await api.http.get(url()).set(auth(c.token))).body.error.message).toBe('您不是本次检查的执法人员');
    expect((await api.http.get(url()).set(auth(b.token))).status).toBe(200);
    const mine = await api.http.get('/api/v1/regulator/onsite-inspections').set(auth(b.token));
    expect(mine.body.map((x: { id: string }) => x.id)).toEqual([inspection.id]);
  });

  it('when answers come in, then each save merges into the draft; a bad answer is refused with the item named and changes nothing', async () => {
    const [first, second] = inspection.items;
    const saved = await api.http
      .put(`${url()}/answers`)
      .set(auth(a.token))
      .send({ answers: { [first!.code]: { result: 'conform' } } });
    expect(saved.status).toBe(200);
    // The colleague's phone adds the next one: both are kept.
    const next = await api.http
      .put(`${url()}/answers`)
      .set(auth(b.token))
      .send({ answers: { [second!.code]: { result: 'conform' } } });
    expect(next.body.items.filter((i: { answer: unknown }) => i.answer).length).toBe(2);

    const noNote = await api.http
      .put(`${url()}/answers`)
      .set(auth(a.token))
      .send({ answers: { [first!.code]: { result: 'nonconform' } } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details[0].path).toBe(`body.answers.${first!.code}.note`);
    expect(noNote.body.error.details[0].message).toContain(first!.text);
    const unknown = await api.http
      .put(`${url()}/answers`)
      .set(auth(a.token))
      .send({ answers: { 'no.such': { result: 'conform' } } });
    expect(unknown.body.error.details[0].message).toBe('检查要点表中没有检查项「no.such」');
    const unchanged = OnsiteInspectionSchema.parse((await api.http.get(url()).set(auth(a.token))).body);
    expect(unchanged.items.find((i) => i.code === first!.code)?.answer?.result).toBe('conform');

    const early = await api.http.post(`${url()}/finish`).set(auth(a.token));
    expect(early.body.error.details[0].message).toBe(`还有 ${inspection.items.length - 2} 项未检查，请逐项作出判定`);
  });

  it('when every item is judged and the record signed by both inspectors and the representative, then the inspection is recorded, a notice opens for the 不符合 item, and the public file shows it', async () => {
    // One ordinary item 不符合 with a note and a photo; the rest 符合.
    const bad = inspection.items.find((i) => !i.key)!;
    const photo = await upload(a.token, 1);
    const answers = Object.fromEntries(
      inspection.items.map((i) => [
        i.code,
        i.code === bad.code
          ? { result: 'nonconform', note: '冷藏柜温度 12℃，超出要求', photos: [photo] }
          : { result: 'conform' },
      ]),
    );
    expect((await api.http.put(`${url()}/answers`).set(auth(a.token)).send({ answers })).status).toBe(200);
    const finished = OnsiteInspectionSchema.parse((await api.http.post(`${url()}/finish`).set(auth(a.token))).body);
    expect(finished).toMatchObject({
      state: 'signing',
      score: { complete: true, result: 'basically', resultLabel: '基本符合' },
    });
    // The item's points are lost; nothing else is.
    expect(finished.score.total).toBe(100 - bad.points);
    expect(finished.text).toContain('检查区餐馆');
    expect(finished.text).toContain('冷藏柜温度 12℃，超出要求');
    expect(finished.documentSha256).toBe(createHash('sha256').update(finished.text!, 'utf8').digest('hex'));
    // Answers are fixed while signing.
    expect((await api.http.put(`${url()}/answers`).set(auth(a.token)).send({ answers })).status).toBe(409);

    const sign = (token: string, body: Record<string, unknown>) =>
      api.http.post(`${url()}/signatures`).set(auth(token)).send(body);
    const hash = finished.documentSha256!;
    const aSig = await upload(a.token, 2);
    const wrong = await sign(a.token, { role: 'inspector', documentSha256: '0'.repeat(64), signature: aSig });
    expect([wrong.status, wrong.body.error.message]).toEqual([409, '记录内容与您看到的不一致，请刷新后重新核对签名']);
    expect((await sign(c.token, { role: 'inspector', documentSha256: hash, signature: aSig })).status).toBe(403);
    expect((await sign(a.token, { role: 'inspector', documentSha256: hash, signature: aSig })).status).toBe(200);
    // A retry answers the same.
    expect((await sign(a.token, { role: 'inspector', documentSha256: hash, signature: aSig })).status).toBe(200);
    const repSig = await upload(a.token, 3);
    const noName = await sign(a.token, { role: 'representative', documentSha256: hash, signature: repSig });
    expect(noName.body.error.details[0]).toEqual({ path: 'body.name', message: '请填写被检查单位负责人姓名' });
    const rep = await sign(a.token, {
      role: 'representative',
      documentSha256: hash,
      signature: repSig,
      name: '陈老板',
      title: '负责人',
    });
    expect(rep.body).toMatchObject({ state: 'signing', representative: { name: '陈老板', title: '负责人' } });

    const bSig = await upload(b.token, 4);
    const last = await sign(b.token, { role: 'inspector', documentSha256: hash, signature: bSig });
    expect(last.status).toBe(200);
    const recorded = OnsiteInspectionSchema.parse(last.body);
    expect(recorded).toMatchObject({ state: 'recorded', stateLabel: '已归档' });
    expect(recorded.inspectors.every((i) => i.signed)).toBe(true);
    expect(recorded.noticeIds).toHaveLength(1);

    // The notice, the inspection in the regulators' records and in the public file.
    const notices = await api.http
      .get('/api/v1/regulator/notices')
      .query({ establishmentId: shop.id })
      .set(asRegulator);
    const notice = notices.body.find((n: { id: string }) => n.id === recorded.noticeIds[0]);
    expect(notice).toMatchObject({ status: 'open' });
    expect(JSON.stringify(notice)).toContain(bad.text);
    const records = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/inspections`).set(asRegulator);
    expect(records.body.map((r: { id: string; total: number }) => [r.id, r.total])).toEqual([
      [recorded.recordId, recorded.score.total],
    ]);
    const profile = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(profile.body.inspections[0]).toMatchObject({ date: recorded.date, score: recorded.score.total });

    // Recorded: nothing changes it any more, and a retry of the last signature answers the same.
    expect((await api.http.post(`${url()}/reopen`).set(auth(a.token))).status).toBe(409);
    expect((await sign(b.token, { role: 'inspector', documentSha256: hash, signature: bSig })).body.state).toBe(
      'recorded',
    );
  });

  it('when the answers are reopened while signing, then the signatures given are void', async () => {
    const started = OnsiteInspectionSchema.parse(
      (
        await api.http
          .post(`/api/v1/regulator/establishments/${shop.id}/onsite-inspections`)
          .set(auth(b.token))
          .send({ idempotencyKey: key(), coInspectorId: a.id })
      ).body,
    );
    const at = `/api/v1/regulator/onsite-inspections/${started.id}`;
    const answers = Object.fromEntries(started.items.map((i) => [i.code, { result: 'conform' }]));
    await api.http.put(`${at}/answers`).set(auth(b.token)).send({ answers });
    const finished = OnsiteInspectionSchema.parse((await api.http.post(`${at}/finish`).set(auth(b.token))).body);
    expect(finished.score).toMatchObject({ total: 100, result: 'conform' });
    await api.http
      .post(`${at}/signatures`)
      .set(auth(b.token))
      .send({ role: 'inspector', documentSha256: finished.documentSha256, signature: await upload(b.token, 5) });
    const reopened = OnsiteInspectionSchema.parse((await api.http.post(`${at}/reopen`).set(auth(a.token))).body);
    expect(reopened).toMatchObject({ state: 'draft', text: null, documentSha256: null });
    expect(reopened.inspectors.some((i) => i.signed)).toBe(false);
  });
});
