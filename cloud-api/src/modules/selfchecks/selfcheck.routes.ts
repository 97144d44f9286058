import { z } from 'zod';
import {
  ChecklistAdditionSchema,
  DailyRecordInputSchema,
  DateOnlySchema,
  MonthlyRecordInputSchema,
  ObjectIdSchema,
  SELF_CHECK_KINDS,
  WeeklyRecordInputSchema,
} from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import { INSPECTORS, scopes } from '../regulators/scopes';
import type { AppContext } from '../../http/context';
import type { AppDeps } from '../../deps';
import { requireRole, roleIn } from '../members/member.service';
import { addChecklistItem, dailyChecklist, retireChecklistItem } from './checklist.service';
import {
  dashboard,
  history,
  onTimeRates,
  recordDetail,
  submitDaily,
  submitMonthly,
  submitWeekly,
  verifyChain,
  weeklyDraft,
} from './selfcheck.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
const OPERATOR = ['operator'] as const;
const REG = ['regulator'] as const;
const HistoryQuery = z
  .object({ kind: z.enum(SELF_CHECK_KINDS).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
const ItemBody = ChecklistAdditionSchema;

const answer = (ctx: AppContext, r: { created: boolean; record: unknown }) => {
  ctx.status = r.created ? 201 : 200;
  return r.record;
};

export function selfCheckRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  const shop = '/api/v1/operator/shops/:id';
  const reg = '/api/v1/regulator/establishments/:id';
  return [
    defineRoute({
      method: 'GET',
      path: `${shop}/dashboard`,
      access: OPERATOR,
      summary: "Today's tasks, overdue records and the grade",
      params: IdParams,
      handler: ({ params, caller }) => dashboard(g, params.id, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: `${shop}/checklist`,
      access: OPERATOR,
      summary: "Today's daily checklist (default, shop additions, regulator-targeted items)",
      params: IdParams,
      async handler({ params, caller }) {
        await roleIn(deps.db, params.id, caller.userId);
        return dailyChecklist(deps.db, params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${shop}/checklist`,
      access: OPERATOR,
      status: 201,
      summary: "Add an item to the shop's 风险管控清单 (owner or 总监)",
      params: IdParams,
      body: ItemBody,
      async handler({ params, body, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director']);
        return addChecklistItem(deps.db, params.id, body, 'shop', caller.userId);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${shop}/checklist/:code`,
      access: OPERATOR,
      summary: "Retire one of the shop's own items",
      params: z.object({ id: ObjectIdSchema, code: z.string().regex(/^S\d{2,3}$/) }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director']);
        await retireChecklistItem(deps.db, params.id, params.code, 'shop');
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${shop}/self-checks/daily`,
      access: OPERATOR,
      summary: '日管控 record (安全员 or 总监); idempotent on its key',
      params: IdParams,
      body: DailyRecordInputSchema,
      async handler({ params, body, caller, ctx }) {
        return answer(ctx, await submitDaily({ deps: g, establishmentId: params.id, userId: caller.userId }, body));
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${shop}/self-checks/weekly`,
      access: OPERATOR,
      summary: '周排查 report (总监, or 安全员 in small shops)',
      params: IdParams,
      body: WeeklyRecordInputSchema,
      async handler({ params, body, caller, ctx }) {
        return answer(ctx, await submitWeekly({ deps: g, establishmentId: params.id, userId: caller.userId }, body));
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${shop}/self-checks/monthly`,
      access: OPERATOR,
      summary: '月调度 minutes, signed by the owner',
      params: IdParams,
      body: MonthlyRecordInputSchema,
      async handler({ params, body, caller, ctx }) {
        return answer(ctx, await submitMonthly({ deps: g, establishmentId: params.id, userId: caller.userId }, body));
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${shop}/self-checks`,
      access: OPERATOR,
      summary: "The shop's self-check history",
      params: IdParams,
      query: HistoryQuery,
      async handler({ params, query, caller }) {
        await roleIn(deps.db, params.id, caller.userId);
        return history(deps.db, params.id, query.kind, query.limit);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${shop}/self-checks/weekly-draft`,
      access: OPERATOR,
      summary: "The week's 周排查 pre-filled from its daily records",
      params: IdParams,
      query: z.object({ weekStart: DateOnlySchema }).strict(),
      async handler({ params, query, caller }) {
        await roleIn(deps.db, params.id, caller.userId);
        return weeklyDraft(deps.db, params.id, query.weekStart);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${shop}/self-checks/verify`,
      access: OPERATOR,
      summary: "Verify the shop's own hash chain (its members); lists every break",
      params: IdParams,
      async handler({ params, caller }) {
        await roleIn(deps.db, params.id, caller.userId);
        return verifyChain(deps.db, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${shop}/self-checks/:record`,
      access: OPERATOR,
      summary: 'One record of the shop as stored, with whether its hash and the chain up to it hold',
      params: z.object({ id: ObjectIdSchema, record: ObjectIdSchema }).strict(),
      async handler({ params, caller }) {
        await roleIn(deps.db, params.id, caller.userId);
        return recordDetail(deps.db, params.id, params.record);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${reg}/self-checks`,
      access: REG,
      scope: scope.shop(),
      summary: "A shop's self-check history (regulators)",
      params: IdParams,
      query: HistoryQuery,
      handler: ({ params, query }) => history(deps.db, params.id, query.kind, query.limit),
    }),
    defineRoute({
      method: 'GET',
      path: `${reg}/self-checks/rates`,
      access: REG,
      scope: scope.shop(),
      summary: 'On-time rates per period (daily 30 days, weekly 12 weeks, monthly 12 months)',
      params: IdParams,
      handler: ({ params }) => onTimeRates(deps.db, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: `${reg}/self-checks/verify`,
      access: REG,
      scope: scope.shop(),
      summary: "Verify the shop's hash chain; lists every break",
      params: IdParams,
      handler: ({ params }) => verifyChain(deps.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: `${reg}/targeted-items`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      status: 201,
      summary: "A regulator's targeted item on the shop's daily list until resolved",
      params: IdParams,
      body: ItemBody,
      handler: ({ params, body, caller }) => addChecklistItem(deps.db, params.id, body, 'regulator', caller.userId),
    }),
    defineRoute({
      method: 'POST',
      path: `${reg}/targeted-items/:code/resolve`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: 'Resolve a targeted item (it leaves the daily list)',
      params: z.object({ id: ObjectIdSchema, code: z.string().regex(/^R\d{2,3}$/) }).strict(),
      async handler({ params }) {
        await retireChecklistItem(deps.db, params.id, params.code, 'regulator');
      },
    }),
  ];
}
