import type { Connection, Types } from 'mongoose';
import { recordModel } from './record.models';
import { entries, recordLedgerOf } from './record.ledger';

/** Read-only facts the records module states about a shop (grading, risk). Imports only its models. */

/** The dated inputs of the credit grade: inspections (with their score), incidents, penalties. */
export async function gradeRecords(db: Connection, establishmentId: Types.ObjectId) {
  const ledger = await recordLedgerOf(db, establishmentId);
  return {
    inspections: entries(ledger, 'Inspection').map((i) => ({ date: i.date, score: i.total })),
    incidents: entries(ledger, 'Incident').map((i) => ({ date: i.date })),
    penalties: entries(ledger, 'Penalty').map((p) => ({ date: p.date })),
  };
}

/** The inputs of the risk level from the records: the latest score and the counts since `since`. */
export async function riskRecords(db: Connection, establishmentId: Types.ObjectId, since: string) {
  const ledger = await recordLedgerOf(db, establishmentId);
  const latest = entries(ledger, 'Inspection').sort((a, b) => b.date.localeCompare(a.date))[0];
  return {
    latestInspectionScore: latest?.total ?? null,
    failedSamplings: entries(ledger, 'Sampling').filter((s) => s.date > since && !s.passed).length,
    penalties: entries(ledger, 'Penalty').filter((p) => p.date > since).length,
    incidents: entries(ledger, 'Incident').filter((i) => i.date > since).length,
  };
}

/** The public part of a shop's records since `since` (a China date), newest first: inspections and penalties (双公示). */
export async function publicRecords(db: Connection, establishmentId: Types.ObjectId, since: string) {
  const ledger = await recordLedgerOf(db, establishmentId);
  const newest = <T extends { date: string }>(xs: T[]) =>
    xs.filter((x) => x.date >= since).sort((a, b) => b.date.localeCompare(a.date));
  return { inspections: newest(entries(ledger, 'Inspection')), penalties: newest(entries(ledger, 'Penalty')) };
}

/** The date (China) of each shop's latest penalty after `since`, for the shops that have one. */
export async function latestPenalties(db: Connection, ids: Types.ObjectId[], since: string) {
  if (ids.length === 1) {
    const [id] = ids as [Types.ObjectId];
    const dates = entries(await recordLedgerOf(db, id), 'Penalty')
      .map((p) => p.date)
      .filter((d) => d > since)
      .sort();
    return new Map(dates.length ? [[String(id), dates.at(-1) as string]] : []);
  }
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
