import type { Connection, Types } from 'mongoose';
import { markMigrated, migrated } from '../../data/migrations';
import {
  recordLedgerModel,
  recordModel,
  type RecordDocs,
  type RecordKind,
  type RecordLedgerDoc,
} from './record.models';

const KINDS: RecordKind[] = ['Inspection', 'Sampling', 'Penalty', 'Incident'];

/** The part of a record its ledger keeps. */
function entryOf<K extends RecordKind>(kind: K, r: RecordDocs[K]) {
  const x = r as unknown as Record<string, unknown>;
  switch (kind) {
    case 'Inspection':
      return { date: x.date, total: x.total, findings: x.findings };
    case 'Sampling':
      return { date: x.date, passed: x.passed };
    case 'Penalty':
      return { date: x.date, decisionNumber: x.decisionNumber, violation: x.violation, penalty: x.penalty };
    default:
      return { date: x.date };
  }
}

/** Enters a record in its shop's ledger (the same entry however often a retry repeats it). */
export async function noteRecord<K extends RecordKind>(db: Connection, kind: K, r: RecordDocs[K]): Promise<void> {
  const doc = r as unknown as { _id: Types.ObjectId; establishmentId: Types.ObjectId };
  await recordLedgerModel(db).updateOne(
    { _id: doc.establishmentId },
    { $set: { [`${kind}.${String(doc._id)}`]: entryOf(kind, r) } },
    { upsert: true },
  );
}

const MIGRATION = 'record-ledgers';
const emptyLedger = (shop: Types.ObjectId) =>
  ({ _id: shop, Inspection: {}, Sampling: {}, Penalty: {}, Incident: {} }) as RecordLedgerDoc;

/** Builds every shop's record ledger that is missing: one read of each record collection, once per database. */
export async function buildAllRecordLedgers(db: Connection): Promise<number> {
  if (await migrated(db, MIGRATION)) return 0;
  const built = new Map<string, Record<string, unknown>>();
  for (const kind of KINDS) {
    for (const r of await recordModel(db, kind).find({}).lean()) {
      const doc = r as unknown as { _id: Types.ObjectId; establishmentId: Types.ObjectId };
      const $set = built.get(String(doc.establishmentId)) ?? {};
      $set[`${kind}.${String(doc._id)}`] = entryOf(kind, r as RecordDocs[typeof kind]);
      built.set(String(doc.establishmentId), $set);
    }
  }
  for (const [shop, $set] of built) await recordLedgerModel(db).updateOne({ _id: shop }, { $set }, { upsert: true });
  await markMigrated(db, MIGRATION);
  return built.size;
}

/**
 * The shop's record ledger. Once every ledger was built (buildAllRecordLedgers, at the API's start),
 * a shop without one has no records; before that, it is built from the records when asked for.
 */
export async function recordLedgerOf(db: Connection, shop: Types.ObjectId): Promise<RecordLedgerDoc> {
  const ledger = await recordLedgerModel(db).findById(shop).lean();
  if (ledger) return ledger;
  if (await migrated(db, MIGRATION)) return emptyLedger(shop);
  const built = emptyLedger(shop);
  /** Each entry by its path: merged with whatever a writer noted meanwhile, never replacing it. */
  const $set: Record<string, unknown> = {};
  for (const kind of KINDS) {
    const rows = await recordModel(db, kind).find({ establishmentId: shop }).lean();
    const bucket = built[kind] as Record<string, unknown>;
    for (const r of rows) {
      const id = String((r as { _id: Types.ObjectId })._id);
      bucket[id] = $set[`${kind}.${id}`] = entryOf(kind, r as RecordDocs[typeof kind]);
    }
  }
  const empty = { Inspection: {}, Sampling: {}, Penalty: {}, Incident: {} };
  await recordLedgerModel(db).updateOne({ _id: shop }, Object.keys($set).length ? { $set } : { $setOnInsert: empty }, {
    upsert: true,
  });
  return built;
}

/** A bucket of the ledger (absent until the first record of its kind). */
export function entries<K extends RecordKind>(ledger: RecordLedgerDoc, kind: K): RecordLedgerDoc[K][string][] {
  return Object.values(ledger[kind] ?? {}) as RecordLedgerDoc[K][string][];
}
