import { randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  TASK_OUTCOME_LABELS,
  drawPlan,
  type DrawInput,
  type Plan,
  type PlanDetail,
  type PlanDraw,
  type PlanInput,
  type PlanTask,
  type TaskCloseInput,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import type { RegulatorScope } from '../../http/context';
import { createOnce, findOnce } from '../../data/create-once';
import { nextSerial } from '../../data/serials';
import { findByIds } from '../../data/by-ids';
import { indexedDocs, shopIndexOf } from '../../data/shop-index';
import { directoryOf } from '../establishments/shop-directory';
import { riskOf, type GradingDeps } from '../grading/grading.service';
import { inspectorsFor } from '../regulators/regulator.service';
import { requireDistrict } from '../regulators/jurisdiction';
import {
  planInputModel,
  planModel,
  planTaskModel,
  type PlanDoc,
  type PlanInputDoc,
  type PlanTaskDoc,
} from './plan.models';

/**
 * 双随机一公开. An administrator asks for a plan (period, districts, how many shops); the API
 * takes the open shops of those districts with their risk levels and the inspectors whose
 * jurisdiction covers them with their declared conflicts, stores that input with a fresh random
 * seed, runs the shared draw (drawPlan: shops weighted by risk, two inspectors each) and writes a
 * task per drawn shop. The seed, the input and the result are open data, so anyone can run the
 * draw again and compare. A task ends when one of its inspectors records an inspection of the shop
 * within the period, or closes it saying why it could not be inspected.
 */

const label = (districts: readonly string[]) => (districts.length ? districts.join('、') : '全市');

function planView(p: PlanDoc, done: number): Plan {
  return {
    id: String(p._id),
    number: p.number,
    title: p.title,
    from: p.from,
    to: p.to,
    districts: p.districts,
    districtsLabel: label(p.districts),
    count: p.count,
    seed: p.seed,
    state: p.state,
    eligible: p.eligible,
    drawn: p.drawn,
    unassigned: p.unassigned,
    done,
    createdBy: p.createdByName,
    createdAt: p.createdAt.toISOString(),
    publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
  };
}

function taskView(t: PlanTaskDoc): PlanTask {
  return {
    id: String(t._id),
    planId: t.planId,
    planTitle: t.planTitle,
    due: t.due,
    order: t.order,
    shopId: String(t.establishmentId),
    shopName: t.shopName,
    district: t.district,
    risk: t.risk,
    inspectors: t.inspectors.map((id, i) => ({ id, name: t.inspectorNames[i] ?? '' })),
    unassigned: t.unassigned ?? null,
    status: t.status,
    outcome: t.outcome ?? null,
    outcomeLabel: t.outcome ? TASK_OUTCOME_LABELS[t.outcome] : null,
    note: t.note ?? null,
    inspection: t.inspection ?? null,
    doneAt: t.doneAt ? t.doneAt.toISOString() : null,
  };
}

/** Up to `n` calls at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += n) out.push(...(await Promise.all(items.slice(i, i + n).map(fn))));
  return out;
}

/** The draw's input as of now: open shops of the districts with their risk, and the inspectors who may go. */
async function drawInput(deps: GradingDeps, districts: readonly string[], now: Date) {
  const wanted = districts.length ? new Set(districts) : null;
  const ests = [...(await directoryOf(deps.db, now)).every()]
    .map((e) => e.est)
    .filter((est) => est.status === 'open' && (!wanted || wanted.has(est.district)));
  const risks = await inBatches(ests, 8, (est) => riskOf(deps, est, now));
  const inspectors = await inspectorsFor(deps.db, districts);
  return {
    shops: ests.map((est, i) => ({
      id: String(est._id),
      district: est.district,
      risk: (risks[i] as { level: DrawInput['shops'][number]['risk'] }).level,
    })),
    inspectors: inspectors.map((a) => ({ id: a.id, districts: a.districts, city: false, conflicts: a.conflicts })),
    names: {
      shops: Object.fromEntries(ests.map((est) => [String(est._id), est.name])),
      inspectors: Object.fromEntries(inspectors.map((a) => [a.id, a.name])),
    },
  };
}

const refuse = (path: string, message: string) => new AppError('VALIDATION_FAILED', { details: [{ path, message }] });

/**
 * Draws and publishes a plan; a retry of the request (its idempotency key) answers the same plan,
 * and finishes it from the stored input and seed if the first attempt stopped while writing tasks.
 */
export async function createPlan(
  deps: GradingDeps,
  caller: RegulatorScope,
  input: PlanInput,
  now = new Date(),
): Promise<{ created: boolean; plan: PlanDetail }> {
  const Plans = planModel(deps.db);
  let plan = await findOnce(Plans, { idempotencyKey: input.idempotencyKey });
  let created = false;
  if (!plan) {
    const known = new Set([...(await directoryOf(deps.db, now)).every()].map((e) => e.est.district));
    input.districts.forEach((d, i) => {
      if (!known.has(d)) throw refuse(`body.districts.${i}`, `没有「${d}」这个辖区的门店`);
    });
    const drawn = await drawInput(deps, input.districts, now);
    if (!drawn.shops.length) throw refuse('body.districts', '所选辖区没有在营门店');
    if (input.count > drawn.shops.length)
      throw refuse('body.count', `所选辖区在营门店只有 ${drawn.shops.length} 家，抽取数量不能超过`);
    if (drawn.inspectors.length < 2) throw refuse('body.districts', '所选辖区的检查人员不足 2 名，无法随机派员');
    const once = await createOnce(
      Plans,
      { idempotencyKey: input.idempotencyKey },
      {
        number: await nextSerial(deps.db, 'SSJ', now),
        title: input.title,
        from: input.from,
        to: input.to,
        districts: input.districts,
        count: input.count,
        seed: randomBytes(16).toString('hex'),
        state: 'drawing',
        eligible: drawn.shops.length,
        createdBy: caller.userId,
        createdByName: caller.name,
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
        publishedAt: null,
      },
    );
    plan = once.doc;
    created = once.created;
    // The first writer's input is the plan's: a racing copy reads it instead of its own.
    await createOnce(planInputModel(deps.db), { _id: plan._id }, { _id: plan._id, ...drawn });
  }
  if (plan.state === 'drawing') plan = await writeTasks(deps.db, plan, now);
  return { created, plan: await detail(deps.db, plan) };
}

/** The draw of a plan, run from its stored input and seed. */
async function drawOf(db: Connection, plan: PlanDoc): Promise<{ input: DrawInput; stored: PlanInputDoc }> {
  const stored = await planInputModel(db).findById(plan._id).lean();
  if (!stored) throw new Error(`plan ${String(plan._id)} has no stored input`);
  return { input: { seed: plan.seed, count: plan.count, shops: stored.shops, inspectors: stored.inspectors }, stored };
}

async function writeTasks(db: Connection, plan: PlanDoc, now: Date): Promise<PlanDoc> {
  const { input, stored } = await drawOf(db, plan);
  const tasks = drawPlan(input);
  const riskOfShop = new Map(input.shops.map((s) => [s.id, s]));
  const Tasks = planTaskModel(db);
  for (const [order, t] of tasks.entries()) {
    const shop = riskOfShop.get(t.shopId) as DrawInput['shops'][number];
    const establishmentId = new Types.ObjectId(t.shopId);
    await createOnce(
      Tasks,
      { planId: String(plan._id), establishmentId },
      {
        planId: String(plan._id),
        planTitle: plan.title,
        due: plan.to,
        from: plan.from,
        order,
        establishmentId,
        shopName: stored.names.shops[t.shopId] ?? '',
        district: shop.district,
        risk: shop.risk,
        inspectors: t.inspectors,
        inspectorNames: t.inspectors.map((id) => stored.names.inspectors[id] ?? ''),
        unassigned: t.unassigned,
        status: 'assigned',
        outcome: null,
        note: null,
        inspection: null,
        doneBy: null,
        doneAt: null,
      },
    );
  }
  const published = {
    state: 'published' as const,
    drawn: tasks.length,
    unassigned: tasks.filter((t) => t.unassigned).length,
    publishedAt: now,
  };
  await planModel(db).updateOne({ _id: plan._id }, { $set: published });
  return { ...plan, ...published };
}

async function tasksOfPlan(db: Connection, planId: string): Promise<PlanTaskDoc[]> {
  const docs = await indexedDocs(db, planTaskModel(db), planId, 'plan', () => true);
  return docs.sort((a, b) => a.order - b.order);
}

async function doneCount(db: Connection, planId: string): Promise<number> {
  return (await shopIndexOf(db, planTaskModel(db), planId, 'plan')).filter((e) => e.status === 'done').length;
}

async function detail(db: Connection, plan: PlanDoc): Promise<PlanDetail> {
  const tasks = await tasksOfPlan(db, String(plan._id));
  return { ...planView(plan, tasks.filter((t) => t.status === 'done').length), tasks: tasks.map(taskView) };
}

async function findPlan(db: Connection, id: string, publishedOnly = false): Promise<PlanDoc> {
  const plan = Types.ObjectId.isValid(id) ? await planModel(db).findById(id).lean() : null;
  if (!plan || (publishedOnly && plan.state !== 'published'))
    throw new AppError('NOT_FOUND', { message: '抽查计划不存在' });
  return plan;
}

/** Plans, newest first: every plan for the city's administrators, the plans covering their districts for others. */
export async function listPlans(db: Connection, scope: RegulatorScope | null): Promise<Plan[]> {
  const plans = await planModel(db).find({}).sort({ createdAt: -1 }).limit(50).lean();
  const visible = plans.filter(
    (p) =>
      !scope ||
      scope.jurisdiction.city ||
      !p.districts.length ||
      p.districts.some((d) => scope.jurisdiction.districts.includes(d)),
  );
  return Promise.all(visible.map(async (p) => planView(p, await doneCount(db, String(p._id)))));
}

export async function planDetail(db: Connection, id: string, publishedOnly = false): Promise<PlanDetail> {
  return detail(db, await findPlan(db, id, publishedOnly));
}

/** Open data: published plans, newest first. */
export async function openPlans(db: Connection): Promise<Plan[]> {
  return (await listPlans(db, null)).filter((p) => p.state === 'published');
}

/** Open data: a published plan's exact draw input and what it drew, to run again with drawPlan. */
export async function planDraw(db: Connection, id: string): Promise<PlanDraw> {
  const plan = await findPlan(db, id, true);
  const { input } = await drawOf(db, plan);
  const tasks = await tasksOfPlan(db, id);
  return {
    planId: String(plan._id),
    input,
    tasks: tasks.map((t) => ({
      shopId: String(t.establishmentId),
      inspectors: t.inspectors,
      unassigned: t.unassigned,
    })),
  };
}

/** The caller's tasks: open ones by their deadline, then done ones, newest first. */
export async function myTasks(db: Connection, userId: string, status?: 'assigned' | 'done'): Promise<PlanTask[]> {
  const Tasks = planTaskModel(db);
  const entries = [
    ...(await shopIndexOf(db, Tasks, userId, 'first')),
    ...(await shopIndexOf(db, Tasks, userId, 'second')),
  ].filter((e) => !status || e.status === status);
  const docs = await findByIds(
    Tasks,
    entries.map((e) => e.id),
  );
  return docs
    .sort((a, b) =>
      a.status !== b.status
        ? a.status === 'assigned'
          ? -1
          : 1
        : a.status === 'assigned'
          ? a.due.localeCompare(b.due) || a.order - b.order
          : (b.doneAt?.getTime() ?? 0) - (a.doneAt?.getTime() ?? 0),
    )
    .map(taskView);
}

/** The shop a task is about, for the route's jurisdiction check. */
export async function districtOfTask(db: Connection, id: string): Promise<string | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return (await planTaskModel(db).findById(id, { district: 1 }).lean())?.district ?? null;
}

/** An inspector of the task closes it without an inspection, saying why (a retry answers the same). */
export async function closeTask(
  db: Connection,
  scope: RegulatorScope,
  id: string,
  input: TaskCloseInput,
  now = new Date(),
): Promise<PlanTask> {
  const Tasks = planTaskModel(db);
  const task = await Tasks.findById(id).lean();
  if (!task) throw new AppError('NOT_FOUND', { message: '检查任务不存在' });
  requireDistrict(scope, task.district);
  if (!task.inspectors.includes(scope.userId) && !scope.jurisdiction.city)
    throw new AppError('FORBIDDEN', { message: '该任务未指派给您' });
  if (task.status === 'done') {
    if (task.outcome === input.outcome && task.note === input.note) return taskView(task);
    throw new AppError('CONFLICT', { message: '该任务已完成' });
  }
  const done = { status: 'done' as const, outcome: input.outcome, note: input.note, doneBy: scope.userId, doneAt: now };
  await Tasks.updateOne({ _id: task._id }, { $set: done });
  return taskView({ ...task, ...done });
}

/**
 * An inspection recorded by one of a task's inspectors, within its plan's period, completes the
 * shop's open task (called by the inspection's route; its retry completes it again, unchanged).
 */
export async function completeByInspection(
  db: Connection,
  shopId: Types.ObjectId | string,
  userId: string,
  inspection: { id: string; date: string; total: number },
  now = new Date(),
): Promise<number> {
  const Tasks = planTaskModel(db);
  const open = (await shopIndexOf(db, Tasks, shopId)).filter(
    (e) =>
      e.status === 'assigned' &&
      (e.inspectors as string[]).includes(userId) &&
      e.from <= inspection.date &&
      inspection.date <= e.due,
  );
  for (const e of open)
    await Tasks.updateOne(
      { _id: e.id },
      { $set: { status: 'done', outcome: 'inspected', inspection, doneBy: userId, doneAt: now } },
    );
  return open.length;
}
