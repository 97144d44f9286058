import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

const ObjectId = Schema.Types.ObjectId;
/** The one owner of a city-wide index of open items. */
export const OPEN = 'city';

/** A camera AI box of one shop. It signs each capture with its own key (HMAC-SHA256). */
export interface DeviceDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  name: string;
  key: string;
  keyRotatedAt: Date;
  createdAt: Date;
}
const deviceSchema = new Schema<DeviceDoc>(
  {
    establishmentId: { type: ObjectId, required: true },
    name: { type: String, required: true },
    key: { type: String, required: true },
    keyRotatedAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'ai_devices', versionKey: false },
);
deviceSchema.index({ establishmentId: 1 }, { name: 'by_shop' });
deviceSchema.index({ establishmentId: 1, createdAt: 1 }, { name: 'by_shop_created' });
export const deviceModel = defineModel('AiDevice', deviceSchema);

/** Where the ladder put a capture, and why (every automatic step records its reason). */
export interface LadderOutcome {
  step: 'evidence' | 'reminder' | 'notice' | 'case';
  /** The reminder, notice or case it created or joined (null: kept as evidence only). */
  refId: string | null;
  created: boolean;
  reason: string;
}

export interface CaptureDoc {
  _id: Types.ObjectId;
  /** deviceId:eventId — a device's event is stored once however often it is sent. */
  eventKey: string;
  deviceId: Types.ObjectId;
  establishmentId: Types.ObjectId;
  cameraId: Types.ObjectId;
  category: string;
  capturedAt: Date;
  confidence: number;
  snapshot: string;
  receivedAt: Date;
  /** Null until the ladder has run (a retry of the same event runs it if the first attempt stopped). */
  outcome: LadderOutcome | null;
}
const captureSchema = new Schema<CaptureDoc>(
  {
    eventKey: { type: String, required: true },
    deviceId: { type: ObjectId, required: true },
    establishmentId: { type: ObjectId, required: true },
    cameraId: { type: ObjectId, required: true },
    category: { type: String, required: true },
    capturedAt: { type: Date, required: true },
    confidence: { type: Number, required: true },
    snapshot: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    outcome: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'ai_captures', versionKey: false },
);
captureSchema.index({ eventKey: 1 }, { unique: true, name: 'event' });
captureSchema.index({ establishmentId: 1, category: 1, capturedAt: -1 }, { name: 'by_shop_kind' });
captureSchema.index({ deviceId: 1, receivedAt: -1 }, { name: 'by_device' });
captureSchema.index({ outcome: 1, receivedAt: 1 }, { name: 'ladder_pending' });
// A shop's latest captures; the violations that count in its grade; whether a photo is evidence.
captureSchema.index({ establishmentId: 1, capturedAt: -1 }, { name: 'by_shop' });
captureSchema.index({ establishmentId: 1, 'outcome.created': 1, capturedAt: -1 }, { name: 'by_shop_outcome' });
captureSchema.index({ snapshot: 1, establishmentId: 1 }, { name: 'by_snapshot' });
// Per shop: the captures that started a ladder step (the violations its grade counts).
shopIndexed(captureSchema, {
  collection: 'ai_captures',
  fields: ['category', 'capturedAt'],
  include: (c) => !!c.outcome?.created,
  watch: ['outcome', 'category', 'capturedAt'],
});
export const captureModel = defineModel('AiCapture', captureSchema);

/**
 * Captures whose ladder step is not recorded yet (keyed by the capture's _id): written before the
 * capture, removed once its outcome is stored. The ladder clock finishes what a dead request left
 * here, reading this small collection instead of searching every capture of the city.
 */
export interface LadderPendingDoc {
  _id: Types.ObjectId;
  receivedAt: Date;
}
export const ladderPendingModel = defineModel<LadderPendingDoc>(
  'LadderPending',
  new Schema<LadderPendingDoc>(
    { _id: { type: ObjectId, required: true }, receivedAt: { type: Date, required: true } },
    { collection: 'ladder_pending', versionKey: false },
  ).index({ receivedAt: 1 }, { name: 'by_received' }),
);

/** Step 1 of the ladder: a reminder to the shop (首违不罚). */
export interface ReminderDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  /** What caused it ("capture:<id>"): one reminder per cause, however often the step runs. */
  key?: string;
  category: string;
  captureIds: Types.ObjectId[];
  lastCaptureAt: Date;
  reason: string;
  issuedAt: Date;
  answerBy: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  escalatedAt: Date | null;
  escalatedTo: string | null;
  /** When the shop's staff were sent a WeChat message about it. */
  notifiedAt?: Date | null;
}
const reminderSchema = new Schema<ReminderDoc>(
  {
    establishmentId: { type: ObjectId, required: true },
    key: { type: String },
    category: { type: String, required: true },
    captureIds: { type: [ObjectId], required: true },
    lastCaptureAt: { type: Date, required: true },
    reason: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    answerBy: { type: Date, required: true },
    acknowledgedAt: { type: Date, default: null },
    acknowledgedBy: { type: String, default: null },
    escalatedAt: { type: Date, default: null },
    escalatedTo: { type: String, default: null },
    notifiedAt: { type: Date, default: null },
  },
  { collection: 'ai_reminders', versionKey: false },
);
reminderSchema.index({ establishmentId: 1, category: 1, issuedAt: -1 }, { name: 'by_shop_kind' });
reminderSchema.index({ key: 1 }, { unique: true, sparse: true, name: 'idempotency' });
// A shop's latest reminders and its open ones (grade); the ladder's due and not-yet-told ones.
reminderSchema.index({ establishmentId: 1, issuedAt: -1 }, { name: 'by_shop' });
reminderSchema.index({ establishmentId: 1, acknowledgedAt: 1, escalatedAt: 1 }, { name: 'by_shop_open' });
reminderSchema.index({ acknowledgedAt: 1, escalatedAt: 1, answerBy: 1 }, { name: 'ladder_due' });
reminderSchema.index({ acknowledgedAt: 1, escalatedAt: 1, notifiedAt: 1 }, { name: 'to_notify' });
// Per shop: every reminder (the ladder's history, what waits on the home screen, the shop's list).
shopIndexed(reminderSchema, {
  collection: 'ai_reminders',
  fields: ['category', 'issuedAt', 'lastCaptureAt', 'acknowledgedAt', 'escalatedAt'],
});
// The city's unanswered reminders: what the ladder's clock escalates and the parties are told of.
shopIndexed(reminderSchema, {
  collection: 'ai_reminders',
  name: 'open',
  owner: () => OPEN,
  buckets: 16,
  include: (r) => !r.acknowledgedAt && !r.escalatedAt,
  fields: ['establishmentId', 'answerBy', 'notifiedAt'],
  watch: ['acknowledgedAt', 'escalatedAt', 'establishmentId', 'answerBy', 'notifiedAt'],
});
export const reminderModel = defineModel('AiReminder', reminderSchema);

export type NoticeStatus = 'open' | 'replied' | 'returned' | 'accepted';
/**
 * One 整改回复. While it waits for review the shop may edit it (each earlier wording is kept in
 * `versions`) or withdraw it (kept, marked).
 */
export interface NoticeReplyDoc {
  key: string;
  at: Date;
  by: string;
  text: string;
  photos: string[];
  editedAt?: Date | null;
  editedBy?: string;
  versions?: { at: Date; by: string; text: string; photos: string[] }[];
  withdrawnAt?: Date | null;
  withdrawnBy?: string;
}

/** 整改通知: a deadline, the shop's replies with photos, the regulator's reviews. */
export interface NoticeDoc {
  _id: Types.ObjectId;
  number: string;
  establishmentId: Types.ObjectId;
  topic: string;
  source: 'ladder' | 'regulator' | 'camera';
  /** The regulator's idempotency key (regulator notices), or the ladder's own key. */
  key: string;
  reason: string;
  requirement: string;
  issuedBy: string;
  issuedAt: Date;
  deadline: string;
  deadlineComplete: boolean;
  status: NoticeStatus;
  photos: string[];
  captureIds: Types.ObjectId[];
  lastCaptureAt: Date | null;
  replies: NoticeReplyDoc[];
  reviews: { at: Date; by: string; decision: 'accept' | 'return'; reason: string }[];
  closedAt: Date | null;
  /** When a missed deadline drafted a case (once). */
  escalatedAt: Date | null;
  notifiedAt?: Date | null;
}
const noticeSchema = new Schema<NoticeDoc>(
  {
    number: { type: String, required: true },
    establishmentId: { type: ObjectId, required: true },
    topic: { type: String, required: true },
    source: { type: String, required: true },
    key: { type: String, required: true },
    reason: { type: String, required: true },
    requirement: { type: String, required: true },
    issuedBy: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    deadline: { type: String, required: true },
    deadlineComplete: { type: Boolean, required: true },
    status: { type: String, required: true },
    photos: { type: [String], default: [] },
    captureIds: { type: [ObjectId], default: [] },
    lastCaptureAt: { type: Date, default: null },
    replies: { type: Schema.Types.Mixed, default: [] },
    reviews: { type: Schema.Types.Mixed, default: [] },
    closedAt: { type: Date, default: null },
    escalatedAt: { type: Date, default: null },
    notifiedAt: { type: Date, default: null },
  },
  { collection: 'rectification_notices', versionKey: false },
);
noticeSchema.index({ establishmentId: 1, key: 1 }, { unique: true, name: 'idempotency' });
noticeSchema.index({ establishmentId: 1, topic: 1, issuedAt: -1 }, { name: 'by_shop_topic' });
noticeSchema.index({ status: 1, deadline: 1 }, { name: 'by_status' });
// A shop's latest notices, and by status (open count, overdue ones); the ladder's due and
// not-yet-told ones.
noticeSchema.index({ establishmentId: 1, issuedAt: -1 }, { name: 'by_shop' });
noticeSchema.index({ establishmentId: 1, status: 1, issuedAt: -1 }, { name: 'by_shop_status' });
noticeSchema.index({ status: 1, escalatedAt: 1, deadline: 1 }, { name: 'ladder_due' });
noticeSchema.index({ status: 1, notifiedAt: 1 }, { name: 'to_notify' });
// Per shop: every notice (the ladder's history, open ones for the grade and the home screen).
shopIndexed(noticeSchema, {
  collection: 'rectification_notices',
  fields: ['topic', 'issuedAt', 'lastCaptureAt', 'status'],
});
// The city's notices not yet accepted: the desk's queue, the clock's deadlines, the parties told.
shopIndexed(noticeSchema, {
  collection: 'rectification_notices',
  name: 'open',
  owner: () => OPEN,
  buckets: 16,
  include: (n) => n.status !== 'accepted',
  fields: ['establishmentId', 'status', 'deadline', 'issuedAt', 'escalatedAt', 'notifiedAt'],
  watch: ['establishmentId', 'status', 'deadline', 'issuedAt', 'escalatedAt', 'notifiedAt'],
});
export const noticeModel = defineModel('RectificationNotice', noticeSchema);

export type CaseStatus = 'draft' | 'confirmed' | 'responded' | 'signed' | 'decided' | 'dismissed';
/** 非现场执法 case: drafted by the ladder or opened by a regulator. */
export interface CaseDoc {
  _id: Types.ObjectId;
  number: string;
  establishmentId: Types.ObjectId;
  category: string;
  key: string;
  status: CaseStatus;
  reason: string;
  createdBy: string;
  createdAt: Date;
  captureIds: Types.ObjectId[];
  lastCaptureAt: Date | null;
  notes: string;
  photos: string[];
  confirmedAt: Date | null;
  confirmedBy: string | null;
  decideBy: string | null;
  document: { title: string; text: string; sha256: string } | null;
  deliveredAt: Date | null;
  deliveredTo: string | null;
  response: {
    decision: 'confirm' | 'object';
    statement: string;
    photos: string[];
    at: Date;
    by: string;
    name: string;
  } | null;
  signature: { at: Date; by: string; image: string; documentSha256: string; documentText: string } | null;
  decision: { outcome: 'no_case' | 'correction_order' | 'penalty'; reason: string; at: Date; by: string } | null;
  /** When the party was sent a WeChat message that a document waits (after confirmation). */
  notifiedAt?: Date | null;
}
const caseSchema = new Schema<CaseDoc>(
  {
    number: { type: String, required: true },
    establishmentId: { type: ObjectId, required: true },
    category: { type: String, required: true },
    key: { type: String, required: true },
    status: { type: String, required: true },
    reason: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    captureIds: { type: [ObjectId], default: [] },
    lastCaptureAt: { type: Date, default: null },
    notes: { type: String, default: '' },
    photos: { type: [String], default: [] },
    confirmedAt: { type: Date, default: null },
    confirmedBy: { type: String, default: null },
    decideBy: { type: String, default: null },
    document: { type: Schema.Types.Mixed, default: null },
    deliveredAt: { type: Date, default: null },
    deliveredTo: { type: String, default: null },
    response: { type: Schema.Types.Mixed, default: null },
    signature: { type: Schema.Types.Mixed, default: null },
    decision: { type: Schema.Types.Mixed, default: null },
    notifiedAt: { type: Date, default: null },
  },
  { collection: 'enforcement_cases', versionKey: false },
);
caseSchema.index({ establishmentId: 1, key: 1 }, { unique: true, name: 'idempotency' });
caseSchema.index({ establishmentId: 1, category: 1, createdAt: -1 }, { name: 'by_shop_kind' });
caseSchema.index({ status: 1, createdAt: -1 }, { name: 'by_status' });
// A shop's latest cases, and its count by status (grade); cases whose party is not told yet.
caseSchema.index({ establishmentId: 1, createdAt: -1 }, { name: 'by_shop' });
caseSchema.index({ establishmentId: 1, status: 1 }, { name: 'by_shop_status' });
caseSchema.index({ status: 1, notifiedAt: 1 }, { name: 'to_notify' });
// Per shop: every case (the ladder's history, what awaits the party's response).
shopIndexed(caseSchema, {
  collection: 'enforcement_cases',
  fields: ['category', 'createdAt', 'lastCaptureAt', 'status'],
});
// The city's cases not yet decided or dismissed: the desk's queue, the parties told.
shopIndexed(caseSchema, {
  collection: 'enforcement_cases',
  name: 'open',
  owner: () => OPEN,
  buckets: 16,
  include: (c) => c.status !== 'decided' && c.status !== 'dismissed',
  fields: ['establishmentId', 'status', 'createdAt', 'notifiedAt'],
  watch: ['establishmentId', 'status', 'createdAt', 'notifiedAt'],
});
export const caseModel = defineModel('EnforcementCase', caseSchema);

/** 送达地址确认书: one operator's consent to electronic delivery for one shop. */
export interface ConsentDoc {
  _id: string; // establishmentId:userId
  establishmentId: Types.ObjectId;
  userId: string;
  role: string;
  name: string;
  text: string;
  textSha256: string;
  at: Date;
}
const consentSchema = new Schema<ConsentDoc>(
  {
    _id: { type: String, required: true },
    establishmentId: { type: ObjectId, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true },
    name: { type: String, required: true },
    text: { type: String, required: true },
    textSha256: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'e_delivery_consents', versionKey: false },
);
export const consentModel = defineModel('EDeliveryConsent', consentSchema);

/** Every enforcement action: who (and in which role), when, what. */
export interface AuditDoc {
  establishmentId: Types.ObjectId;
  at: Date;
  actor: string;
  role: string;
  action: string;
  subject: { kind: string; id: string };
  summary: string;
}
const auditSchema = new Schema<AuditDoc>(
  {
    establishmentId: { type: ObjectId, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: Schema.Types.Mixed, required: true },
    summary: { type: String, required: true },
  },
  { collection: 'audit_log', versionKey: false },
);
auditSchema.index({ establishmentId: 1, at: -1 }, { name: 'by_shop' });
// The shop's log pages by time, ties broken by _id.
auditSchema.index({ establishmentId: 1, at: -1, _id: -1 }, { name: 'by_shop_page' });
export const auditModel = defineModel('AuditEntry', auditSchema);

export async function audit(db: Connection, entry: AuditDoc): Promise<void> {
  await auditModel(db).create(entry);
}
