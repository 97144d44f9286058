import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { InspectionAreaCode } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/** Fields every regulator record has: whose, by whom, and the client's idempotency key. */
interface RecordBase {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  idempotencyKey: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface InspectionDoc extends RecordBase {
  date: string;
  inspector: string;
  scores: Record<InspectionAreaCode, number>;
  total: number;
  findings: string[];
}
export interface SamplingDoc extends RecordBase {
  date: string;
  item: string;
  passed: boolean;
  note: string;
}
export interface PenaltyDoc extends RecordBase {
  decisionNumber: string;
  date: string;
  violation: string;
  penalty: string;
  fineFen?: number;
}
export interface IncidentDoc extends RecordBase {
  date: string;
  description: string;
}

function recordSchema<T extends RecordBase>(collection: string, fields: Record<string, unknown>) {
  const schema = new Schema<T>(
    {
      establishmentId: { type: Schema.Types.ObjectId, required: true },
      idempotencyKey: { type: String, required: true },
      recordedBy: { type: String, required: true },
      recordedAt: { type: Date, required: true },
      ...fields,
    },
    { collection, versionKey: false },
  );
  // A retried submission carries the same key and finds the first one.
  schema.index({ establishmentId: 1, idempotencyKey: 1 }, { unique: true, name: 'idempotency' });
  schema.index({ establishmentId: 1, date: -1 }, { name: 'by_shop_date' });
  return schema;
}

const schemas = {
  Inspection: recordSchema<InspectionDoc>('inspections', {
    date: { type: String, required: true },
    inspector: { type: String, required: true },
    scores: { type: Schema.Types.Mixed, required: true },
    total: { type: Number, required: true },
    findings: { type: [String], default: [] },
  }),
  Sampling: recordSchema<SamplingDoc>('samplings', {
    date: { type: String, required: true },
    item: { type: String, required: true },
    passed: { type: Boolean, required: true },
    note: { type: String, default: '' },
  }),
  Penalty: recordSchema<PenaltyDoc>('penalties', {
    decisionNumber: { type: String, required: true },
    date: { type: String, required: true },
    violation: { type: String, required: true },
    penalty: { type: String, required: true },
    fineFen: { type: Number },
  }),
  Incident: recordSchema<IncidentDoc>('incidents', {
    date: { type: String, required: true },
    description: { type: String, required: true },
  }),
};

// The failed samplings that count in a shop's grade.
schemas.Sampling.index({ establishmentId: 1, passed: 1, date: -1 }, { name: 'by_shop_passed' });

export interface RecordDocs {
  Inspection: InspectionDoc;
  Sampling: SamplingDoc;
  Penalty: PenaltyDoc;
  Incident: IncidentDoc;
}
export type RecordKind = keyof RecordDocs;

const accessors = {
  Inspection: defineModel('Inspection', schemas.Inspection as unknown as Schema<InspectionDoc>),
  Sampling: defineModel('Sampling', schemas.Sampling as unknown as Schema<SamplingDoc>),
  Penalty: defineModel('Penalty', schemas.Penalty as unknown as Schema<PenaltyDoc>),
  Incident: defineModel('Incident', schemas.Incident as unknown as Schema<IncidentDoc>),
};

export function recordModel<K extends RecordKind>(conn: Connection, kind: K): Model<RecordDocs[K]> {
  return accessors[kind](conn) as unknown as Model<RecordDocs[K]>;
}

/** What each kind of record contributes to a shop's file and grade, by record id. */
export interface RecordLedgerDoc {
  _id: Types.ObjectId;
  Inspection: Record<string, { date: string; total: number; findings: string[] }>;
  Sampling: Record<string, { date: string; passed: boolean }>;
  Penalty: Record<string, { date: string; decisionNumber: string; violation: string; penalty: string }>;
  Incident: Record<string, { date: string }>;
}
const ledgerSchema = new Schema<RecordLedgerDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    Inspection: { type: Schema.Types.Mixed, default: {} },
    Sampling: { type: Schema.Types.Mixed, default: {} },
    Penalty: { type: Schema.Types.Mixed, default: {} },
    Incident: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'record_ledgers', versionKey: false, minimize: false },
);
/**
 * A shop's record ledger, keyed by the shop's id: the part of each record (inspection, sampling,
 * penalty, incident) that the grade, the risk level and the public file read. Records are never
 * changed, so the ledger only grows; one read by _id replaces four filtered searches (which the
 * embedded database serves by reading every shop's records). Rebuilt from the records when absent.
 */
export const recordLedgerModel = defineModel<RecordLedgerDoc>('RecordLedger', ledgerSchema);
