import { aiViolationCount, openNoticeCount } from '../enforcement/enforcement.facts';
import type { Connection, Types } from 'mongoose';
import {
  addMonths,
  chinaDate,
  computeCreditGrade,
  computeRiskLevel,
  type CreditGrade,
  type GradeInputs,
  type GradingConfig,
  type RiskConfig,
  type RiskResult,
} from '@ygsa/shared';
import type { EstablishmentDoc } from '../establishments/establishment.facts';
import { gradeSubject, storeGrade } from '../establishments/establishment.store';
import { directoryOf } from '../establishments/shop-directory';
import { gradeRecords, riskRecords } from '../records/record.facts';
import { gradeHistoryModel } from './grade-history.model';
import { shopChanged, type ShopChange, type ShopChangeReason } from '../../events/shop-events';
import { dailyOnTimeRate } from '../selfchecks/selfcheck.facts';
import { upheldCount } from '../complaints/complaint.facts';

export interface GradingDeps {
  db: Connection;
  grading: GradingConfig;
  risk: RiskConfig;
}

/** Everything the grade depends on: the facts each owning module states about the shop. */
export async function gatherGradeInputs(
  db: Connection,
  est: Pick<EstablishmentDoc, '_id' | 'licensedAt'>,
  lookbackDays = 365,
  now = new Date(),
): Promise<GradeInputs> {
  const since = new Date(now.getTime() - lookbackDays * 86_400_000);
  const [records, selfCheckOnTimeRate, upheldComplaints, aiCaptures, open] = await Promise.all([
    gradeRecords(db, est._id),
    dailyOnTimeRate(db, est._id, lookbackDays, now),
    upheldCount(db, est._id, lookbackDays, now),
    aiViolationCount(db, est._id, since),
    openNoticeCount(db, est._id),
  ]);
  return {
    licensedAt: est.licensedAt,
    ...records,
    // Null until the shop keeps self-checks here (no member bound yet).
    selfCheckOnTimeRate,
    aiCaptures,
    openRectifications: open,
    upheldComplaints,
  };
}

/** The grade of a shop with no records yet (待评级 while new, else 暂未评级). */
export function initialGrade(licensedAt: string, config: GradingConfig, now = new Date()): CreditGrade {
  const none = { selfCheckOnTimeRate: null, aiCaptures: null, openRectifications: null, upheldComplaints: null };
  return computeCreditGrade({ licensedAt, inspections: [], incidents: [], penalties: [], ...none }, now, config);
}

/** Whether the public would see a difference (not just a new computation time). */
function sameShown(a: CreditGrade | undefined, b: CreditGrade): boolean {
  if (!a) return false;
  return (
    a.status === b.status &&
    a.grade === b.grade &&
    a.stale === b.stale &&
    a.ratedOn === b.ratedOn &&
    a.score === b.score &&
    JSON.stringify(a.reasons) === JSON.stringify(b.reasons)
  );
}

/** Recomputes and stores a shop's grade; records it in the history when what is shown changes. */
export async function recomputeGrade(
  deps: GradingDeps,
  est: Pick<EstablishmentDoc, '_id' | 'licensedAt' | 'grade'>,
  trigger: string,
  now = new Date(),
): Promise<CreditGrade> {
  const days = deps.grading.lookbackMonths * 31;
  const grade = computeCreditGrade(await gatherGradeInputs(deps.db, est, days, now), now, deps.grading);
  if (!sameShown(est.grade, grade)) {
    await gradeHistoryModel(deps.db).create({ establishmentId: est._id, grade, trigger, shownFrom: now });
  }
  await storeGrade(deps.db, est._id, grade);
  return grade;
}

/** Whether time alone may have changed a stored grade: not computed today, or past its validity. */
function outdated(grade: CreditGrade | undefined, now: Date): boolean {
  if (!grade) return true;
  // The self-check on-time rate moves with each day, so a grade is refreshed at least daily.
  if (chinaDate(new Date(grade.computedAt)) !== chinaDate(now)) return true;
  return grade.validUntil !== null && now >= new Date(grade.validUntil);
}

/**
 * The grade to show now. A read never writes: an outdated stored grade (the refresh job has not
 * reached it yet) is computed for this answer only; the job and the writers' recomputes store it.
 */
export async function currentGrade(
  deps: GradingDeps,
  est: Pick<EstablishmentDoc, '_id' | 'licensedAt' | 'grade'>,
  now = new Date(),
): Promise<CreditGrade> {
  if (!outdated(est.grade, now)) return est.grade;
  const days = deps.grading.lookbackMonths * 31;
  return computeCreditGrade(await gatherGradeInputs(deps.db, est, days, now), now, deps.grading);
}

/**
 * The grade-refresh job: stores the grade of every shop whose stored one time has outdated
 * (computed before today, or past its validUntil), oldest first, within the run's time budget (the
 * rest wait for the next run). Each change shown enters the grade history with the trigger "time".
 */
export async function refreshOutdatedGrades(
  deps: GradingDeps,
  now = new Date(),
  limit = Infinity,
  budgetMs = 9 * 60_000,
) {
  // The directory holds every shop's stored grade: which are due is known without a search.
  const dir = await directoryOf(deps.db, now);
  const due = [...dir.every()]
    .filter((e) => outdated(e.est.grade, now))
    .sort((a, b) => (a.est.grade?.computedAt ?? '').localeCompare(b.est.grade?.computedAt ?? ''))
    .slice(0, limit);
  const until = Date.now() + budgetMs;
  let refreshed = 0;
  for (const entry of due) {
    if (Date.now() > until) break; // the rest wait for the next run
    const shop = await gradeSubject(deps.db, entry.est._id);
    if (!shop || !outdated(shop.grade, now)) continue;
    await recomputeGrade(deps, shop, 'time', now);
    // What lists and the cached file show follows (grading does not subscribe to this reason).
    await shopChanged(deps.db, String(shop._id), 'grade', { trigger: 'time', at: now });
    refreshed += 1;
  }
  return { refreshed };
}

/** The shop events that move a grade (the rest change what the file shows, not the grade). */
const GRADE_REASONS: ReadonlySet<ShopChangeReason> = new Set([
  'licence-dates',
  'inspection',
  'incident',
  'penalty',
  'self-check',
  'complaint-upheld',
  'enforcement',
]);

/** Grading's subscriber to shop events: recomputes and stores the grade when an input changed. */
export async function regradeOnChange(deps: GradingDeps, change: ShopChange): Promise<void> {
  if (!change.shopId || !GRADE_REASONS.has(change.reason)) return;
  const est = await gradeSubject(deps.db, change.shopId);
  if (est) await recomputeGrade(deps, est, change.trigger, change.at);
}

export async function gradeHistory(db: Connection, establishmentId: Types.ObjectId) {
  const rows = await gradeHistoryModel(db).find({ establishmentId }).sort({ shownFrom: -1 }).limit(200).lean();
  return rows.map((r) => ({ shownFrom: r.shownFrom.toISOString(), trigger: r.trigger, grade: r.grade }));
}

/** 风险分级 from the establishment and its last 12 months of records (regulators only). */
export async function riskOf(deps: GradingDeps, est: EstablishmentDoc, now = new Date()): Promise<RiskResult> {
  const since = addMonths(chinaDate(now), -12);
  const r = await riskRecords(deps.db, est._id, since);
  return computeRiskLevel(
    {
      businessType: est.businessType,
      floorAreaM2: est.floorAreaM2,
      dinersPerMeal: est.dinersPerMeal,
      latestInspectionScore: r.latestInspectionScore,
      failedSamplings12m: r.failedSamplings,
      upheldComplaints12m: await upheldCount(deps.db, est._id, 365, now),
      penalties12m: r.penalties,
      incidents12m: r.incidents,
    },
    deps.risk,
  );
}
