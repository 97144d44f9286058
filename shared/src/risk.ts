import { CANTEEN_TYPES, type BusinessType } from './establishment.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

export const RISK_LEVELS = ['A', 'B', 'C', 'D'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RiskConfigSchema = z.object({
  /** Lowest score of B, C and D (A below b). */
  cutoffs: z.object({ b: z.number(), c: z.number(), d: z.number() }),
  /** Business types always at D (DOMAIN.md: caterers for patients, elderly or students, central kitchens…). */
  alwaysD: z.array(z.string()),
});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  cutoffs: { b: 30, c: 45, d: 60 },
  alwaysD: [
    'school_canteen',
    'childcare_canteen',
    'elderly_canteen',
    'hospital_canteen',
    'other_canteen',
    'central_kitchen',
    'meal_distributor',
  ],
};

/** Minimum and maximum routine inspections a year by level. */
export const INSPECTIONS_PER_YEAR: Record<RiskLevel, { min: number; max: number }> = {
  A: { min: 1, max: 1 },
  B: { min: 1, max: 2 },
  C: { min: 2, max: 3 },
  D: { min: 3, max: 4 },
};

/** Points for the kind of business: who eats there and how much is cooked (part of the static 40). */
const TYPE_POINTS: Record<BusinessType, number> = {
  restaurant: 16,
  snack_bar: 10,
  beverage_shop: 6,
  school_canteen: 20,
  childcare_canteen: 20,
  elderly_canteen: 20,
  hospital_canteen: 20,
  other_canteen: 14,
  central_kitchen: 20,
  meal_distributor: 20,
};

/** DOMAIN.md size points: catering by floor area, canteens by diners per meal. */
export function sizePoints(type: BusinessType, floorAreaM2: number, dinersPerMeal: number): number {
  if (CANTEEN_TYPES.includes(type)) {
    if (dinersPerMeal <= 50) return 2;
    if (dinersPerMeal <= 300) return 4;
    if (dinersPerMeal <= 500) return 7;
    return 10;
  }
  if (floorAreaM2 <= 150) return 2;
  if (floorAreaM2 <= 500) return 4;
  if (floorAreaM2 <= 1000) return 6;
  if (floorAreaM2 <= 3000) return 8;
  return 10;
}

export interface RiskInputs {
  businessType: BusinessType;
  floorAreaM2: number;
  dinersPerMeal: number;
  /** Score of the latest inspection, if any. */
  latestInspectionScore: number | null;
  failedSamplings12m: number;
  upheldComplaints12m: number;
  penalties12m: number;
  incidents12m: number;
}

export interface RiskResult {
  level: RiskLevel;
  score: number;
  staticScore: number;
  dynamicScore: number;
  inspectionsPerYear: { min: number; max: number };
  reasons: string[];
}

/** 风险分级: static (≤40) + dynamic (≤60) score, higher is riskier; for regulators only. */
export function computeRiskLevel(inputs: RiskInputs, config: RiskConfig = DEFAULT_RISK_CONFIG): RiskResult {
  const reasons: string[] = [];
  const typePts = TYPE_POINTS[inputs.businessType];
  const sizePts = sizePoints(inputs.businessType, inputs.floorAreaM2, inputs.dinersPerMeal);
  // Many diners at once raise the stakes whatever the type.
  const dinerPts =
    inputs.dinersPerMeal > 1000 ? 10 : inputs.dinersPerMeal > 300 ? 6 : inputs.dinersPerMeal > 100 ? 3 : 0;
  const staticScore = Math.min(40, typePts + sizePts + dinerPts);
  reasons.push(`静态风险 ${staticScore} 分（业态 ${typePts}、规模 ${sizePts}、就餐人数 ${dinerPts}）`);

  let dynamicScore = 0;
  const add = (points: number, text: string) => {
    if (points <= 0) return;
    dynamicScore += points;
    reasons.push(text);
  };
  const s = inputs.latestInspectionScore;
  if (s === null) add(15, '尚无检查记录，动态风险加 15 分');
  else if (s < 60) add(25, `最近检查 ${s} 分（不合格），加 25 分`);
  else if (s < 75) add(15, `最近检查 ${s} 分（一般），加 15 分`);
  else if (s < 90) add(8, `最近检查 ${s} 分（良好），加 8 分`);
  add(Math.min(inputs.failedSamplings12m * 5, 15), `近12个月抽检不合格 ${inputs.failedSamplings12m} 次`);
  add(Math.min(inputs.upheldComplaints12m * 3, 9), `近12个月查实投诉 ${inputs.upheldComplaints12m} 件`);
  add(Math.min(inputs.penalties12m * 5, 10), `近12个月行政处罚 ${inputs.penalties12m} 次`);
  add(inputs.incidents12m > 0 ? 10 : 0, '近12个月发生食品安全事故');
  dynamicScore = Math.min(60, dynamicScore);

  const score = staticScore + dynamicScore;
  const c = config.cutoffs;
  let level: RiskLevel = score >= c.d ? 'D' : score >= c.c ? 'C' : score >= c.b ? 'B' : 'A';
  if (level !== 'D' && config.alwaysD.includes(inputs.businessType)) {
    level = 'D';
    reasons.push('该业态（学生、老人、病人集中用餐或集体配餐）一律列为 D 级');
  }
  reasons.push(`风险分 ${score} 分，${level} 级，每年至少检查 ${INSPECTIONS_PER_YEAR[level].min} 次`);
  return { level, score, staticScore, dynamicScore, inspectionsPerYear: INSPECTIONS_PER_YEAR[level], reasons };
}
