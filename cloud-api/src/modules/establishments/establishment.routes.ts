import {
  EstablishmentInputSchema,
  EstablishmentUpdateSchema,
  GradeReplyResultSchema,
  GradeReplySchema,
  GradeReplyStateSchema,
  ImportCheckSchema,
  ImportJobSchema,
  ImportReportSchema,
  RegulatorShopPageSchema,
  RegulatorShopSchema,
  IncidentInputSchema,
  InspectionInputSchema,
  ObjectIdSchema,
  PenaltyInputSchema,
  SamplingInputSchema,
} from '@ygsa/shared';
import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { completeByInspection } from '../plans/plan.service';
import { INSPECTORS, scopes } from '../regulators/scopes';
import type { AppDeps } from '../../deps';
import { gradeHistory } from '../grading/grading.service';
import { addRecord, listRecords } from '../records/records.service';
import type { RecordKind } from '../records/records.service';
import { addMember } from '../members/member.service';
import {
  createEstablishment,
  findEstablishment,
  listEstablishments,
  getReply,
  setReply,
  withdrawReply,
  toView,
  updateEstablishment,
  viewWithRisk,
} from './establishment.service';
import { IMPORT_TEMPLATE, checkOf, importEstablishments, importJob, planImport, startImport } from './import.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
const ListQuery = z
  .object({
    district: z.string().trim().max(30).optional(),
    q: z.string().trim().max(30).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
const MemberBody = z.object({ userId: ObjectIdSchema, role: z.enum(['owner', 'director', 'safety_officer']) }).strict();

const REG = ['regulator'] as const;

export function establishmentRoutes(deps: AppDeps) {
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  const scope = scopes(deps.db);
  const base = '/api/v1/regulator/establishments';

  const recordRoutes = (
    [
      ['inspections', 'Inspection', InspectionInputSchema, '监督检查'],
      ['samplings', 'Sampling', SamplingInputSchema, '抽检'],
      ['penalties', 'Penalty', PenaltyInputSchema, '行政处罚'],
      ['incidents', 'Incident', IncidentInputSchema, '食品安全事故'],
    ] as const
  ).flatMap(([path, kind, schema, label]) => [
    defineRoute({
      method: 'POST',
      path: `${base}/:id/${path}`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: `Record a ${label} (${kind}); idempotent on its key; the grade follows`,
      params: IdParams,
      body: schema as z.ZodType<Parameters<typeof addRecord>[3]>,
      async handler({ params, body, caller, ctx }) {
        const result = await addRecord(g, kind as RecordKind, params.id, body, caller.userId);
        // An inspection by one of a 双随机 task's inspectors completes the shop's open task.
        if (kind === 'Inspection') {
          const r = result.record as unknown as { id: string; date: string; total: number };
          await completeByInspection(deps.db, params.id, caller.userId, { id: r.id, date: r.date, total: r.total });
        }
        ctx.status = result.created ? 201 : 200;
        return result.record;
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/:id/${path}`,
      access: REG,
      scope: scope.shop(),
      summary: `List a shop's ${label} records`,
      params: IdParams,
      handler: ({ params }) => listRecords(deps.db, kind as RecordKind, params.id),
    }),
  ]);

  return [
    defineRoute({
      method: 'GET',
      path: `${base}/import-template.csv`,
      access: REG,
      cityWide: true,
      summary: 'The CSV template for licence data imports',
      handler({ ctx }) {
        ctx.type = 'text/csv; charset=utf-8';
        ctx.attachment('establishments-template.csv');
        return IMPORT_TEMPLATE;
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/import`,
      access: REG,
      scope: scope.admin,
      summary:
        'Bulk import from CSV: all rows checked first; any bad row → nothing imported, each error listed. ' +
        '?mode=check answers what it would do without writing; Prefer: respond-async answers 202 with the ' +
        "import's progress at once and writes in the background",
      bodyType: 'csv',
      body: z.string(),
      query: z.object({ mode: z.enum(['check']).optional() }).strict(),
      output: z.union([ImportReportSchema, ImportJobSchema, ImportCheckSchema]),
      async handler({ body, query, caller, ctx }) {
        if (query.mode === 'check') return checkOf(await planImport(g, body));
        if (/\brespond-async\b/.test(ctx.get('prefer'))) {
          ctx.status = 202;
          return startImport({ ...g, logger: deps.logger }, body, caller.userId);
        }
        return importEstablishments(g, body);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/imports/:id',
      access: REG,
      scope: scope.admin,
      summary: "A licence import's progress (rows written of the rows to write), its report, or why it stopped",
      params: z.object({ id: z.string().max(64) }).strict(),
      output: ImportJobSchema,
      handler: ({ params }) => importJob(deps.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: base,
      access: REG,
      status: 201,
      scope: scope.district(INSPECTORS, ({ body }) => (body as { district: string }).district),
      summary: 'Create an establishment (in a district of the caller)',
      body: EstablishmentInputSchema,
      handler: async ({ body }) => toView(await createEstablishment(g, body)),
    }),
    defineRoute({
      method: 'GET',
      path: base,
      access: REG,
      cityWide: true,
      summary: "List establishments of the caller's districts (district, keyword, paged)",
      query: ListQuery,
      output: RegulatorShopPageSchema,
      handler: ({ query, caller }) => listEstablishments(deps.db, query, caller.regulator!.jurisdiction),
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/:id`,
      access: REG,
      scope: scope.shop(),
      summary: 'One establishment with its grade and risk level',
      params: IdParams,
      output: RegulatorShopSchema,
      handler: async ({ params }) => viewWithRisk(g, await findEstablishment(deps.db, params.id)),
    }),
    defineRoute({
      method: 'PATCH',
      path: `${base}/:id`,
      access: REG,
      // The shop, and the district it moves to, both the caller's.
      async scope(input) {
        await scope.shop(INSPECTORS)(input);
        const to = (input.body as { district?: string }).district;
        if (to) scope.district(INSPECTORS, () => to)(input);
      },
      summary: 'Update an establishment',
      params: IdParams,
      body: EstablishmentUpdateSchema,
      handler: async ({ params, body }) => toView(await updateEstablishment(g, params.id, body)),
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/:id/grade-history`,
      access: REG,
      scope: scope.shop(),
      summary: 'What grade the public was shown, from when',
      params: IdParams,
      handler: async ({ params }) => gradeHistory(deps.db, (await findEstablishment(deps.db, params.id))._id),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/:id/members`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: 'Give an operator account a role in the shop',
      params: IdParams,
      body: MemberBody,
      handler: ({ params, body, caller }) => addMember(deps.db, params.id, body.userId, body.role, caller.userId),
    }),
    ...recordRoutes,
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/establishments/:id/reply',
      access: ['operator'],
      summary: "The shop's reply beside its grade and whether diners see it yet (its own operators only)",
      params: IdParams,
      output: GradeReplyStateSchema,
      handler: ({ params, caller }) => getReply(deps.db, params.id, caller.userId),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/operator/establishments/:id/reply',
      access: ['operator'],
      summary: "The business's public reply beside its grade, new or edited (its own operators only)",
      params: IdParams,
      body: GradeReplySchema,
      output: GradeReplyResultSchema,
      handler: ({ params, body, caller }) => setReply(deps, params.id, body.text, caller.userId),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/operator/establishments/:id/reply',
      access: ['operator'],
      summary: 'Withdraws the reply: diners no longer see it; it stays in the shop’s reply history',
      params: IdParams,
      output: GradeReplyStateSchema,
      handler: ({ params, caller }) => withdrawReply(deps.db, params.id, caller.userId),
    }),
  ];
}
