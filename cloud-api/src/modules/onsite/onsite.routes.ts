import { z } from 'zod';
import {
  ObjectIdSchema,
  OnsiteAnswersSchema,
  OnsiteInspectionSchema,
  OnsiteSignSchema,
  OnsiteStartSchema,
} from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { INSPECTORS, scopes } from '../regulators/scopes';
import { requireDistrict, requireRegulatorRole } from '../regulators/jurisdiction';
import {
  districtOfOnsite,
  finishOnsite,
  getOnsite,
  myOnsite,
  reopenOnsite,
  saveAnswers,
  signOnsite,
  startOnsite,
} from './onsite.service';

const REG = ['regulator'] as const;
const IdParams = z.object({ id: ObjectIdSchema }).strict();

export function onsiteRoutes(deps: AppDeps) {
  const o = { db: deps.db, config: deps.config };
  /** An inspection, by its shop's district: inspectors of that district and the city's administrators. */
  const onsiteScope = async (input: { params: unknown; caller: Caller }) => {
    const scope = input.caller.regulator!;
    requireRegulatorRole(scope, INSPECTORS);
    const district = await districtOfOnsite(deps.db, String((input.params as { id: string }).id));
    if (district === null) throw new AppError('NOT_FOUND', { message: '检查记录不存在' });
    requireDistrict(scope, district);
  };
  const base = '/api/v1/regulator/onsite-inspections';
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/onsite-inspections',
      access: REG,
      scope: scopes(deps.db).shop(INSPECTORS),
      summary:
        '现场监督检查: the caller and a second inspector of the district start an inspection of the shop ' +
        '(检查要点表 of its business type); idempotent on its key',
      params: IdParams,
      body: OnsiteStartSchema,
      output: OnsiteInspectionSchema,
      async handler({ params, body, caller, ctx }) {
        const r = await startOnsite(o, caller.regulator!, params.id, body);
        ctx.status = r.created ? 201 : 200;
        return r.inspection;
      },
    }),
    defineRoute({
      method: 'GET',
      path: base,
      access: REG,
      cityWide: true,
      summary: "The caller's inspections: drafts and those awaiting signatures first",
      output: z.array(OnsiteInspectionSchema),
      handler: ({ caller }) => myOnsite(o, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/:id`,
      access: REG,
      scope: onsiteScope,
      summary: 'An inspection: its items with answers, the score and result, the record text and signatures',
      params: IdParams,
      output: OnsiteInspectionSchema,
      handler: ({ params, caller }) => getOnsite(o, caller.regulator!, params.id),
    }),
    defineRoute({
      method: 'PUT',
      path: `${base}/:id/answers`,
      access: REG,
      scope: onsiteScope,
      summary: 'Saves answers into the draft (merged item by item: 符合 / 基本符合 / 不符合 / 合理缺项, notes, photos)',
      params: IdParams,
      body: OnsiteAnswersSchema,
      output: OnsiteInspectionSchema,
      handler: ({ params, body, caller }) => saveAnswers(o, caller.regulator!, params.id, body.answers),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/:id/finish`,
      access: REG,
      scope: onsiteScope,
      summary: 'Every item answered: fixes the 监督检查结果记录表 text and its SHA-256 for signing',
      params: IdParams,
      output: OnsiteInspectionSchema,
      handler: ({ params, caller }) => finishOnsite(o, caller.regulator!, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/:id/reopen`,
      access: REG,
      scope: onsiteScope,
      summary: 'Back to the answers before it is recorded (the signatures given are void)',
      params: IdParams,
      output: OnsiteInspectionSchema,
      handler: ({ params, caller }) => reopenOnsite(o, caller.regulator!, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/:id/signatures`,
      access: REG,
      scope: onsiteScope,
      summary:
        "Signs the record's hash: each inspector as themselves, the shop's representative on their phone; the last " +
        'signature records it (notices for 不符合 items, the inspection in the file and grade)',
      params: IdParams,
      body: OnsiteSignSchema,
      output: OnsiteInspectionSchema,
      handler: ({ params, body, caller }) => signOnsite(o, caller.regulator!, params.id, body),
    }),
  ];
}
