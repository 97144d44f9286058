import { DateOnlySchema } from './establishment.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/**
 * Areas of the routine catering inspection (餐饮服务食品安全监督检查) and their points; the total
 * of 100 gives the dynamic grade (量化分级) by the cut-offs in the grading configuration.
 */
export const INSPECTION_AREAS = [
  { code: 'licence', label: '许可管理', max: 10 },
  { code: 'disclosure', label: '信息公示', max: 5 },
  { code: 'management', label: '制度与人员管理', max: 10 },
  { code: 'staff_hygiene', label: '从业人员健康与个人卫生', max: 10 },
  { code: 'environment', label: '环境卫生', max: 10 },
  { code: 'purchase', label: '原料进货查验与贮存', max: 15 },
  { code: 'processing', label: '加工制作', max: 15 },
  { code: 'cleaning', label: '餐用具清洗消毒', max: 10 },
  { code: 'samples_additives', label: '留样与食品添加剂', max: 5 },
  { code: 'pests_waste', label: '虫害防制与餐厨废弃物', max: 10 },
] as const;
export type InspectionAreaCode = (typeof INSPECTION_AREAS)[number]['code'];

const scoresShape = Object.fromEntries(
  INSPECTION_AREAS.map((a) => [
    a.code,
    z
      .number({ error: `缺少「${a.label}」得分` })
      .min(0, `「${a.label}」得分不能为负`)
      .max(a.max, `「${a.label}」得分不超过 ${a.max} 分`)
      .multipleOf(0.5, `「${a.label}」得分以 0.5 分为单位`),
  ]),
) as Record<InspectionAreaCode, z.ZodNumber>;

export const DYNAMIC_GRADES = ['excellent', 'good', 'fair', 'failed'] as const;
export type DynamicGrade = (typeof DYNAMIC_GRADES)[number];
export const DYNAMIC_GRADE_LABELS: Record<DynamicGrade, string> = {
  excellent: '优秀',
  good: '良好',
  fair: '一般',
  failed: '不合格',
};

/** Client-made key that makes a retried submission land once. */
export const IdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '幂等键格式错误');

export const InspectionInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    date: DateOnlySchema,
    inspector: z.string().trim().min(2, '请填写检查人员').max(40),
    scores: z.object(scoresShape).strict(),
    findings: z.array(z.string().trim().min(2).max(200)).max(30).default([]),
  })
  .strict();
export type InspectionInput = z.infer<typeof InspectionInputSchema>;

export const SamplingInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    date: DateOnlySchema,
    item: z.string().trim().min(2, '请填写抽检项目').max(60),
    passed: z.boolean(),
    note: z.string().trim().max(200).default(''),
  })
  .strict();
export type SamplingInput = z.infer<typeof SamplingInputSchema>;

export const PenaltyInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    decisionNumber: z.string().trim().min(4, '请填写处罚决定书文号').max(60),
    date: DateOnlySchema,
    violation: z.string().trim().min(4, '请填写违法行为').max(300),
    penalty: z.string().trim().min(2, '请填写处罚内容').max(300),
    /** Fine in fen (integer), when the penalty includes one. */
    fineFen: z.number().int().min(0).max(100_000_000_00).optional(),
  })
  .strict();
export type PenaltyInput = z.infer<typeof PenaltyInputSchema>;

export const IncidentInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    date: DateOnlySchema,
    description: z.string().trim().min(4, '请描述事故情况').max(500),
  })
  .strict();
export type IncidentInput = z.infer<typeof IncidentInputSchema>;

export function inspectionTotal(scores: Record<InspectionAreaCode, number>): number {
  return INSPECTION_AREAS.reduce((sum, a) => sum + scores[a.code], 0);
}
