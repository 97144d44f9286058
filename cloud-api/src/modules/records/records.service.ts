import type { Connection, Model as MongooseModel } from 'mongoose';
import {
  DYNAMIC_GRADE_LABELS,
  chinaDate,
  dynamicGrade,
  inspectionTotal,
  type IncidentInput,
  type InspectionInput,
  type PenaltyInput,
  type SamplingInput,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { createOnce } from '../../data/create-once';
import { findEstablishment } from '../establishments/establishment.service';
import { type GradingDeps } from '../grading/grading.service';
import { recordModel, type RecordDocs, type RecordKind } from './record.models';
import { noteRecord } from './record.ledger';

export type { RecordKind };
import { shopChanged, type ShopChangeReason } from '../../events/shop-events';

type Inputs = { Inspection: InspectionInput; Sampling: SamplingInput; Penalty: PenaltyInput; Incident: IncidentInput };

/** Records that move the public grade; samplings only move the risk level. */
/** What each kind of record changes about a shop (grading reads inspections, penalties, incidents). */
const REASONS: Partial<Record<RecordKind, ShopChangeReason>> = {
  Inspection: 'inspection',
  Penalty: 'penalty',
  Incident: 'incident',
};

function toPlain<K extends RecordKind>(doc: RecordDocs[K]) {
  const { _id, establishmentId, recordedAt, ...rest } = doc as RecordDocs[K] & {
    _id: unknown;
    establishmentId: unknown;
  };
  return { id: String(_id), establishmentId: String(establishmentId), recordedAt: recordedAt.toISOString(), ...rest };
}

/**
 * Stores one regulator record for a shop. The client's idempotency key makes a retry return the
 * first record instead of adding another; a different record under a used key is a conflict.
 */
export async function addRecord<K extends RecordKind>(
  deps: GradingDeps,
  kind: K,
  establishmentId: string,
  input: Inputs[K],
  recordedBy: string,
  now = new Date(),
) {
  const est = await findEstablishment(deps.db, establishmentId);
  if ('date' in input && input.date > chinaDate(now)) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'body.date', message: '日期不能晚于今天' }] });
  }
  const Model = recordModel(deps.db, kind);
  const extra = kind === 'Inspection' ? { total: inspectionTotal((input as InspectionInput).scores) } : {};
  const fields = { ...input, ...extra };
  const once = await createOnce(
    Model as unknown as MongooseModel<RecordDocs[K]>,
    { establishmentId: est._id, idempotencyKey: input.idempotencyKey },
    { ...fields, establishmentId: est._id, recordedBy, recordedAt: now } as unknown as Partial<RecordDocs[K]>,
  );
  const { created } = once;
  const doc = once.doc;
  if (!created) {
    const same = Object.entries(fields).every(
      ([k, v]) => JSON.stringify((doc as unknown as Record<string, unknown>)[k]) === JSON.stringify(v),
    );
    if (!same) throw new AppError('CONFLICT', { message: '该幂等键已用于另一条记录' });
  }
  // Noted and recomputed on a retry too: the first attempt may have stopped between its writes.
  await noteRecord(deps.db, kind, doc as RecordDocs[K]);
  await shopChanged(deps.db, String(est._id), REASONS[kind] ?? 'other-record', {
    trigger: `${kind.toLowerCase()} recorded`,
    at: now,
  });
  const plain = toPlain(doc);
  if (kind === 'Inspection') {
    const g = dynamicGrade((doc as RecordDocs['Inspection']).total, deps.grading);
    return { created, record: { ...plain, dynamicGrade: g, dynamicGradeLabel: DYNAMIC_GRADE_LABELS[g] } };
  }
  return { created, record: plain };
}

export async function listRecords<K extends RecordKind>(db: Connection, kind: K, establishmentId: string) {
  const est = await findEstablishment(db, establishmentId);
  const rows = await recordModel(db, kind).find({ establishmentId: est._id }).sort({ date: -1 }).limit(500).lean();
  return rows.map((r) => toPlain(r as unknown as RecordDocs[K]));
}
