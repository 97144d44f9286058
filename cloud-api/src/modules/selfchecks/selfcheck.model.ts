import { Schema, type Types } from 'mongoose';
import type { MemberRole, SelfCheckKind } from '@ygsa/shared';
import { defineModel } from '../../data/models';

export interface SelfCheckDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  kind: SelfCheckKind;
  /** The day, the week's Monday, or the month (YYYY-MM) the record is for. */
  period: string;
  content: Record<string, unknown>;
  submittedBy: string;
  role: MemberRole;
  /** Server time; the client's clock is never trusted. */
  submittedAt: Date;
  late: boolean;
  correctionOf: Types.ObjectId | null;
  idempotencyKey: string;
  /** Position in the shop's chain, the previous record's hash, and this record's hash. */
  seq: number;
  prevHash: string;
  hash: string;
}

const schema = new Schema<SelfCheckDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    period: { type: String, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    submittedBy: { type: String, required: true },
    role: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    late: { type: Boolean, required: true },
    correctionOf: { type: Schema.Types.ObjectId, default: null },
    idempotencyKey: { type: String, required: true },
    seq: { type: Number, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'self_checks', versionKey: false, minimize: false },
);
schema.index({ establishmentId: 1, seq: 1 }, { unique: true, name: 'chain' });
schema.index({ establishmentId: 1, idempotencyKey: 1 }, { unique: true, name: 'idempotency' });
schema.index({ establishmentId: 1, kind: 1, period: -1 }, { name: 'by_period' });
// A shop's records of a kind by period then chain order; its latest of a kind; the correction of one.
schema.index({ establishmentId: 1, kind: 1, period: -1, seq: -1 }, { name: 'by_period_seq' });
schema.index({ establishmentId: 1, kind: 1, seq: -1 }, { name: 'by_kind_seq' });
schema.index({ establishmentId: 1, kind: 1, period: 1, correctionOf: 1 }, { name: 'correction' });
// The daily reminder: which shops have recorded today.
schema.index({ kind: 1, period: 1, establishmentId: 1 }, { name: 'by_day' });

export const selfCheckModel = defineModel<SelfCheckDoc>('SelfCheck', schema);

export interface ChecklistItemDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  code: string;
  text: string;
  method: string;
  basis: string;
  photoRequired: boolean;
  source: 'shop' | 'regulator';
  active: boolean;
  createdBy: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

const itemSchema = new Schema<ChecklistItemDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    text: { type: String, required: true },
    method: { type: String, required: true },
    basis: { type: String, default: '' },
    photoRequired: { type: Boolean, required: true },
    source: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    resolvedAt: { type: Date, default: null },
  },
  { collection: 'checklist_items', versionKey: false },
);
itemSchema.index({ establishmentId: 1, code: 1 }, { unique: true, name: 'code' });
// A shop's active checklist in display order.
itemSchema.index({ establishmentId: 1, active: 1, source: -1, code: 1 }, { name: 'active' });

export const checklistItemModel = defineModel<ChecklistItemDoc>('ChecklistItem', itemSchema);

/** A daily self-check reminder sent (or refused) to one person. */
export interface ReminderSentDoc {
  _id: string; // userId:kind:period — at most one reminder per person and record
  userId: string;
  establishmentId: string;
  outcome: string;
  sentAt: Date;
}
const reminderSentSchema = new Schema<ReminderSentDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    establishmentId: { type: String, required: true },
    outcome: { type: String, required: true },
    sentAt: { type: Date, required: true },
  },
  { collection: 'reminders', versionKey: false },
);
export const reminderSentModel = defineModel<ReminderSentDoc>('Reminder', reminderSentSchema);

/** What the ledger says of one period of one kind. */
export interface PeriodMark {
  /** The original record of the period (not a correction), with its idempotency key. */
  original?: { id: string; key: string };
  /** Every record of the period (the original and its corrections). */
  ids?: string[];
  /** Whether a record of the period was made on time. */
  onTime?: boolean;
}

/**
 * A shop's self-check ledger, keyed by the shop's id: the chain's latest hashes, the periods that
 * have records, and the latest records' ids and keys. The records' writers keep it (one update per
 * record); every read on a daily path (the dashboard, on-time rates, history, the grade) reads this
 * one document by _id instead of filtering the records, which the embedded database would do by
 * reading every record of the city. It can always be rebuilt from the records (ledger.ts).
 */
export interface SelfCheckLedgerDoc {
  _id: Types.ObjectId;
  /** seq → hash, for the latest records (the head is the highest seq). */
  chain: Record<string, string>;
  /** seq → the record's id and idempotency key, for the latest records. */
  recent: Record<string, { id: string; key: string; kind: SelfCheckKind }>;
  periods: Partial<Record<SelfCheckKind, Record<string, PeriodMark>>>;
}
const ledgerSchema = new Schema<SelfCheckLedgerDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    chain: { type: Schema.Types.Mixed, default: {} },
    recent: { type: Schema.Types.Mixed, default: {} },
    periods: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'self_check_ledgers', versionKey: false, minimize: false },
);
export const selfCheckLedgerModel = defineModel<SelfCheckLedgerDoc>('SelfCheckLedger', ledgerSchema);

/** The shops that have a daily record for one day, keyed "daily:<day>" (the reminder's one read). */
export interface SelfCheckDayDoc {
  _id: string;
  shops: Record<string, true>;
}
const daySchema = new Schema<SelfCheckDayDoc>(
  { _id: { type: String, required: true }, shops: { type: Schema.Types.Mixed, default: {} } },
  { collection: 'self_check_days', versionKey: false, minimize: false },
);
export const selfCheckDayModel = defineModel<SelfCheckDayDoc>('SelfCheckDay', daySchema);
