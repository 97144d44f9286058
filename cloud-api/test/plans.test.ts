import { PlanDetailSchema, PlanDrawSchema, PlanTaskSchema, chinaDate, drawPlan, sameDraw } from '@ygsa/shared';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, bindRegulator, createShop, key, scoresFor } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('双随机一公开: plans, their draw, their tasks', () => {
  let api: TestApi;
  const today = chinaDate(new Date());
  let shops: { id: string; name: string }[];
  let elsewhere: { id: string };
  /** Inspectors of 抽查区 (the first declared a conflict with shops[0]) and one of 示范区. */
  const inspectors: { id: string; token: string; name: string }[] = [];
  let outsider: { id: string; token: string };

  const plan = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: key(),
    title: '2026 年 12 月双随机抽查',
    from: today,
    to: addDays(today, 30),
    districts: ['抽查区'],
    count: 4,
    ...over,
  });

  beforeAll(async () => {
    api = await startTestApi();
    shops = [];
    for (let i = 0; i < 6; i += 1) shops.push(await createShop(api, { name: `抽查餐馆${i}`, district: '抽查区' }));
    elsewhere = await createShop(api, { name: '外区餐馆', district: '示范区' });
    for (const name of ['甲检查', '乙检查', '丙检查'])
      inspectors.push(await bindRegulator(api, { name, districts: ['抽查区'] }));
    outsider = await bindRegulator(api, { name: '丁检查', districts: ['示范区'] });
    const declared = await api.http
      .post('/api/v1/regulator/me/conflicts')
      .set(auth(inspectors[0]!.token))
      .send({ establishmentId: shops[0]!.id });
    expect(declared.body.conflicts).toEqual([shops[0]!.id]);
  });
  afterAll(() => api.close());

  it('when an administrator draws a plan, then shops of its districts are drawn with two inspectors each, none conflicted; a retry answers the same plan', async () => {
    const body = plan({ count: 6 });
    const res = await api.http.post('/api/v1/regulator/plans').set(asRegulator).send(body);
    expect(res.status).toBe(201);
    const p = PlanDetailSchema.parse(res.body);
    expect(p).toMatchObject({
      state: 'published',
      eligible: 6,
      drawn: 6,
      unassigned: 0,
      done: 0,
      districtsLabel: '抽查区',
    });
    expect(p.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(p.tasks.map((t) => t.shopId))).toEqual(new Set(shops.map((s) => s.id)));
    const ours = new Set(inspectors.map((i) => i.id));
    for (const t of p.tasks) {
      expect(t.inspectors).toHaveLength(2);
      expect(t.inspectors[0]!.id).not.toBe(t.inspectors[1]!.id);
      for (const i of t.inspectors) expect(ours.has(i.id)).toBe(true);
      expect(t.due).toBe(body.to);
    }
    const conflicted = p.tasks.find((t) => t.shopId === shops[0]!.id)!;
    expect(conflicted.inspectors.map((i) => i.id)).not.toContain(inspectors[0]!.id);

    const again = await api.http.post('/api/v1/regulator/plans').set(asRegulator).send(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(p.id);
    expect(again.body.tasks).toEqual(res.body.tasks);
  });

  it('when anyone takes the open data of a plan, then drawPlan on its input and seed gives the same draw', async () => {
    const made = PlanDetailSchema.parse(
      (
        await api.http
          .post('/api/v1/regulator/plans')
          .set(asRegulator)
          .send(plan({ count: 3 }))
      ).body,
    );
    const open = await api.http.get(`/api/v1/open/plans/${made.id}/draw`);
    expect(open.status).toBe(200);
    const draw = PlanDrawSchema.parse(open.body);
    expect(draw.input.seed).toBe(made.seed);
    expect(draw.tasks.map((t) => t.shopId)).toEqual(made.tasks.map((t) => t.shopId));
    expect(sameDraw(drawPlan(draw.input), draw.tasks)).toBe(true);
    // Another seed, another draw: the comparison can fail.
    expect(sameDraw(drawPlan({ ...draw.input, seed: `${draw.input.seed}x` }), draw.tasks)).toBe(false);
    const list = await api.http.get('/api/v1/open/plans');
    expect(list.body.map((x: { id: string }) => x.id)).toContain(made.id);
    expect((await api.http.get(`/api/v1/open/plans/${made.id}`)).body.tasks).toHaveLength(3);
  });

  it('when an inspector of a task records an inspection of its shop in the period, then the task is done with it', async () => {
    const p = PlanDetailSchema.parse(
      (
        await api.http
          .post('/api/v1/regulator/plans')
          .set(asRegulator)
          .send(plan({ count: 2 }))
      ).body,
    );
    const task = p.tasks[0]!;
    const inspector = inspectors.find((i) => i.id === task.inspectors[0]!.id)!;
    const mine = (
      await api.http.get('/api/v1/regulator/tasks').query({ status: 'assigned' }).set(auth(inspector.token))
    ).body as unknown[];
    expect(mine.map((t) => PlanTaskSchema.parse(t).id)).toContain(task.id);

    const recorded = await api.http
      .post(`/api/v1/regulator/establishments/${task.shopId}/inspections`)
      .set(auth(inspector.token))
      .send({ idempotencyKey: key(), date: today, inspector: inspector.name, scores: scoresFor(92), findings: [] });
    expect(recorded.status).toBe(201);
    const after = PlanDetailSchema.parse((await api.http.get(`/api/v1/regulator/plans/${p.id}`).set(asRegulator)).body);
    expect(after.done).toBe(1);
    expect(after.tasks.find((t) => t.id === task.id)).toMatchObject({
      status: 'done',
      outcome: 'inspected',
      outcomeLabel: '已检查',
      inspection: { id: recorded.body.id, date: today, total: 92 },
    });
    const done = await api.http.get('/api/v1/regulator/tasks').query({ status: 'done' }).set(auth(inspector.token));
    expect(done.body.map((t: { id: string }) => t.id)).toContain(task.id);
  });

  it('when a task is closed without an inspection, then only its inspectors may, with a reason; a retry answers the same', async () => {
    const p = PlanDetailSchema.parse(
      (
        await api.http
          .post('/api/v1/regulator/plans')
          .set(asRegulator)
          .send(plan({ count: 6 }))
      ).body,
    );
    // A task where one of the three inspectors of 抽查区 was not drawn.
    const task = p.tasks[0]!;
    const assigned = inspectors.find((i) => i.id === task.inspectors[1]!.id)!;
    const other = inspectors.find((i) => !task.inspectors.some((x) => x.id === i.id))!;
    const url = `/api/v1/regulator/tasks/${task.id}/close`;
    const why = { outcome: 'not_operating', note: '现场大门紧闭，邻居称已停业两个月' };
    expect((await api.http.post(url).send(why)).status).toBe(401);
    const outside = await api.http.post(url).set(auth(outsider.token)).send(why);
    expect([outside.status, outside.body.error.message]).toEqual([403, '不在您的辖区范围内']);
    const notTheirs = await api.http.post(url).set(auth(other.token)).send(why);
    expect([notTheirs.status, notTheirs.body.error.message]).toEqual([403, '该任务未指派给您']);
    const bad = await api.http.post(url).set(auth(assigned.token)).send({ outcome: 'not_operating', note: '停' });
    expect([bad.status, bad.body.error.details[0].message]).toEqual([400, '请说明情况（至少 4 个字）']);

    const closed = await api.http.post(url).set(auth(assigned.token)).send(why);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'done', outcome: 'not_operating', outcomeLabel: '未发现开展经营活动' });
    expect((await api.http.post(url).set(auth(assigned.token)).send(why)).status).toBe(200);
    const changed = await api.http
      .post(url)
      .set(auth(assigned.token))
      .send({ ...why, outcome: 'not_found' });
    expect([changed.status, changed.body.error.message]).toEqual([409, '该任务已完成']);
  });

  it('when a plan asks for more than it can, or outside what exists, or by a non-administrator, then it is refused and nothing is drawn', async () => {
    const before = (await api.http.get('/api/v1/regulator/plans').set(asRegulator)).body.length;
    const tooMany = await api.http
      .post('/api/v1/regulator/plans')
      .set(asRegulator)
      .send(plan({ count: 7 }));
    expect([tooMany.status, tooMany.body.error.details[0]]).toEqual([
      400,
      { path: 'body.count', message: '所选辖区在营门店只有 6 家，抽取数量不能超过' },
    ]);
    const unknown = await api.http
      .post('/api/v1/regulator/plans')
      .set(asRegulator)
      .send(plan({ districts: ['无此区'] }));
    expect(unknown.body.error.details[0]).toEqual({
      path: 'body.districts.0',
      message: '没有「无此区」这个辖区的门店',
    });
    // 示范区 has one inspector: no pair can be drawn.
    const short = await api.http
      .post('/api/v1/regulator/plans')
      .set(asRegulator)
      .send(plan({ districts: ['示范区'], count: 1 }));
    expect(short.body.error.details[0].message).toBe('所选辖区的检查人员不足 2 名，无法随机派员');
    const byInspector = await api.http.post('/api/v1/regulator/plans').set(auth(inspectors[0]!.token)).send(plan());
    expect(byInspector.status).toBe(403);
    expect((await api.http.post('/api/v1/regulator/plans').send(plan())).status).toBe(401);
    expect((await api.http.get('/api/v1/regulator/plans').set(asRegulator)).body.length).toBe(before);
    // An inspector of 示范区 does not see 抽查区's plans; the shop there is never in them.
    expect((await api.http.get('/api/v1/regulator/plans').set(auth(outsider.token))).body).toEqual([]);
    void elsewhere;
  });

  it('when the API stopped after the plan and before its tasks, then the retry writes the same tasks from the stored seed', async () => {
    const body = plan({ count: 5 });
    const first = PlanDetailSchema.parse(
      (await api.http.post('/api/v1/regulator/plans').set(asRegulator).send(body)).body,
    );
    // As a crash would leave it: the plan still drawing, its tasks not written.
    for (const t of first.tasks)
      await api.db.collection('plan_tasks').deleteOne({ _id: new (await import('mongoose')).Types.ObjectId(t.id) });
    await api.db
      .collection('inspection_plans')
      .updateOne({ _id: new (await import('mongoose')).Types.ObjectId(first.id) }, { $set: { state: 'drawing' } });
    const retried = await api.http.post('/api/v1/regulator/plans').set(asRegulator).send(body);
    expect(retried.status).toBe(200);
    const p = PlanDetailSchema.parse(retried.body);
    expect(p.state).toBe('published');
    expect(p.tasks.map((t) => [t.id, t.shopId, t.inspectors])).toEqual(
      first.tasks.map((t) => [t.id, t.shopId, t.inspectors]),
    );
  });
});
