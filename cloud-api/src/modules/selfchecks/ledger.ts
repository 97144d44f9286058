import type { Connection, Types } from 'mongoose';
import { addDays, type SelfCheckKind } from '@ygsa/shared';
import { GENESIS } from './chain';
import { markMigrated, migrated } from '../../data/migrations';
import { upsertOnce } from '../../data/create-once';
import {
  selfCheckDayModel,
  selfCheckLedgerModel,
  selfCheckModel,
  type SelfCheckDoc,
  type SelfCheckLedgerDoc,
} from './selfcheck.model';

/** How many of the latest records the ledger lists (the history page's largest page). */
export const RECENT = 200;
/** Daily periods older than this many days leave the ledger (the grade looks back a year). */
const DAILY_DAYS_KEPT = 400;

type Noted = Pick<
  SelfCheckDoc,
  '_id' | 'kind' | 'period' | 'seq' | 'hash' | 'late' | 'correctionOf' | 'idempotencyKey'
>;

/** Records one new record in its shop's ledger: one update, whatever else is written at once. */
export async function noteRecord(db: Connection, shop: Types.ObjectId, r: Noted): Promise<void> {
  const id = String(r._id);
  const mark = `periods.${r.kind}.${r.period}`;
  const $set: Record<string, unknown> = {
    [`chain.${r.seq}`]: r.hash,
    [`recent.${r.seq}`]: { id, key: r.idempotencyKey, kind: r.kind },
  };
  if (!r.correctionOf) $set[`${mark}.original`] = { id, key: r.idempotencyKey };
  if (!r.late) $set[`${mark}.onTime`] = true;
  const $unset: Record<string, ''> = {};
  if (r.seq > RECENT) {
    $unset[`chain.${r.seq - RECENT}`] = '';
    $unset[`recent.${r.seq - RECENT}`] = '';
  }
  if (r.kind === 'daily') $unset[`periods.daily.${addDays(r.period, -DAILY_DAYS_KEPT)}`] = '';
  await selfCheckLedgerModel(db).updateOne(
    { _id: shop },
    { $set, $addToSet: { [`${mark}.ids`]: id }, ...(Object.keys($unset).length ? { $unset } : {}) },
    { upsert: true },
  );
  if (r.kind === 'daily') await noteDay(db, r.period, [shop]);
}

const dayId = (day: string) => `daily:${day}`;

/** Marks shops as having a daily record for the day. */
async function noteDay(db: Connection, day: string, shops: Types.ObjectId[]): Promise<void> {
  if (!shops.length) return;
  const $set = Object.fromEntries(shops.map((s) => [`shops.${String(s)}`, true]));
  await upsertOnce(() => selfCheckDayModel(db).updateOne({ _id: dayId(day) }, { $set }, { upsert: true }));
}

/** The shops with a daily record for the day (one read by _id). */
export async function shopsDoneOn(db: Connection, day: string): Promise<Set<string>> {
  const doc = await selfCheckDayModel(db).findById(dayId(day)).lean();
  return new Set(Object.keys(doc?.shops ?? {}));
}

const DAYS_MIGRATION = 'self-check-days';

/**
 * The first start of this version marks today's shops from the records (one search, once per
 * database); every daily record made since marks its day as it is noted.
 */
export async function buildSelfCheckDays(db: Connection, today: string): Promise<number> {
  if (await migrated(db, DAYS_MIGRATION)) return 0;
  const shops = await selfCheckModel(db).distinct('establishmentId', { kind: 'daily', period: today });
  await noteDay(db, today, shops as Types.ObjectId[]);
  await markMigrated(db, DAYS_MIGRATION);
  return shops.length;
}

/** The ledger of a chain's records (given in seq order). */
export function ledgerFrom(
  shop: Types.ObjectId,
  rows: Pick<SelfCheckDoc, '_id' | 'kind' | 'period' | 'seq' | 'hash' | 'late' | 'correctionOf' | 'idempotencyKey'>[],
): SelfCheckLedgerDoc {
  const ledger: SelfCheckLedgerDoc = { _id: shop, chain: {}, recent: {}, periods: {} };
  const lastSeq = rows.at(-1)?.seq ?? 0;
  for (const r of rows) {
    const id = String(r._id);
    if (r.seq > lastSeq - RECENT) {
      ledger.chain[r.seq] = r.hash;
      ledger.recent[r.seq] = { id, key: r.idempotencyKey, kind: r.kind };
    }
    const marks = (ledger.periods[r.kind] ??= {});
    const mark = (marks[r.period] ??= {});
    mark.ids = [...(mark.ids ?? []), id];
    if (!r.correctionOf && !mark.original) mark.original = { id, key: r.idempotencyKey };
    if (!r.late) mark.onTime = true;
  }
  return ledger;
}

/** Writes a shop's whole ledger. */
export async function storeLedger(db: Connection, ledger: SelfCheckLedgerDoc): Promise<void> {
  await selfCheckLedgerModel(db).replaceOne({ _id: ledger._id }, ledger, { upsert: true });
}

/** The ledger as the records say it should be (after a crash between a record and its note, or at first use). */
export async function rebuildLedger(db: Connection, shop: Types.ObjectId): Promise<SelfCheckLedgerDoc> {
  const rows = await selfCheckModel(db).find({ establishmentId: shop }, { content: 0 }).sort({ seq: 1 }).lean();
  const ledger = ledgerFrom(shop, rows);
  await storeLedger(db, ledger);
  return ledger;
}

const MIGRATION = 'self-check-ledgers';

/**
 * The shop's ledger. Once every shop's ledger was built (buildAllLedgers, at the API's start), a
 * shop without one has no records; before that, its ledger is built from its records when asked for.
 * (A crash between a shop's very first record and its note leaves the ledger absent: the next
 * record's duplicate seq rebuilds it.)
 */
export async function ledgerOf(db: Connection, shop: Types.ObjectId): Promise<SelfCheckLedgerDoc> {
  const ledger = await selfCheckLedgerModel(db).findById(shop).lean();
  if (ledger) return ledger;
  if (await migrated(db, MIGRATION)) return { _id: shop, chain: {}, recent: {}, periods: {} };
  return rebuildLedger(db, shop);
}

/** Builds the ledger of every shop that has records and none yet: one read of all records, once per database. */
export async function buildAllLedgers(db: Connection): Promise<number> {
  if (await migrated(db, MIGRATION)) return 0;
  const rows = await selfCheckModel(db).find({}, { content: 0 }).sort({ establishmentId: 1, seq: 1 }).lean();
  const byShop = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = String(r.establishmentId);
    byShop.set(key, [...(byShop.get(key) ?? []), r]);
  }
  let built = 0;
  for (const shopRows of byShop.values()) {
    const shop = (shopRows[0] as (typeof rows)[number]).establishmentId;
    if (await selfCheckLedgerModel(db).exists({ _id: shop })) continue;
    await storeLedger(db, ledgerFrom(shop, shopRows));
    built += 1;
  }
  await markMigrated(db, MIGRATION);
  return built;
}

/** The chain's head: the next record's seq and the hash it links to. */
export function headOf(ledger: SelfCheckLedgerDoc): { seq: number; prevHash: string } {
  const seqs = Object.keys(ledger.chain ?? {}).map(Number);
  const top = seqs.length ? Math.max(...seqs) : 0;
  return { seq: top + 1, prevHash: top ? (ledger.chain[top] as string) : GENESIS };
}

/** What the ledger says of a period. */
export function markOf(ledger: SelfCheckLedgerDoc, kind: SelfCheckKind, period: string) {
  return ledger.periods?.[kind]?.[period];
}

/** The record ids of the latest records (newest first), of one kind if given. */
export function recentIds(ledger: SelfCheckLedgerDoc, kind?: SelfCheckKind): string[] {
  return Object.entries(ledger.recent ?? {})
    .map(([seq, r]) => ({ seq: Number(seq), ...r }))
    .filter((r) => !kind || r.kind === kind)
    .sort((a, b) => b.seq - a.seq)
    .map((r) => r.id);
}

/** The id of the record made under this key, if it is among the latest. */
export function recentByKey(ledger: SelfCheckLedgerDoc, key: string): string | null {
  return Object.values(ledger.recent ?? {}).find((r) => r.key === key)?.id ?? null;
}

/** Reads records by id (the one read the embedded database serves without scanning), in the given order. */
export async function recordsByIds(db: Connection, ids: string[]): Promise<SelfCheckDoc[]> {
  const rows = await Promise.all(ids.map((id) => selfCheckModel(db).findById(id).lean()));
  return rows.filter((r): r is NonNullable<typeof r> => r !== null) as SelfCheckDoc[];
}
