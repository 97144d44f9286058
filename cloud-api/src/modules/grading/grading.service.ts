import { captureModel, noticeModel } from '../enforcement/enforcement.models';
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
import { establishmentModel, type EstablishmentDoc } from '../establishments/establishment.model';
import { recordModel } from '../records/record.models';
import { gradeHistoryModel } from './grade-history.model';
import { dailyOnTimeRate } from '../selfchecks/selfcheck.service';
import { upheldCount } from '../complaints/complaint.service';

export interface GradingDeps {
  db: Connection;
  grading: GradingConfig;
  risk: RiskConfig;
}

/** Everything the grade depends on, read from the records. */
export async function gatherGradeInputs(
  db: Connection,
  est: Pick<EstablishmentDoc, '_id' | 'licensedAt'>,
  lookbackDays = 365,
  now = new Date(),
): Promise<GradeInputs> {
  const by = { establishmentId: est._id };
  const since = new Date(now.getTime() - lookbackDays * 86_400_000);
  const [inspections, incidents, penalties, selfCheckOnTimeRate, upheldComplaints, aiCaptures, open] =
    await Promise.all([
      recordModel(db, 'Inspection').find(by, { date: 1, total: 1 }).lean(),
      recordModel(db, 'Incident').find(by, { date: 1 }).lean(),
      recordModel(db, 'Penalty').find(by, { date: 1 }).lean(),
      dailyOnTimeRate(db, est._id, lookbackDays, now),
      upheldCount(db, est._id, lookbackDays, now),
      // Violations the AI caught: each capture that started a ladder step (captures of one
      // incident join its step; low-confidence ones are evidence only): a burst counts once.
      captureModel(db).countDocuments({ ...by, capturedAt: { $gte: since }, 'outcome.created': true }),
      noticeModel(db).countDocuments({ ...by, status: { $ne: 'accepted' } }),
    ]);
  return {
    licensedAt: est.licensedAt,
    inspections: inspections.map((i) => ({ date: i.date, score: i.total })),
    incidents: incidents.map((i) => ({ date: i.date })),
    penalties: penalties.map((p) => ({ date: p.date })),
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
  await establishmentModel(deps.db).updateOne({ _id: est._id }, { $set: { grade } });
  return grade;
}

/** The grade to show now: the stored one, unless time alone has changed it since. */
export async function currentGrade(
  deps: GradingDeps,
  est: Pick<EstablishmentDoc, '_id' | 'licensedAt' | 'grade'>,
  now = new Date(),
): Promise<CreditGrade> {
  const until = est.grade?.validUntil;
  // The self-check on-time rate moves with each day, so a grade is recomputed at least daily.
  const computedToday = est.grade && chinaDate(new Date(est.grade.computedAt)) === chinaDate(now);
  if (est.grade && computedToday && (!until || now < new Date(until))) return est.grade;
  return recomputeGrade(deps, est, 'time', now);
}

export async function gradeHistory(db: Connection, establishmentId: Types.ObjectId) {
  const rows = await gradeHistoryModel(db).find({ establishmentId }).sort({ shownFrom: -1 }).limit(200).lean();
  return rows.map((r) => ({ shownFrom: r.shownFrom.toISOString(), trigger: r.trigger, grade: r.grade }));
}

/** 风险分级 from the establishment and its last 12 months of records (regulators only). */
export async function riskOf(deps: GradingDeps, est: EstablishmentDoc, now = new Date()): Promise<RiskResult> {
  const since = addMonths(chinaDate(now), -12);
  const by = { establishmentId: est._id };
  const recent = { ...by, date: { $gt: since } };
  const [latest, failedSamplings, penalties, incidents] = await Promise.all([
    recordModel(deps.db, 'Inspection').findOne(by, { total: 1 }).sort({ date: -1 }).lean(),
    recordModel(deps.db, 'Sampling').countDocuments({ ...recent, passed: false }),
    recordModel(deps.db, 'Penalty').countDocuments(recent),
    recordModel(deps.db, 'Incident').countDocuments(recent),
  ]);
  return computeRiskLevel(
    {
      businessType: est.businessType,
      floorAreaM2: est.floorAreaM2,
      dinersPerMeal: est.dinersPerMeal,
      latestInspectionScore: latest?.total ?? null,
      failedSamplings12m: failedSamplings,
      upheldComplaints12m: await upheldCount(deps.db, est._id, 365, now),
      penalties12m: penalties,
      incidents12m: incidents,
    },
    deps.risk,
  );
}
