import { z } from 'zod';
import {
  ObjectIdSchema,
  PlanDetailSchema,
  PlanDrawSchema,
  PlanInputSchema,
  PlanSchema,
  PlanTaskSchema,
  TaskCloseInputSchema,
} from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { findEstablishment } from '../establishments/establishment.service';
import { INSPECTORS, scopes } from '../regulators/scopes';
import { requireDistrict, requireRegulatorRole } from '../regulators/jurisdiction';
import { declareConflict } from '../regulators/regulator.service';
import {
  closeTask,
  createPlan,
  districtOfTask,
  listPlans,
  myTasks,
  openPlans,
  planDetail,
  planDraw,
} from './plan.service';

const REG = ['regulator'] as const;
const IdParams = z.object({ id: ObjectIdSchema }).strict();

export function planRoutes(deps: AppDeps) {
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  /** A task, by its shop's district: only inspectors of that district (and the city's administrators). */
  const taskScope = async (input: { params: unknown; caller: Caller }) => {
    const scope = input.caller.regulator!;
    requireRegulatorRole(scope, INSPECTORS);
    const district = await districtOfTask(deps.db, String((input.params as { id: string }).id));
    if (district === null) throw new AppError('NOT_FOUND', { message: '检查任务不存在' });
    requireDistrict(scope, district);
  };
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/plans',
      access: REG,
      scope: scopes(deps.db).admin,
      summary:
        '双随机: a city administrator draws a plan (period, districts, how many shops); shops weighted by risk, ' +
        'two inspectors each avoiding declared conflicts; the seed and input are kept; idempotent on its key',
      body: PlanInputSchema,
      output: PlanDetailSchema,
      async handler({ body, caller, ctx }) {
        const r = await createPlan(g, caller.regulator!, body);
        ctx.status = r.created ? 201 : 200;
        return r.plan;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/plans',
      access: REG,
      cityWide: true,
      summary: "Plans, newest first (others than the city's administrators: those covering their districts)",
      output: z.array(PlanSchema),
      handler: ({ caller }) => listPlans(deps.db, caller.regulator!),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/plans/:id',
      access: REG,
      // A plan and its tasks are published as open data: any regulator may read one.
      cityWide: true,
      summary: 'A plan with its tasks in the order drawn',
      params: IdParams,
      output: PlanDetailSchema,
      handler: ({ params }) => planDetail(deps.db, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/tasks',
      access: REG,
      cityWide: true,
      summary: "The caller's 双随机 tasks: open ones by deadline, then done ones",
      query: z.object({ status: z.enum(['assigned', 'done']).optional() }).strict(),
      output: z.array(PlanTaskSchema),
      handler: ({ caller, query }) => myTasks(deps.db, caller.userId, query.status),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/tasks/:id/close',
      access: REG,
      scope: taskScope,
      summary:
        'An inspector of the task closes it without an inspection (not operating, not found, refused) with a note; ' +
        'an inspection recorded by them within the period completes it instead',
      params: IdParams,
      body: TaskCloseInputSchema,
      output: PlanTaskSchema,
      handler: ({ params, body, caller }) => closeTask(deps.db, caller.regulator!, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/me/conflicts',
      access: REG,
      cityWide: true,
      summary: 'An inspector declares a conflict of interest with a shop: no later plan sends them there',
      body: z.object({ establishmentId: ObjectIdSchema }).strict(),
      output: z.object({ conflicts: z.array(z.string()) }).strict(),
      async handler({ body, caller }) {
        await findEstablishment(deps.db, body.establishmentId);
        return { conflicts: await declareConflict(deps.db, caller.userId, body.establishmentId) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open/plans',
      access: 'public',
      summary: 'Open data (双随机一公开): published plans, newest first, with their seeds',
      output: z.array(PlanSchema),
      handler: () => openPlans(deps.db),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open/plans/:id',
      access: 'public',
      summary: 'Open data: a published plan, the shops drawn, their inspectors and the results',
      params: IdParams,
      output: PlanDetailSchema,
      handler: ({ params }) => planDetail(deps.db, params.id, true),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open/plans/:id/draw',
      access: 'public',
      summary: "Open data: a published plan's exact draw input (seed included) and its result, to run drawPlan again",
      params: IdParams,
      output: PlanDrawSchema,
      handler: ({ params }) => planDraw(deps.db, params.id),
    }),
  ];
}
