import { addMonths, chinaDate, chinaMidnight, formatChineseDate } from './dates.js';
import { DYNAMIC_GRADE_LABELS, type DynamicGrade } from './inspection.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** The numbers DOMAIN.md marks configurable, with its defaults. */
export const GradingConfigSchema = z.object({
  /** Dynamic grade of one inspection by its score: 优秀 ≥ excellent, 良好 ≥ good, 一般 ≥ fair, else 不合格. */
  dynamicCutoffs: z.object({ excellent: z.number(), good: z.number(), fair: z.number() }),
  /** Yearly credit grade by the adjusted score: A ≥ a, B ≥ b, else C. */
  creditCutoffs: z.object({ a: z.number(), b: z.number() }),
  lookbackMonths: z.number().int().positive(),
  newShopMonths: z.number().int().min(0),
  incidentMonths: z.number().int().min(0),
  staleMonths: z.number().int().positive(),
  adjustments: z.object({
    selfCheckBonusRate: z.number(),
    selfCheckBonus: z.number(),
    selfCheckPenaltyRate: z.number(),
    selfCheckPenalty: z.number(),
    aiCapturePoints: z.number(),
    aiCaptureMax: z.number(),
    openRectificationPoints: z.number(),
    openRectificationMax: z.number(),
    upheldComplaintPoints: z.number(),
    upheldComplaintMax: z.number(),
    penaltyPoints: z.number(),
    penaltyMax: z.number(),
  }),
});
export type GradingConfig = z.infer<typeof GradingConfigSchema>;

export const DEFAULT_GRADING_CONFIG: GradingConfig = {
  dynamicCutoffs: { excellent: 90, good: 75, fair: 60 },
  creditCutoffs: { a: 90, b: 75 },
  lookbackMonths: 12,
  newShopMonths: 3,
  incidentMonths: 6,
  staleMonths: 12,
  adjustments: {
    selfCheckBonusRate: 0.95,
    selfCheckBonus: 2,
    selfCheckPenaltyRate: 0.8,
    selfCheckPenalty: 5,
    aiCapturePoints: 1,
    aiCaptureMax: 5,
    openRectificationPoints: 3,
    openRectificationMax: 9,
    upheldComplaintPoints: 2,
    upheldComplaintMax: 6,
    penaltyPoints: 5,
    penaltyMax: 15,
  },
};

export function dynamicGrade(score: number, config: GradingConfig = DEFAULT_GRADING_CONFIG): DynamicGrade {
  const c = config.dynamicCutoffs;
  if (score >= c.excellent) return 'excellent';
  if (score >= c.good) return 'good';
  if (score >= c.fair) return 'fair';
  return 'failed';
}

export const CREDIT_GRADES = ['A', 'B', 'C'] as const;
export type CreditGradeLetter = (typeof CREDIT_GRADES)[number];
export const GRADE_STATUSES = ['rated', 'stale', 'pending_new', 'pending_incident', 'unrated'] as const;
export type GradeStatus = (typeof GRADE_STATUSES)[number];

/** 三色码: the letter always comes with its colour, word and face, so colour is never the only signal. */
export const GRADE_DISPLAY: Record<
  CreditGradeLetter,
  { colour: 'green' | 'yellow' | 'red'; label: string; smiley: 'laugh' | 'smile' | 'cry' }
> = {
  A: { colour: 'green', label: '优秀', smiley: 'laugh' },
  B: { colour: 'yellow', label: '良好', smiley: 'smile' },
  C: { colour: 'red', label: '一般', smiley: 'cry' },
};

export const GradeInputsSchema = z.object({
  licensedAt: z.string(),
  inspections: z.array(z.object({ date: z.string(), score: z.number() })),
  incidents: z.array(z.object({ date: z.string() })),
  penalties: z.array(z.object({ date: z.string() })),
  /** Share of self-check records made on time over the lookback (0–1); null until self-checks exist. */
  selfCheckOnTimeRate: z.number().min(0).max(1).nullable(),
  aiCaptures: z.number().int().min(0).nullable(),
  openRectifications: z.number().int().min(0).nullable(),
  upheldComplaints: z.number().int().min(0).nullable(),
});
export type GradeInputs = z.infer<typeof GradeInputsSchema>;

export const CreditGradeSchema = z.object({
  status: z.enum(GRADE_STATUSES),
  grade: z.enum(CREDIT_GRADES).nullable(),
  colour: z.enum(['green', 'yellow', 'red', 'grey']),
  label: z.string(),
  smiley: z.enum(['laugh', 'smile', 'cry']).nullable(),
  /** The date the grade speaks for: its latest inspection (YYYY-MM-DD). */
  ratedOn: z.string().nullable(),
  score: z.number().nullable(),
  stale: z.boolean(),
  reasons: z.array(z.string()),
  computedAt: z.string(),
  /** When the result may change by the passing of time alone (a period ends, an inspection ages out). */
  validUntil: z.string().nullable(),
});
export type CreditGrade = z.infer<typeof CreditGradeSchema>;

const round1 = (n: number) => Math.round(n * 10) / 10;

function describeInspections(grades: DynamicGrade[]): string {
  const count = grades.length;
  const distinct = [...new Set(grades)];
  if (distinct.length === 1 && distinct[0]) {
    return count === 1
      ? `近12个月检查1次，结果为${DYNAMIC_GRADE_LABELS[distinct[0]]}`
      : `近12个月检查${count}次，均为${DYNAMIC_GRADE_LABELS[distinct[0]]}`;
  }
  const parts = (['excellent', 'good', 'fair', 'failed'] as const)
    .map((g) => [g, grades.filter((x) => x === g).length] as const)
    .filter(([, n]) => n > 0)
    .map(([g, n]) => `${DYNAMIC_GRADE_LABELS[g]}${n}次`);
  return `近12个月检查${count}次：${parts.join('、')}`;
}

/**
 * The yearly credit grade (三色码) at `now`, with its reasons in plain Chinese. Pure: the same
 * inputs and time give the same result.
 */
export function computeCreditGrade(
  inputs: GradeInputs,
  now: Date,
  config: GradingConfig = DEFAULT_GRADING_CONFIG,
): CreditGrade {
  const today = chinaDate(now);
  const computedAt = now.toISOString();
  const future: string[] = [];
  const pending = (status: GradeStatus, reasons: string[]): CreditGrade => ({
    status,
    grade: null,
    colour: 'grey',
    // New shops and shops under an incident investigation are both ungraded, for different reasons.
    label: status === 'unrated' ? '暂未评级' : status === 'pending_incident' ? '事故调查期间暂停评级' : '新开业待评级',
    smiley: null,
    ratedOn: null,
    score: null,
    stale: false,
    reasons,
    computedAt,
    validUntil: future.length ? chinaMidnight(future.sort()[0] as string).toISOString() : null,
  });

  // 1. New shops are not graded in their first months.
  const newUntil = addMonths(inputs.licensedAt, config.newShopMonths);
  if (today < newUntil) {
    future.push(newUntil);
    return pending('pending_new', [
      `新开业：${formatChineseDate(inputs.licensedAt)}取得许可，满${config.newShopMonths}个月后评级（${formatChineseDate(newUntil)}起）`,
    ]);
  }
  // 2. Nor for some months after a food-safety incident.
  const incidentUntil = inputs.incidents
    .map((i) => addMonths(i.date, config.incidentMonths))
    .filter((until) => today < until)
    .sort()
    .pop();
  if (incidentUntil) {
    future.push(incidentUntil);
    return pending('pending_incident', [
      `发生食品安全事故后${config.incidentMonths}个月内暂停评级（${formatChineseDate(incidentUntil)}起恢复）`,
    ]);
  }

  // 3. The window: the last 12 months; a shop not inspected in them keeps its last grade, marked stale.
  const sorted = [...inputs.inspections].filter((i) => i.date <= today).sort((a, b) => a.date.localeCompare(b.date));
  const latest = sorted[sorted.length - 1];
  if (!latest) return pending('unrated', ['尚无监督检查记录，暂未评级']);
  const windowStart = addMonths(today, -config.lookbackMonths);
  const stale = latest.date <= addMonths(today, -config.staleMonths);
  const windowEnd = stale ? latest.date : today;
  const from = stale ? addMonths(latest.date, -config.lookbackMonths) : windowStart;
  const inWindow = sorted.filter((i) => i.date > from && i.date <= windowEnd);
  if (!stale) {
    // The result changes when the oldest inspection in the window ages out (or the latest goes stale).
    const oldest = inWindow[0];
    if (oldest) future.push(addMonths(oldest.date, config.lookbackMonths));
    future.push(addMonths(latest.date, config.staleMonths));
  }

  const reasons: string[] = [];
  const dynamicGrades = inWindow.map((i) => dynamicGrade(i.score, config));
  reasons.push(
    describeInspections(dynamicGrades).replace('近12个月', stale ? '评级期内' : `近${config.lookbackMonths}个月`),
  );
  const average = inWindow.reduce((s, i) => s + i.score, 0) / inWindow.length;
  reasons.push(`检查平均得分 ${round1(average)} 分`);

  // 4. Adjustments, each explained.
  const a = config.adjustments;
  let score = average;
  if (inputs.selfCheckOnTimeRate !== null) {
    const pct = Math.round(inputs.selfCheckOnTimeRate * 100);
    if (inputs.selfCheckOnTimeRate >= a.selfCheckBonusRate) {
      score += a.selfCheckBonus;
      reasons.push(`自查按时率 ${pct}%，加 ${a.selfCheckBonus} 分`);
    } else if (inputs.selfCheckOnTimeRate < a.selfCheckPenaltyRate) {
      score -= a.selfCheckPenalty;
      reasons.push(
        `自查按时率 ${pct}%，低于 ${Math.round(a.selfCheckPenaltyRate * 100)}%，扣 ${a.selfCheckPenalty} 分`,
      );
    }
  }
  const deduct = (count: number | null, points: number, max: number, text: (n: number, p: number) => string) => {
    if (!count) return;
    const p = Math.min(count * points, max);
    score -= p;
    reasons.push(text(count, p));
  };
  deduct(inputs.aiCaptures, a.aiCapturePoints, a.aiCaptureMax, (n, p) => `AI 抓拍违规 ${n} 次，扣 ${p} 分`);
  deduct(
    inputs.openRectifications,
    a.openRectificationPoints,
    a.openRectificationMax,
    (n, p) => `未完成整改 ${n} 项，扣 ${p} 分`,
  );
  deduct(
    inputs.upheldComplaints,
    a.upheldComplaintPoints,
    a.upheldComplaintMax,
    (n, p) => `查实投诉 ${n} 件，扣 ${p} 分`,
  );
  const penalties = inputs.penalties.filter((p) => p.date > from && p.date <= windowEnd);
  deduct(
    penalties.length,
    a.penaltyPoints,
    a.penaltyMax,
    (n, p) => `近${config.lookbackMonths}个月行政处罚 ${n} 次，扣 ${p} 分`,
  );
  if (!stale) for (const p of penalties) future.push(addMonths(p.date, config.lookbackMonths));

  score = round1(Math.max(0, Math.min(100, score)));
  let grade: CreditGradeLetter = score >= config.creditCutoffs.a ? 'A' : score >= config.creditCutoffs.b ? 'B' : 'C';
  if (dynamicGrades.includes('failed') && grade !== 'C') {
    grade = 'C';
    reasons.push('期内有检查结果为不合格，等级不高于 C');
  }
  const display = GRADE_DISPLAY[grade];
  reasons.push(`综合得分 ${score} 分，评为 ${grade} 级（${display.label}）`);
  if (stale) {
    reasons.push(`最近一次检查在${formatChineseDate(latest.date)}，已超过${config.staleMonths}个月，等级仅供参考`);
  }
  const nextChange = future.filter((d) => d > today).sort()[0];
  return {
    status: stale ? 'stale' : 'rated',
    grade,
    colour: display.colour,
    label: display.label,
    smiley: display.smiley,
    ratedOn: latest.date,
    score,
    stale,
    reasons,
    computedAt,
    validUntil: nextChange ? chinaMidnight(nextChange).toISOString() : null,
  };
}
