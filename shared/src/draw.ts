import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { DateOnlySchema, ObjectIdSchema } from './establishment.js';
import { IdempotencyKeySchema } from './inspection.js';
import { INSPECTIONS_PER_YEAR, RISK_LEVELS, type RiskLevel } from './risk.js';

/**
 * 双随机一公开: a plan draws shops at random (weighted by their risk level) and, for each, two
 * inspectors at random among those whose jurisdiction covers the shop and who declared no conflict
 * with it. The draw is a pure function of its inputs and its seed: the plan publishes both, so
 * anyone can run it again and get the same shops and the same pairs.
 */

/**
 * How much more likely a shop of each risk level is drawn: the most inspections a year its level
 * asks for (A 1, B 2, C 3, D 4; DOMAIN.md), so a D shop is drawn about four times as often as an A.
 */
export const DRAW_WEIGHTS = Object.fromEntries(
  RISK_LEVELS.map((level) => [level, INSPECTIONS_PER_YEAR[level].max]),
) as Record<RiskLevel, number>;

export const DrawInputSchema = z
  .object({
    seed: z.string().min(8).max(64),
    /** How many shops to draw. */
    count: z.number().int().min(1).max(10_000),
    shops: z.array(z.object({ id: z.string(), district: z.string(), risk: z.enum(RISK_LEVELS) }).strict()),
    inspectors: z.array(
      z
        .object({
          id: z.string(),
          /** Districts they may inspect (an empty list and `city`: anywhere). */
          districts: z.array(z.string()),
          city: z.boolean(),
          /** Shops they declared a conflict of interest with. */
          conflicts: z.array(z.string()),
        })
        .strict(),
    ),
  })
  .strict();
export type DrawInput = z.infer<typeof DrawInputSchema>;

export const DrawnTaskSchema = z
  .object({
    shopId: z.string(),
    /** Two inspectors, or fewer when not enough may go (then `unassigned` says why). */
    inspectors: z.array(z.string()),
    unassigned: z.string().nullable(),
  })
  .strict();
export type DrawnTask = z.infer<typeof DrawnTaskSchema>;

/** The seed's text as the generator's 32-bit start (FNV-1a). */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

/** A uniform number in [0, 1) from the generator (53 random bits). */
function unit(rng: RandomGenerator): number {
  const hi = unsafeUniformIntDistribution(0, (1 << 26) - 1, rng);
  const lo = unsafeUniformIntDistribution(0, (1 << 27) - 1, rng);
  return (hi * 2 ** 27 + lo) / 2 ** 53;
}

/**
 * Draws a plan. Shops are drawn without replacement with probability proportional to their weight
 * (Efraimidis–Spirakis: each shop's key is u^(1/w), the `count` largest keys win); inspectors two
 * per shop, uniformly among the eligible, in the order the shops were drawn. Inputs are put in a
 * canonical order first, so the same inputs in any order give the same draw.
 */
export function drawPlan(input: DrawInput): DrawnTask[] {
  const rng = xoroshiro128plus(seedOf(input.seed));
  const shops = [...input.shops].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const inspectors = [...input.inspectors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const keyed = shops.map((s) => ({ shop: s, key: Math.pow(unit(rng), 1 / DRAW_WEIGHTS[s.risk]) }));
  keyed.sort((a, b) => b.key - a.key || (a.shop.id < b.shop.id ? -1 : 1));
  const drawn = keyed.slice(0, Math.min(input.count, keyed.length)).map((k) => k.shop);

  return drawn.map((shop) => {
    const eligible = inspectors.filter(
      (i) => (i.city || i.districts.includes(shop.district)) && !i.conflicts.includes(shop.id),
    );
    const pool = [...eligible];
    const chosen: string[] = [];
    while (chosen.length < 2 && pool.length) {
      const at = unsafeUniformIntDistribution(0, pool.length - 1, rng);
      chosen.push((pool.splice(at, 1)[0] as (typeof pool)[number]).id);
    }
    return {
      shopId: shop.id,
      inspectors: chosen,
      unassigned:
        chosen.length < 2 ? `可派检查人员不足 2 名（辖区内无利害关系的检查人员 ${eligible.length} 名）` : null,
    };
  });
}

/** Whether two draws are the same: the same shops in the same order, each with the same inspectors. */
export function sameDraw(a: readonly DrawnTask[], b: readonly DrawnTask[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, i) =>
        t.shopId === b[i]?.shopId &&
        t.inspectors.length === b[i].inspectors.length &&
        t.inspectors.every((x, j) => x === b[i]?.inspectors[j]),
    )
  );
}

/** What an administrator asks for: a period, the districts (none: the whole city) and how many shops. */
export const PlanInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    title: z.string().trim().min(2, '请填写计划名称').max(60, '计划名称不超过 60 字'),
    from: DateOnlySchema,
    to: DateOnlySchema,
    districts: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
    count: z
      .number({ error: '请填写抽取门店数量' })
      .int('抽取数量须为整数')
      .min(1, '至少抽取 1 家门店')
      .max(2000, '一次最多抽取 2000 家门店'),
  })
  .strict()
  .refine((p) => p.to >= p.from, { path: ['to'], message: '结束日期不能早于开始日期' });
export type PlanInput = z.infer<typeof PlanInputSchema>;

/** How a task ended: inspected (an inspection was recorded), or why it could not be. */
export const TASK_OUTCOMES = ['inspected', 'not_operating', 'not_found', 'refused'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
export const TASK_OUTCOME_LABELS: Record<TaskOutcome, string> = {
  inspected: '已检查',
  not_operating: '未发现开展经营活动',
  not_found: '查无下落',
  refused: '不配合检查',
};

/** An inspector ends a task without an inspection, saying why. */
export const TaskCloseInputSchema = z
  .object({
    outcome: z.enum(['not_operating', 'not_found', 'refused'], { error: '请选择检查情况' }),
    note: z.string().trim().min(4, '请说明情况（至少 4 个字）').max(200, '说明不超过 200 字'),
  })
  .strict();
export type TaskCloseInput = z.infer<typeof TaskCloseInputSchema>;

export const PlanTaskSchema = z
  .object({
    id: z.string(),
    planId: ObjectIdSchema,
    planTitle: z.string(),
    /** The last day of the plan's period: the task's deadline. */
    due: DateOnlySchema,
    order: z.number().int(),
    shopId: ObjectIdSchema,
    shopName: z.string(),
    district: z.string(),
    risk: z.enum(RISK_LEVELS),
    inspectors: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
    unassigned: z.string().nullable(),
    status: z.enum(['assigned', 'done']),
    outcome: z.enum(TASK_OUTCOMES).nullable(),
    outcomeLabel: z.string().nullable(),
    note: z.string().nullable(),
    inspection: z.object({ id: z.string(), date: DateOnlySchema, total: z.number() }).strict().nullable(),
    doneAt: z.string().nullable(),
  })
  .strict();
export type PlanTask = z.infer<typeof PlanTaskSchema>;

export const PlanSchema = z
  .object({
    id: ObjectIdSchema,
    number: z.string(),
    title: z.string(),
    from: DateOnlySchema,
    to: DateOnlySchema,
    districts: z.array(z.string()),
    districtsLabel: z.string(),
    count: z.number().int(),
    seed: z.string(),
    state: z.enum(['drawing', 'published']),
    /** Shops that could be drawn, tasks drawn, tasks without two inspectors, tasks done. */
    eligible: z.number().int(),
    drawn: z.number().int(),
    unassigned: z.number().int(),
    done: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
  })
  .strict();
export type Plan = z.infer<typeof PlanSchema>;

export const PlanDetailSchema = PlanSchema.extend({ tasks: z.array(PlanTaskSchema) }).strict();
export type PlanDetail = z.infer<typeof PlanDetailSchema>;

/** Open data to re-run a plan's draw: its exact input (seed included) and the tasks it drew. */
export const PlanDrawSchema = z
  .object({ planId: ObjectIdSchema, input: DrawInputSchema, tasks: z.array(DrawnTaskSchema) })
  .strict();
export type PlanDraw = z.infer<typeof PlanDrawSchema>;
