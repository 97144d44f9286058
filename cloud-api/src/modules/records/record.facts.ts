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
