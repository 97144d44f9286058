import type { Connection, Types } from 'mongoose';
import { recordModel } from './record.models';

/** Read-only facts the records module states about a shop (grading, risk). Imports only its models. */

/** The dated inputs of the credit grade: inspections (with their score), incidents, penalties. */
export async function gradeRecords(db: Connection, establishmentId: Types.ObjectId) {
  const by = { establishmentId };
  const [inspections, incidents, penalties] = await Promise.all([
    recordModel(db, 'Inspection').find(by, { date: 1, total: 1 }).lean(),
    recordModel(db, 'Incident').find(by, { date: 1 }).lean(),
    recordModel(db, 'Penalty').find(by, { date: 1 }).lean(),
  ]);
  return {
    inspections: inspections.map((i) => ({ date: i.date, score: i.total })),
    incidents: incidents.map((i) => ({ date: i.date })),
    penalties: penalties.map((p) => ({ date: p.date })),
  };
}

/** The inputs of the risk level from the records: the latest score and the counts since `since`. */
export async function riskRecords(db: Connection, establishmentId: Types.ObjectId, since: string) {
  const by = { establishmentId };
  const recent = { ...by, date: { $gt: since } };
  const [latest, failedSamplings, penalties, incidents] = await Promise.all([
    recordModel(db, 'Inspection').findOne(by, { total: 1 }).sort({ date: -1 }).lean(),
    recordModel(db, 'Sampling').countDocuments({ ...recent, passed: false }),
    recordModel(db, 'Penalty').countDocuments(recent),
    recordModel(db, 'Incident').countDocuments(recent),
  ]);
  return { latestInspectionScore: latest?.total ?? null, failedSamplings, penalties, incidents };
}

/** The public part of a shop's records since `since` (a China date), newest first: inspections and penalties (双公示). */
export async function publicRecords(db: Connection, establishmentId: Types.ObjectId, since: string) {
  const recent = { establishmentId, date: { $gte: since } };
  const [inspections, penalties] = await Promise.all([
    recordModel(db, 'Inspection').find(recent, { date: 1, total: 1, findings: 1 }).sort({ date: -1 }).lean(),
    recordModel(db, 'Penalty')
      .find(recent, { decisionNumber: 1, date: 1, violation: 1, penalty: 1 })
      .sort({ date: -1 })
      .lean(),
  ]);
  return { inspections, penalties };
}

/** Which of these shops were penalised after `since` (a China date). */
export async function penalisedShops(db: Connection, ids: Types.ObjectId[], since: string): Promise<Set<string>> {
  const rows = await recordModel(db, 'Penalty')
    .find({ establishmentId: { $in: ids }, date: { $gt: since } }, { establishmentId: 1 })
    .lean();
  return new Set(rows.map((p) => String(p.establishmentId)));
}

/** The date (China) of each shop's latest penalty after `since`, for the shops that have one. */
export async function latestPenalties(db: Connection, ids: Types.ObjectId[], since: string) {
  const rows = await recordModel(db, 'Penalty')
    .find({ establishmentId: { $in: ids }, date: { $gt: since } }, { establishmentId: 1, date: 1 })
    .lean();
  const latest = new Map<string, string>();
  for (const p of rows) {
    const id = String(p.establishmentId);
    if ((latest.get(id) ?? '') < p.date) latest.set(id, p.date);
  }
  return latest;
}
