// AI captures, the escalation ladder (首违不罚, 罚教结合), rectification notices (整改通知 → 整改回复)
// and non-contact enforcement cases (非现场执法). Rules: DOMAIN.md, "Non-contact enforcement".
import { DateOnlySchema, ObjectIdSchema } from './establishment.js';
import { IdempotencyKeySchema } from './inspection.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** What camera AI boxes report. "Minor" kinds get a reminder the first time; the rest a notice at once. */
export const CAPTURE_CATEGORIES = [
  { code: 'no_mask', label: '未戴口罩', minor: true },
  { code: 'no_hat', label: '未戴厨师帽', minor: true },
  { code: 'no_uniform', label: '未穿工作服', minor: true },
  { code: 'smoking', label: '吸烟', minor: true },
  { code: 'phone', label: '玩手机', minor: true },
  { code: 'pests', label: '鼠患/虫害', minor: false },
  { code: 'bin_uncovered', label: '垃圾桶未盖', minor: true },
  { code: 'open_flame', label: '无人看管明火', minor: false },
  { code: 'bare_hands', label: '徒手接触直接入口食品', minor: false },
  { code: 'wet_floor', label: '地面积水', minor: true },
] as const;
export type CaptureCategory = (typeof CAPTURE_CATEGORIES)[number]['code'];
export const CAPTURE_CATEGORY_CODES = CAPTURE_CATEGORIES.map((c) => c.code) as [CaptureCategory, ...CaptureCategory[]];
export const CAPTURE_CATEGORY_LABELS = Object.fromEntries(CAPTURE_CATEGORIES.map((c) => [c.code, c.label])) as Record<
  CaptureCategory,
  string
>;
/** Notices about things other than AI captures (an inspection's findings, a camera kept offline). */
export const NOTICE_TOPIC_LABELS: Record<string, string> = {
  ...CAPTURE_CATEGORY_LABELS,
  inspection: '监督检查发现问题',
  camera_offline: '明厨亮灶摄像头长时间离线',
};

export const LadderConfigSchema = z
  .object({
    /** Earlier steps of the same kind within this many days count (2 years). */
    lookbackDays: z.number().int().min(1).max(3660),
    /** Captures of a kind closer than this to the last one are the same incident, not a repeat. */
    sameIncidentMinutes: z.number().min(0).max(1440),
    /** Captures below this confidence are kept as evidence but move nothing. */
    minConfidence: z.number().min(0).max(1),
    /** A reminder not acknowledged within this many hours becomes a rectification notice. */
    reminderAnswerHours: z.number().positive().max(720),
    /** Working days a rectification notice gives. */
    noticeWorkingDays: z.number().int().min(1).max(60),
    /** Working days a regulator has to decide on filing a confirmed case. */
    decideWorkingDays: z.number().int().min(1).max(60),
    /** Kinds whose first violation gets a reminder (the rest go straight to a notice). */
    minor: z.array(z.enum(CAPTURE_CATEGORY_CODES)),
  })
  .strict();
export type LadderConfig = z.infer<typeof LadderConfigSchema>;
export const DEFAULT_LADDER_CONFIG: LadderConfig = {
  lookbackDays: 730,
  sameIncidentMinutes: 30,
  minConfidence: 0.6,
  reminderAnswerHours: 24,
  noticeWorkingDays: 3,
  decideWorkingDays: 15,
  minor: CAPTURE_CATEGORIES.filter((c) => c.minor).map((c) => c.code),
};

/** The form fields of a capture (multipart, with the image in field "snapshot"). */
export const CaptureFieldsSchema = z
  .object({
    event_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'event_id: 1–64 letters, digits, _ . : -'),
    camera_id: ObjectIdSchema,
    category: z.enum(CAPTURE_CATEGORY_CODES, { error: 'category: not a known kind' }),
    captured_at: z.iso.datetime({ offset: true, error: 'captured_at: an ISO 8601 time with offset' }),
    confidence: z.coerce.number().min(0, 'confidence: 0–1').max(1, 'confidence: 0–1'),
  })
  .strict();
export type CaptureFields = z.infer<typeof CaptureFieldsSchema>;

export const LADDER_STEPS = ['evidence', 'reminder', 'notice', 'case'] as const;
export type LadderStepKind = (typeof LADDER_STEPS)[number];

const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, '照片编号格式错误');

export const NoticeCreateSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    topic: z.enum([...CAPTURE_CATEGORY_CODES, 'inspection']),
    requirement: z.string().trim().min(4, '请写明整改要求').max(1000),
    /** Defaults to the configured working days from today. */
    deadline: DateOnlySchema.optional(),
    photos: z.array(PhotoId).max(9).default([]),
  })
  .strict();
export type NoticeCreateInput = z.infer<typeof NoticeCreateSchema>;

export const NoticeReplySchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    text: z.string().trim().min(4, '请说明整改情况（至少 4 个字）').max(1000),
    photos: z.array(PhotoId).min(1, '请上传整改后的照片').max(9, '最多 9 张照片'),
  })
  .strict();
export type NoticeReplyInput = z.infer<typeof NoticeReplySchema>;

/** A reply under review, edited in place (its earlier wording is kept for the record). */
export const NoticeReplyEditSchema = NoticeReplySchema.omit({ idempotencyKey: true });
export type NoticeReplyEditInput = z.infer<typeof NoticeReplyEditSchema>;

/**
 * Where a reply stands: waiting for the regulator, returned, accepted, or withdrawn by the shop
 * before anyone reviewed it.
 */
export const REPLY_STATES = ['in_review', 'returned', 'accepted', 'withdrawn'] as const;
export type ReplyState = (typeof REPLY_STATES)[number];
export const REPLY_STATE_LABELS: Record<ReplyState, string> = {
  in_review: '待监管审核',
  returned: '已退回',
  accepted: '审核通过',
  withdrawn: '已撤回',
};

export const NoticeReviewSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept'), reason: z.string().trim().max(500).optional() }).strict(),
  z.object({ decision: z.literal('return'), reason: z.string().trim().min(4, '请写明退回理由').max(500) }).strict(),
]);

export const NOTICE_STATUSES = ['open', 'replied', 'returned', 'accepted'] as const;
export const NOTICE_STATUS_LABELS: Record<(typeof NOTICE_STATUSES)[number], string> = {
  open: '待整改',
  replied: '已回复，待审核',
  returned: '已退回，请重新整改',
  accepted: '整改已通过',
};

const EvidenceCaptureSchema = z.object({
  id: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  cameraName: z.string(),
  zoneLabel: z.string(),
  capturedAt: z.string(),
  confidence: z.number(),
  snapshot: z.string(),
});
export type EvidenceCapture = z.infer<typeof EvidenceCaptureSchema>;

export const ReminderViewSchema = z.object({
  id: z.string(),
  establishmentId: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  reason: z.string(),
  issuedAt: z.string(),
  answerBy: z.string(),
  acknowledgedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  captures: z.array(EvidenceCaptureSchema),
});
export type ReminderView = z.infer<typeof ReminderViewSchema>;

export const NoticeViewSchema = z.object({
  id: z.string(),
  number: z.string(),
  establishmentId: z.string(),
  shopName: z.string(),
  topic: z.string(),
  topicLabel: z.string(),
  source: z.enum(['ladder', 'regulator', 'camera']),
  reason: z.string(),
  requirement: z.string(),
  issuedAt: z.string(),
  deadline: z.string(),
  deadlineComplete: z.boolean(),
  status: z.enum(NOTICE_STATUSES),
  statusLabel: z.string(),
  overdue: z.boolean(),
  photos: z.array(z.string()),
  captures: z.array(EvidenceCaptureSchema),
  replies: z.array(
    z.object({
      at: z.string(),
      text: z.string(),
      photos: z.array(z.string()),
      state: z.enum(REPLY_STATES),
      stateLabel: z.string(),
      editedAt: z.string().nullable(),
      withdrawnAt: z.string().nullable(),
    }),
  ),
  reviews: z.array(z.object({ at: z.string(), decision: z.enum(['accept', 'return']), reason: z.string() })),
});
export type NoticeView = z.infer<typeof NoticeViewSchema>;

export const CASE_STATUSES = ['draft', 'confirmed', 'responded', 'signed', 'decided', 'dismissed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  draft: '草稿（待监管人员确认）',
  confirmed: '待当事人确认',
  responded: '待当事人签名',
  signed: '已签名，待作出决定',
  decided: '已作出决定',
  dismissed: '草稿未予立案',
};
export const CASE_OUTCOMES = ['no_case', 'correction_order', 'penalty'] as const;
export const CASE_OUTCOME_LABELS: Record<(typeof CASE_OUTCOMES)[number], string> = {
  no_case: '不予立案',
  correction_order: '责令改正',
  penalty: '行政处罚',
};

export const CaseCreateSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    category: z.enum(CAPTURE_CATEGORY_CODES),
    captureIds: z.array(ObjectIdSchema).max(50).default([]),
    photos: z.array(PhotoId).max(9).default([]),
    notes: z.string().trim().min(4, '请填写违法事实与检查情况').max(2000),
  })
  .strict();
export type CaseCreateInput = z.infer<typeof CaseCreateSchema>;

export const CaseConfirmSchema = z
  .object({
    notes: z.string().trim().min(4, '请填写违法事实与检查情况').max(2000),
    photos: z.array(PhotoId).max(9).default([]),
  })
  .strict();

export const ConsentSchema = z
  .object({
    /** The signer's name as on their ID, typed on the 送达地址确认书. */
    name: z.string().trim().min(2).max(20),
    agree: z.literal(true, { error: '请勾选同意以电子方式送达' }),
  })
  .strict();

export const CaseResponseSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('confirm') }).strict(),
  z
    .object({
      decision: z.literal('object'),
      statement: z.string().trim().min(10, '请写明异议的事实与理由（至少 10 个字）').max(2000),
      photos: z.array(PhotoId).max(9).default([]),
    })
    .strict(),
]);
export type CaseResponseInput = z.infer<typeof CaseResponseSchema>;

export const CaseSignSchema = z
  .object({
    /** The SHA-256 (hex) of the document text the phone showed; must be the server's. */
    documentSha256: z.string().regex(/^[0-9a-f]{64}$/, '文书摘要格式错误'),
    signature: PhotoId,
  })
  .strict();

export const CaseDecisionSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('no_case'), reason: z.string().trim().min(4).max(1000) }).strict(),
  z.object({ outcome: z.literal('correction_order'), reason: z.string().trim().min(4).max(1000) }).strict(),
  z
    .object({
      outcome: z.literal('penalty'),
      reason: z.string().trim().min(4).max(1000),
      decisionNumber: z.string().trim().min(4, '请填写处罚决定书文号').max(60),
      penalty: z.string().trim().min(2, '请填写处罚内容').max(300),
      fineFen: z.number().int().min(0).max(100_000_000_00).optional(),
    })
    .strict(),
]);
export type CaseDecisionInput = z.infer<typeof CaseDecisionSchema>;

export const CaseViewSchema = z.object({
  id: z.string(),
  number: z.string(),
  establishmentId: z.string(),
  shopName: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  status: z.enum(CASE_STATUSES),
  statusLabel: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  decideBy: z.string().nullable(),
  /** Not decided and past the 15 working days to decide on filing. */
  decisionOverdue: z.boolean(),
  /** Operators only: whether this operator gave the 送达地址确认书 (needed before the notice opens). */
  consented: z.boolean(),
  deliveredAt: z.string().nullable(),
  /** Hidden until delivered (consent, then the first open). */
  evidence: z
    .object({ notes: z.string(), photos: z.array(z.string()), captures: z.array(EvidenceCaptureSchema) })
    .nullable(),
  document: z.object({ title: z.string(), text: z.string(), sha256: z.string() }).nullable(),
  response: z
    .object({
      decision: z.enum(['confirm', 'object']),
      statement: z.string(),
      photos: z.array(z.string()),
      at: z.string(),
    })
    .nullable(),
  /** What the party signs: the notice with their response; its hash is what they send back. */
  toSign: z.object({ text: z.string(), sha256: z.string() }).nullable(),
  signature: z.object({ at: z.string(), image: z.string(), documentSha256: z.string() }).nullable(),
  decision: z
    .object({ outcome: z.enum(CASE_OUTCOMES), outcomeLabel: z.string(), reason: z.string(), at: z.string() })
    .nullable(),
});
export type CaseView = z.infer<typeof CaseViewSchema>;

export const OpenItemsSchema = z.object({
  reminders: z.array(ReminderViewSchema),
  notices: z.array(NoticeViewSchema),
  cases: z.array(CaseViewSchema),
});

export const ConsentViewSchema = z.object({
  consented: z.boolean(),
  at: z.string().nullable(),
  name: z.string().nullable(),
  text: z.string(),
});
export type ConsentView = z.infer<typeof ConsentViewSchema>;
