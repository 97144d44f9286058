import { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import { DEFAULT_LADDER_CONFIG, chinaDate, type CaptureCategory } from '@ygsa/shared';
import { decideStep, type PriorStep } from '../src/modules/enforcement/ladder';
import {
  captureModel,
  caseModel,
  ladderPendingModel,
  noticeModel,
  reminderModel,
} from '../src/modules/enforcement/enforcement.models';
import { finishPendingCaptures } from '../src/modules/enforcement/webhook.service';
import { notifyParties, runLadderClock } from '../src/modules/enforcement/enforcement.service';
import { createWeChatClient } from '../src/integrations/wechat.client';
import { uploadModel } from '../src/modules/uploads/upload.service';
import { startTestApi, type TestApi } from './helpers';
import { PNG, aiBox, auth, captureRequest, ownerOf, postCapture } from './enforcement-helpers';
import { asRegulator, createShop, inspect, key } from './shops';

/** The WeChat messages the fake server holds for the user a token belongs to. */
async function inboxOf(api: TestApi, token: string) {
  const { userModel } = await import('../src/modules/auth/user.model');
  const sub = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;
  const openid = (await userModel(api.db).findById(sub).lean())?.openid as string;
  return api.wechat.inboxOf(openid);
}
const DAY = 86_400_000;

describe('the escalation ladder (首违不罚, 罚教结合)', () => {
  const cfg = DEFAULT_LADDER_CONFIG;
  const at = new Date('2026-11-20T04:00:00Z');
  const ago = (days: number) => new Date(at.getTime() - days * DAY);
  const capture = (category: CaptureCategory = 'no_mask', confidence = 0.9) => ({
    category,
    capturedAt: at,
    confidence,
  });
  const step = (kind: PriorStep['kind'], daysAgo: number, extra: Partial<PriorStep> = {}): PriorStep => ({
    kind,
    id: `${kind}-${daysAgo}`,
    issuedAt: ago(daysAgo),
    lastCaptureAt: ago(daysAgo),
    open: false,
    ...extra,
  });

  it.each([
    ['a first minor violation', capture(), [], 'reminder', null, '首违不罚'],
    ['a first violation that is not minor', capture('pests'), [], 'notice', null, '不属轻微违规'],
    ['a repeat after an acknowledged reminder', capture(), [step('reminder', 40)], 'notice', null, '第 2 次'],
    [
      'a repeat while a reminder is unanswered',
      capture(),
      [step('reminder', 2, { open: true })],
      'notice',
      null,
      '提醒后',
    ],
    [
      'a repeat after a rectified notice',
      capture(),
      [step('notice', 100, { rectified: true })],
      'case',
      null,
      '整改后',
    ],
    ['a capture during an open notice', capture(), [step('notice', 1, { open: true })], 'notice', 'notice-1', '并入'],
    ['a capture during an open case', capture(), [step('case', 5, { open: true })], 'case', 'case-5', '并入'],
    [
      'a capture 10 minutes after the last one',
      capture(),
      [{ ...step('reminder', 0), lastCaptureAt: new Date(at.getTime() - 10 * 60_000) }],
      'reminder',
      'reminder-0',
      '同一事件',
    ],
    ['a reminder 729 days ago still counts', capture(), [step('reminder', 729)], 'notice', null, '2 年内第 2 次'],
    ['a reminder 731 days ago no longer counts', capture(), [step('reminder', 731)], 'reminder', null, '首违不罚'],
    [
      'a rectified notice 731 days ago no longer counts',
      capture(),
      [step('notice', 731, { rectified: true })],
      'reminder',
      null,
      '首违不罚',
    ],
  ])('%s → %s', (_name, c, history, expected, join, why) => {
    const d = decideStep(cfg, c, history as PriorStep[]);
    expect(d.step).toBe(expected);
    if (d.step !== 'evidence') expect(d.join).toBe(join);
    expect(d.reason).toContain(why);
  });

  it('counts a step issued after a late capture was taken (a box that was offline sends late)', () => {
    const issuedLater = { ...step('notice', 0, { open: true }), issuedAt: new Date(at.getTime() + 3600_000) };
    expect(decideStep(cfg, capture(), [issuedLater])).toMatchObject({ step: 'notice', join: 'notice-0' });
    const earlierFrame = { ...step('reminder', 0), lastCaptureAt: new Date(at.getTime() + 10 * 60_000) };
    expect(decideStep(cfg, capture(), [earlierFrame])).toMatchObject({ step: 'reminder', join: 'reminder-0' });
  });

  it('keeps a low-confidence capture as evidence only', () => {
    const d = decideStep(cfg, capture('no_mask', 0.3), []);
    expect(d).toEqual({ step: 'evidence', reason: expect.stringContaining('低于 0.6') });
  });

  it('follows configured thresholds (a one-year lookback; every kind minor)', () => {
    const custom = { ...cfg, lookbackDays: 365, minor: [...cfg.minor, 'pests' as const] };
    expect(decideStep(custom, capture(), [step('reminder', 400)]).step).toBe('reminder');
    expect(decideStep(custom, capture('pests'), []).step).toBe('reminder');
  });
});

describe('AI capture webhook', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('stores a signed capture once, runs the ladder, and answers a repeat of the same event with the first result', async () => {
    const shop = await createShop(api, { name: '抓拍餐馆' });
    const box = await aiBox(api, shop.id);
    const req = captureRequest(box, {});
    const first = await postCapture(api, req);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, outcome: { step: 'reminder', created: true } });
    expect(first.body.outcome.reason).toContain('首违不罚');
    const again = await postCapture(api, req);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true, outcome: first.body.outcome });
    expect(await captureModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(1);
    expect(await reminderModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(1);
    const devices = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/ai-devices`).set(asRegulator);
    expect(devices.body).toEqual([expect.objectContaining({ id: box.id, lastCaptureAt: expect.any(String) })]);
    expect(devices.body[0].key).toBeUndefined();

    // Regulators see the clip behind the snapshot: the camera's recording of that moment.
    const { recordingModel } = await import('../src/modules/live/camera.model');
    const capturedAt = new Date((await captureModel(api.db).findById(first.body.id).lean())!.capturedAt);
    const startedAt = new Date(capturedAt.getTime() - 95_000);
    const file = `cam_${box.cameraId}-20261120-101500.flv`;
    await recordingModel(api.db).create({
      _id: file,
      cameraId: box.cameraId,
      establishmentId: shop.id,
      startedAt,
      endedAt: new Date(startedAt.getTime() + 600_000),
    });
    const captures = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/captures`).set(asRegulator);
    expect(captures.body[0]).toMatchObject({
      id: first.body.id,
      outcome: { step: 'reminder' },
      recording: { file, offsetSeconds: 95, url: expect.stringContaining(`/rec/`) },
    });
  });

  it('refuses a bad signature, a stale or future timestamp, an unknown device and a rotated key, storing nothing', async () => {
    const shop = await createShop(api, { name: '签名餐馆' });
    const box = await aiBox(api, shop.id);
    const snapshot = Buffer.concat([PNG, Buffer.from(key())]); // a picture no other test stored
    const snapId = createHash('sha256').update(snapshot).digest('hex');
    const cases = [
      captureRequest(box, {}, { key: 'not-the-key', snapshot }),
      captureRequest(box, {}, { timestamp: Math.floor(Date.now() / 1000) - 301, snapshot }),
      captureRequest(box, {}, { timestamp: Math.floor(Date.now() / 1000) + 301, snapshot }),
      {
        ...captureRequest(box, {}, { snapshot }),
        headers: { ...captureRequest(box, {}).headers, 'X-Device-Id': '0'.repeat(24) },
      },
    ];
    // A body changed after signing (a different category) fails too.
    const tampered = captureRequest(box, {}, { snapshot });
    cases.push({
      ...tampered,
      body: Buffer.from(tampered.body.toString('latin1').replace('no_mask', 'smoking'), 'latin1'),
    });
    for (const req of cases) {
      const res = await postCapture(api, req);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    const rotated = await api.http.post(`/api/v1/regulator/ai-devices/${box.id}/rotate-key`).set(asRegulator);
    expect(rotated.status).toBe(200);
    expect((await postCapture(api, captureRequest(box, {}, { snapshot }))).status).toBe(401);
    expect(await captureModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(0);
    expect(await uploadModel(api.db).exists({ _id: snapId })).toBeNull();
    expect((await postCapture(api, captureRequest({ ...box, key: rotated.body.key }, {}, { snapshot }))).status).toBe(
      201,
    );
  });

  it('validates the fields: kind, confidence, time, and the camera belonging to the device’s shop', async () => {
    const shop = await createShop(api, { name: '字段餐馆' });
    const other = await createShop(api, { name: '隔壁餐馆' });
    const box = await aiBox(api, shop.id);
    const otherBox = await aiBox(api, other.id);
    const bad: [Record<string, string>, string][] = [
      [{ category: 'dancing' }, 'category'],
      [{ confidence: '1.5' }, 'confidence'],
      [{ captured_at: 'yesterday' }, 'captured_at'],
      [{ captured_at: new Date(Date.now() + 3600_000).toISOString() }, 'captured_at'],
      [{ camera_id: otherBox.cameraId }, 'camera_id'],
    ];
    for (const [fields, path] of bad) {
      const res = await postCapture(api, captureRequest(box, fields));
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const notAnImage = await postCapture(api, captureRequest(box, {}, { snapshot: Buffer.from('hello') }));
    expect(notAnImage.status).toBe(415);
    expect(await captureModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(0);
  });

  it('when a request died before its capture’s step was recorded, then the ladder clock finishes it, and forgets the rest', async () => {
    const shop = await createShop(api, { name: '中断餐馆' });
    const box = await aiBox(api, shop.id);
    const deps = { db: api.db, config: api.config };
    const res = await postCapture(api, captureRequest(box, { category: 'no_mask' }));
    expect(res.status).toBe(201);
    const id = new Types.ObjectId(res.body.id as string);
    expect(await ladderPendingModel(api.db).exists({ _id: id })).toBeNull();
    // As a request that died after storing the capture leaves it (written past the API's own writes).
    await api.db.collection('ai_captures').updateOne({ _id: id }, { $set: { outcome: null } });
    await ladderPendingModel(api.db).create({ _id: id, receivedAt: new Date() });
    // And one whose request died before the capture existed (the box sends it again later).
    const ghost = new Types.ObjectId();
    await ladderPendingModel(api.db).create({ _id: ghost, receivedAt: new Date() });
    // Not yet: a live request may still be taking the step.
    expect(await finishPendingCaptures(deps, new Date())).toBe(0);
    expect(await finishPendingCaptures(deps, new Date(Date.now() + 120_000))).toBe(1);
    expect((await captureModel(api.db).findById(id).lean())?.outcome?.step).toBe('reminder');
    expect(await ladderPendingModel(api.db).countDocuments({ _id: { $in: [id, ghost] } })).toBe(0);
  });

  it('walks the ladder over time: reminder → (unanswered) notice → (missed deadline) case draft; each step once, with its reason', async () => {
    const shop = await createShop(api, { name: '阶梯餐馆' });
    const box = await aiBox(api, shop.id);
    const deps = { db: api.db, config: api.config };
    const res = await postCapture(api, captureRequest(box, { category: 'no_hat' }));
    expect(res.body.outcome.step).toBe('reminder');
    const later = new Date(Date.now() + 25 * 3600_000);
    // (The clock runs over every shop in this database; this shop's steps are what is checked.)
    await runLadderClock(deps, later);
    await runLadderClock(deps, later);
    expect(await noticeModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(1);
    const notice = await noticeModel(api.db).findOne({ establishmentId: shop.id }).lean();
    expect(notice?.reason).toContain('未确认整改');
    expect(notice?.topic).toBe('no_hat');

    const afterDeadline = new Date(`${notice?.deadline}T16:00:00Z`); // the next China day
    await runLadderClock(deps, afterDeadline);
    const drafts = await caseModel(api.db).find({ establishmentId: shop.id }).lean();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.status).toBe('draft');
    expect(drafts[0]?.reason).toContain('仍未完成整改');
    await runLadderClock(deps, afterDeadline);
    expect(await caseModel(api.db).countDocuments({ establishmentId: shop.id })).toBe(1);

    const timeline = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/timeline`).set(asRegulator);
    expect(timeline.body.map((t: { action: string }) => t.action)).toEqual(
      expect.arrayContaining(['device.registered', 'capture.reminder', 'notice.issued', 'case.drafted']),
    );
    expect(timeline.body.find((t: { action: string }) => t.action === 'capture.reminder')).toMatchObject({
      role: 'ai_device',
      actor: `device:${box.id}`,
    });
  });
});

describe('rectification notices (整改通知 → 整改回复)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('a serious capture issues a notice; the operator replies with a photo; the regulator returns it, then accepts; the grade counts it while open', async () => {
    const shop = await createShop(api, { name: '整改餐馆' });
    await inspect(api, shop.id, chinaDate(new Date()), 95);
    const box = await aiBox(api, shop.id);
    const owner = await ownerOf(api, shop.id);
    const officer = await ownerOf(api, shop.id, 'safety_officer', owner);
    const stranger = await ownerOf(api, (await createShop(api, { name: '别家餐馆' })).id);

    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const cap = await postCapture(api, captureRequest(box, { category: 'pests', captured_at: twoHoursAgo }));
    expect(cap.body.outcome.step).toBe('notice');
    // The shop's staff are told through WeChat, once.
    const deps = { db: api.db, config: api.config, wechat: createWeChatClient(api.config.wechat) };
    expect(await notifyParties(deps)).toBeGreaterThanOrEqual(1);
    await notifyParties(deps);
    const inbox = await inboxOf(api, officer);
    expect(inbox.filter((m) => m.page.startsWith('more/notice/index'))).toHaveLength(1);
    expect(inbox[0]?.data.thing2?.value).toBe('整改通知：鼠患/虫害');

    const list = await api.http.get(`/api/v1/operator/shops/${shop.id}/enforcement`).set(auth(officer));
    expect(list.status).toBe(200);
    const notice = list.body.notices[0];
    expect(notice).toMatchObject({ topicLabel: '鼠患/虫害', status: 'open', statusLabel: '待整改', overdue: false });
    expect(notice.captures[0]).toMatchObject({ cameraName: '烹饪区摄像头', zoneLabel: '烹饪区' });
    // The snapshot is the shop's own evidence: its staff may see it; another shop may not.
    expect((await api.http.get(`/api/v1/uploads/${notice.captures[0].snapshot}`).set(auth(officer))).status).toBe(200);
    expect((await api.http.get(`/api/v1/uploads/${notice.captures[0].snapshot}`).set(auth(stranger))).status).toBe(403);

    const profile = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(JSON.stringify(profile.body.grade.reasons)).toContain('未完成整改 1 项');
    expect(JSON.stringify(profile.body.grade.reasons)).toContain('AI 抓拍违规 1 次');
    // More frames of the same incident join the notice and do not count again.
    const burst = await postCapture(api, captureRequest(box, { category: 'pests', captured_at: twoHoursAgo }));
    expect(burst.body.outcome).toMatchObject({
      step: 'notice',
      created: false,
      reason: expect.stringContaining('并入'),
    });
    const same = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(JSON.stringify(same.body.grade.reasons)).toContain('AI 抓拍违规 1 次');

    const url = `/api/v1/operator/shops/${shop.id}/notices/${notice.id}`;
    expect((await api.http.get(url).set(auth(stranger))).status).toBe(403);
    const photo = await api.http.post('/api/v1/uploads').set(auth(officer)).attach('file', PNG, 'fixed.png');
    const reply = { idempotencyKey: `reply-${key()}`, text: '已封堵鼠洞并请专业公司灭鼠', photos: [photo.body.id] };
    expect((await api.http.post(`${url}/replies`).set(auth(stranger)).send(reply)).status).toBe(403);
    expect(
      (
        await api.http
          .post(`${url}/replies`)
          .set(auth(officer))
          .send({ ...reply, photos: [] })
      ).status,
    ).toBe(400);
    const replied = await api.http.post(`${url}/replies`).set(auth(officer)).send(reply);
    expect(replied.status).toBe(200);
    expect(replied.body.status).toBe('replied');
    // A retry (lost answer) lands once.
    expect((await api.http.post(`${url}/replies`).set(auth(officer)).send(reply)).body.replies).toHaveLength(1);

    const review = `/api/v1/regulator/notices/${notice.id}/review`;
    expect((await api.http.post(review).set(auth(owner)).send({ decision: 'accept' })).status).toBe(403);
    expect((await api.http.post(review).set(asRegulator).send({ decision: 'return' })).status).toBe(400);
    const returned = await api.http
      .post(review)
      .set(asRegulator)
      .send({ decision: 'return', reason: '照片看不清灭鼠情况' });
    expect(returned.body).toMatchObject({
      status: 'returned',
      reviews: [{ decision: 'return', reason: '照片看不清灭鼠情况' }],
    });
    await api.http
      .post(`${url}/replies`)
      .set(auth(officer))
      .send({ ...reply, idempotencyKey: `reply-${key()}`, text: '补充灭鼠公司服务单' })
      .expect(200);
    const accepted = await api.http.post(review).set(asRegulator).send({ decision: 'accept' });
    expect(accepted.body.status).toBe('accepted');
    const after = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(JSON.stringify(after.body.grade.reasons)).not.toContain('未完成整改');

    // The next pest capture is a repeat after rectification: a case draft for a regulator.
    const repeat = await postCapture(api, captureRequest(box, { category: 'pests' }));
    expect(repeat.body.outcome).toMatchObject({ step: 'case', created: true });
  });

  it('a regulator issues a notice after an inspection (idempotent); overdue notices are flagged', async () => {
    const shop = await createShop(api, { name: '检查餐馆' });
    const body = {
      idempotencyKey: `notice-${key()}`,
      topic: 'inspection',
      requirement: '冷藏柜温度超标，限期维修',
      deadline: '2099-01-05',
    };
    const url = `/api/v1/regulator/establishments/${shop.id}/notices`;
    const first = await api.http.post(url).set(asRegulator).send(body);
    expect(first.status).toBe(201);
    expect((await api.http.post(url).set(asRegulator).send(body)).body.id).toBe(first.body.id);
    expect(
      (
        await api.http
          .post(url)
          .set(asRegulator)
          .send({ ...body, requirement: '别的要求内容' })
      ).status,
    ).toBe(409);
    expect(
      (
        await api.http
          .post(url)
          .set(asRegulator)
          .send({ ...body, idempotencyKey: `n-${key()}`, deadline: '2020-01-01' })
      ).status,
    ).toBe(400);
    await noticeModel(api.db).updateOne({ _id: first.body.id }, { $set: { deadline: '2026-01-05' } });
    const overdue = await api.http
      .get(`/api/v1/regulator/notices?overdue=true&establishmentId=${shop.id}`)
      .set(asRegulator);
    expect(overdue.body).toEqual([expect.objectContaining({ id: first.body.id, overdue: true })]);
  });
});

describe('non-contact cases (非现场执法)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('the party consents to e-delivery, receives (first open), sees the evidence, confirms, and signs the exact text; a penalty enters the public file', async () => {
    const shop = await createShop(api, { name: '执法餐馆' });
    const box = await aiBox(api, shop.id);
    const owner = await ownerOf(api, shop.id);
    const officer = await ownerOf(api, shop.id, 'safety_officer', owner);
    const stranger = await ownerOf(api, (await createShop(api, { name: '旁观餐馆' })).id);
    const cap = await postCapture(api, captureRequest(box, { category: 'smoking' }));

    const created = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/cases`)
      .set(asRegulator)
      .send({
        idempotencyKey: `case-${key()}`,
        category: 'smoking',
        captureIds: [cap.body.id],
        notes: '后厨人员在烹饪区吸烟',
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'confirmed', decideBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const caseUrl = `/api/v1/operator/shops/${shop.id}/cases/${created.body.id}`;
    await notifyParties({ db: api.db, config: api.config, wechat: createWeChatClient(api.config.wechat) });
    expect((await inboxOf(api, owner)).map((m) => m.page)).toContain(
      `more/case/index?shop=${shop.id}&id=${created.body.id}`,
    );
    expect((await inboxOf(api, officer)).map((m) => m.page)).not.toContain(
      `more/case/index?shop=${shop.id}&id=${created.body.id}`,
    );

    // Before consent: the case is announced, its content is not delivered.
    const waiting = await api.http.get(caseUrl).set(auth(owner));
    expect(waiting.body).toMatchObject({ consented: false, deliveredAt: null, evidence: null, document: null });
    expect((await api.http.get(caseUrl).set(auth(officer))).status).toBe(403);
    expect(
      (await api.http.get(caseUrl.replace(shop.id, (await createShop(api, { name: '第三家' })).id)).set(auth(stranger)))
        .status,
    ).toBe(403);
    expect((await api.http.post(`${caseUrl}/response`).set(auth(owner)).send({ decision: 'confirm' })).status).toBe(
      409,
    );

    const consentUrl = `/api/v1/operator/shops/${shop.id}/e-delivery-consent`;
    expect((await api.http.post(consentUrl).set(auth(owner)).send({ name: '王老板', agree: false })).status).toBe(400);
    const consent = await api.http.post(consentUrl).set(auth(owner)).send({ name: '王老板', agree: true });
    expect(consent.body).toMatchObject({ consented: true, name: '王老板' });
    expect(consent.body.text).toContain('送达地址确认书');

    const delivered = await api.http.get(caseUrl).set(auth(owner));
    expect(delivered.body.deliveredAt).not.toBeNull();
    expect(delivered.body.evidence.captures).toHaveLength(1);
    expect(delivered.body.document.text).toContain('吸烟');
    expect(createHash('sha256').update(delivered.body.document.text).digest('hex')).toBe(
      delivered.body.document.sha256,
    );
    const reopened = await api.http.get(caseUrl).set(auth(owner));
    expect(reopened.body.deliveredAt).toBe(delivered.body.deliveredAt); // delivery = the first open

    expect(
      (await api.http.post(`${caseUrl}/response`).set(auth(owner)).send({ decision: 'object', statement: '太短' }))
        .status,
    ).toBe(400);
    const responded = await api.http.post(`${caseUrl}/response`).set(auth(owner)).send({ decision: 'confirm' });
    expect(responded.body.status).toBe('responded');
    const shown = responded.body.toSign as { text: string; sha256: string };
    expect(shown.text).toContain('当事人意见：对上述违法事实及证据无异议。');
    expect(shown.text).toContain('签收人：王老板');

    const signature = await api.http.post('/api/v1/uploads').set(auth(owner)).attach('file', PNG, 'sign.png');
    const wrongHash = await api.http
      .post(`${caseUrl}/signature`)
      .set(auth(owner))
      .send({ documentSha256: '0'.repeat(64), signature: signature.body.id });
    expect(wrongHash.status).toBe(409);
    const signed = await api.http
      .post(`${caseUrl}/signature`)
      .set(auth(owner))
      .send({ documentSha256: shown.sha256, signature: signature.body.id });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', signature: { documentSha256: shown.sha256 } });
    const stored = await caseModel(api.db).findById(created.body.id).lean();
    expect(stored?.signature?.documentText).toBe(shown.text);
    expect(
      createHash('sha256')
        .update(stored?.signature?.documentText ?? '')
        .digest('hex'),
    ).toBe(shown.sha256);
    expect(stored?.signature?.image).toBe(signature.body.id);

    const decision = `/api/v1/regulator/cases/${created.body.id}/decision`;
    const penalty = {
      outcome: 'penalty',
      reason: '当事人确认违法事实',
      decisionNumber: '市监罚〔2026〕88号',
      penalty: '警告',
    };
    expect((await api.http.post(decision).set(auth(owner)).send(penalty)).status).toBe(403);
    const decided = await api.http.post(decision).set(asRegulator).send(penalty);
    expect(decided.body).toMatchObject({
      status: 'decided',
      decision: { outcome: 'penalty', outcomeLabel: '行政处罚' },
    });
    const file = await api.http.get(`/api/v1/public/shops/${shop.id}`);
    expect(JSON.stringify(file.body)).toContain('市监罚〔2026〕88号');

    const timeline = await api.http.get(`/api/v1/regulator/establishments/${shop.id}/timeline`).set(asRegulator);
    const actions = timeline.body.map((t: { action: string }) => t.action);
    for (const a of [
      'case.confirmed',
      'consent.given',
      'case.delivered',
      'case.confirmed_by_party',
      'case.signed',
      'case.decided',
    ]) {
      expect(actions).toContain(a);
    }
    expect(timeline.body.find((t: { action: string }) => t.action === 'consent.given')).toMatchObject({
      role: 'owner',
    });
    expect((await api.http.get(`/api/v1/regulator/establishments/${shop.id}/timeline`).set(auth(owner))).status).toBe(
      403,
    );
  });

  it('drafts stay with regulators until confirmed; a draft can be dismissed but not penalised', async () => {
    const shop = await createShop(api, { name: '草稿餐馆' });
    const owner = await ownerOf(api, shop.id);
    const deps = { db: api.db, config: api.config };
    const { draftCase } = await import('../src/modules/enforcement/enforcement.service');
    const { Types } = await import('mongoose');
    const { kase } = await draftCase(
      deps,
      new Types.ObjectId(shop.id),
      { key: `t-${key()}`, category: 'phone', reason: '测试草稿' },
      { id: 'system', role: 'system' },
    );
    const caseUrl = `/api/v1/operator/shops/${shop.id}/cases/${String(kase._id)}`;
    expect((await api.http.get(caseUrl).set(auth(owner))).status).toBe(404);
    expect((await api.http.get(`/api/v1/operator/shops/${shop.id}/enforcement`).set(auth(owner))).body.cases).toEqual(
      [],
    );
    const decision = `/api/v1/regulator/cases/${String(kase._id)}/decision`;
    expect(
      (
        await api.http
          .post(decision)
          .set(asRegulator)
          .send({ outcome: 'penalty', reason: '直接处罚', decisionNumber: '市监罚〔2026〕1号', penalty: '警告' })
      ).status,
    ).toBe(409);
    const confirmed = await api.http
      .post(`/api/v1/regulator/cases/${String(kase._id)}/confirm`)
      .set(asRegulator)
      .send({ notes: '核实抓拍属实' });
    expect(confirmed.body.status).toBe('confirmed');
    expect((await api.http.get(caseUrl).set(auth(owner))).status).toBe(200);
  });

  it('the party objects with a statement and a photo, and signs the text that carries the objection; a late decision is flagged', async () => {
    const shop = await createShop(api, { name: '异议餐馆' });
    const owner = await ownerOf(api, shop.id);
    const created = await api.http
      .post(`/api/v1/regulator/establishments/${shop.id}/cases`)
      .set(asRegulator)
      .send({ idempotencyKey: `case-${key()}`, category: 'no_uniform', notes: '现场检查发现厨师未穿工作服' });
    const caseUrl = `/api/v1/operator/shops/${shop.id}/cases/${created.body.id}`;
    await api.http
      .post(`/api/v1/operator/shops/${shop.id}/e-delivery-consent`)
      .set(auth(owner))
      .send({ name: '李店长', agree: true })
      .expect(200);
    await api.http.get(caseUrl).set(auth(owner)).expect(200);
    const photo = await api.http.post('/api/v1/uploads').set(auth(owner)).attach('file', PNG, 'uniform.png');
    const statement = '当时该员工刚到岗正在更衣，并非在操作区作业，附更衣室照片为证。';
    const objected = await api.http
      .post(`${caseUrl}/response`)
      .set(auth(owner))
      .send({ decision: 'object', statement, photos: [photo.body.id] });
    expect(objected.body.response).toMatchObject({ decision: 'object', statement, photos: [photo.body.id] });
    expect(objected.body.toSign.text).toContain(`有异议。陈述申辩意见：${statement}（附证据照片 1 张）`);
    const signature = await api.http.post('/api/v1/uploads').set(auth(owner)).attach('file', PNG, 'sig.png');
    const signed = await api.http
      .post(`${caseUrl}/signature`)
      .set(auth(owner))
      .send({ documentSha256: objected.body.toSign.sha256, signature: signature.body.id });
    expect(signed.body.status).toBe('signed');
    // A retry of the same signature (a lost answer) changes nothing.
    expect(
      (
        await api.http
          .post(`${caseUrl}/signature`)
          .set(auth(owner))
          .send({ documentSha256: objected.body.toSign.sha256, signature: signature.body.id })
      ).body.signature.at,
    ).toBe(signed.body.signature.at);

    expect(created.body.decisionOverdue).toBe(false);
    await caseModel(api.db).updateOne({ _id: created.body.id }, { $set: { decideBy: '2026-01-05' } });
    const late = await api.http.get(`/api/v1/regulator/cases/${created.body.id}`).set(asRegulator);
    expect(late.body.decisionOverdue).toBe(true);
    const dismissed = await api.http
      .post(`/api/v1/regulator/cases/${created.body.id}/decision`)
      .set(asRegulator)
      .send({ outcome: 'no_case', reason: '当事人异议成立' });
    expect(dismissed.body).toMatchObject({
      status: 'decided',
      decisionOverdue: false,
      decision: { outcomeLabel: '不予立案' },
    });
  });
});
