import type { Connection, Types } from 'mongoose';
import { AppError } from '../../http/app-error';
import { GENESIS, chainHash } from './chain';
import { selfCheckModel, type SelfCheckDoc } from './selfcheck.model';
import { headOf, ledgerFrom, ledgerOf, storeLedger } from './ledger';

/** One record of a shop's history, as it was kept (on paper or in another system). */
export type HistoricRecord = Pick<
  SelfCheckDoc,
  'kind' | 'period' | 'content' | 'submittedBy' | 'role' | 'submittedAt' | 'late'
>;

/**
 * Brings a shop's self-check history in at once: the records, oldest first, become the start of
 * the shop's chain (each hash over the one before, as if submitted one by one), written in bulk.
 * Only for a shop whose chain is empty, so a retried import never forks the chain; each record's
 * idempotency key is its kind and period. Answers how many records were written.
 */
export async function importSelfCheckHistory(
  db: Connection,
  establishmentId: Types.ObjectId,
  records: HistoricRecord[],
): Promise<number> {
  const SelfChecks = selfCheckModel(db);
  if (headOf(await ledgerOf(db, establishmentId)).seq > 1) {
    throw new AppError('CONFLICT', { message: '该门店已有自查记录，历史记录只能在开始使用前导入' });
  }
  const sorted = [...records].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  let prevHash = GENESIS;
  const docs = sorted.map((r, i) => {
    const seq = i + 1;
    const hash = chainHash(prevHash, { ...r, seq, correctionOf: null });
    const doc = {
      ...r,
      establishmentId,
      correctionOf: null,
      idempotencyKey: `history:${r.kind}:${r.period}`,
      seq,
      prevHash,
      hash,
    };
    prevHash = hash;
    return doc;
  });
  const written = [];
  for (let i = 0; i < docs.length; i += 1000) {
    written.push(...(await SelfChecks.insertMany(docs.slice(i, i + 1000), { ordered: true, lean: true })));
  }
  await storeLedger(db, ledgerFrom(establishmentId, written));
  return docs.length;
}
