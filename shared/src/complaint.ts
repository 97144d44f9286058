// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { IdempotencyKeySchema } from './inspection.js';

export const COMPLAINT_TYPES = ['complaint', 'report'] as const;
export const COMPLAINT_TYPE_LABELS = { complaint: '投诉', report: '举报' } as const;
export const COMPLAINT_CATEGORIES = [
  'expired',
  'foreign_object',
  'spoiled',
  'unlicensed',
  'unhygienic',
  'other',
] as const;
export const COMPLAINT_CATEGORY_LABELS: Record<(typeof COMPLAINT_CATEGORIES)[number], string> = {
  expired: '过期食品',
  foreign_object: '异物',
  spoiled: '变质',
  unlicensed: '无证经营',
  unhygienic: '卫生差',
  other: '其他',
};
export const COMPLAINT_STATUSES = [
  'submitted',
  'accepted',
  'not_accepted',
  'in_progress',
  'resolved',
  'mediation_ended',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_STATUS_LABELS: Record<ComplaintStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  not_accepted: '不予受理',
  in_progress: '处理中',
  resolved: '已办结',
  mediation_ended: '终止调解',
};

/** Working days the law allows for the next decision (SAMR Order No. 20). */
export const COMPLAINT_DEADLINES = { accept: 7, mediation: 45, reportDecision: 15 } as const;

const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, '照片编号格式错误');

export const ComplaintInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    type: z.enum(COMPLAINT_TYPES),
    /** A listed shop, or (for a place not listed, e.g. a street stall) `place` and the position. */
    establishmentId: z
      .string()
      .regex(/^[0-9a-f]{24}$/, '请选择被投诉的门店')
      .optional(),
    place: z.string().trim().min(4, '请描述地点（至少 4 个字）').max(100, '地点描述不超过 100 字').optional(),
    category: z.enum(COMPLAINT_CATEGORIES),
    description: z.string().trim().min(10, '请至少用 10 个字描述经过').max(2000),
    photos: z.array(PhotoId).max(9, '最多 9 张照片').default([]),
    location: z.object({ lng: z.number().min(73).max(136), lat: z.number().min(3).max(54) }),
    /** 投诉 needs who and what they ask for; a 举报 may leave them out (anonymous). */
    name: z.string().trim().min(2).max(30).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号')
      .optional(),
    /**
     * Use the number WeChat verified for this user (手机号快速验证) instead of a typed one: the number
     * itself never travels back to the phone; the office gets it marked as verified.
     */
    useVerifiedPhone: z.boolean().default(false),
    request: z.string().trim().min(2).max(500).optional(),
    /** 通讯地址: where the office's written decisions reach a 投诉 filer (SAMR Order No. 20, Art. 15). */
    address: z.string().trim().min(5, '请填写通讯地址（至少 5 个字）').max(120, '通讯地址不超过 120 字').optional(),
    anonymous: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.establishmentId && !c.place)
      ctx.addIssue({ code: 'custom', path: ['establishmentId'], message: '请选择门店，或描述不在列表中的地点' });
    if (c.establishmentId && c.place)
      ctx.addIssue({ code: 'custom', path: ['place'], message: '已选择门店时无需描述地点' });
    if (c.type === 'complaint') {
      if (c.anonymous) ctx.addIssue({ code: 'custom', path: ['anonymous'], message: '投诉须实名，匿名请选择举报' });
      for (const f of ['name', 'phone', 'address', 'request'] as const) {
        if (!c[f] && !(f === 'phone' && c.useVerifiedPhone))
          ctx.addIssue({
            code: 'custom',
            path: [f],
            message: {
              name: '投诉须填写姓名',
              phone: '投诉须填写手机号',
              address: '投诉须填写通讯地址',
              request: '投诉须填写诉求',
            }[f],
          });
      }
    }
    if (c.phone && c.useVerifiedPhone) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: '已使用微信验证的手机号，无需再填写' });
    }
    if (c.anonymous && (c.name || c.phone || c.address || c.useVerifiedPhone)) {
      ctx.addIssue({ code: 'custom', path: ['anonymous'], message: '匿名举报不填写姓名、手机号和地址' });
    }
  });
export type ComplaintInput = z.infer<typeof ComplaintInputSchema>;

export const ComplaintActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: z.string().trim().max(500).default('') }).strict(),
  z.object({ action: z.literal('reject'), reason: z.string().trim().min(4, '请说明不予受理的理由').max(500) }).strict(),
  z.object({ action: z.literal('start'), note: z.string().trim().max(500).default('') }).strict(),
  z
    .object({
      action: z.literal('resolve'),
      result: z.string().trim().min(4, '请填写处理结果').max(1000),
      upheld: z.boolean(),
      addTargetedItem: z.string().trim().min(4).max(120).optional(),
    })
    .strict(),
  z.object({ action: z.literal('end_mediation'), reason: z.string().trim().min(4).max(500) }).strict(),
]);
export type ComplaintAction = z.infer<typeof ComplaintActionSchema>;

export const TimelineEntrySchema = z.object({
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  at: z.string(),
  note: z.string(),
});

/** A complaint as its filer (or a regulator) sees it; operators get no identity fields at all. */
export const ComplaintViewSchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.enum(COMPLAINT_TYPES),
  typeLabel: z.string(),
  category: z.enum(COMPLAINT_CATEGORIES),
  categoryLabel: z.string(),
  description: z.string(),
  photos: z.array(z.string()),
  /** Null for a place not listed (a street stall, reported by its position and description). */
  establishmentId: z.string().nullable(),
  shopName: z.string(),
  office: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  /** The legal deadline of the current step (YYYY-MM-DD), and whether it has passed. */
  deadline: z.string().nullable(),
  deadlineLabel: z.string().nullable(),
  overdue: z.boolean(),
  timeline: z.array(TimelineEntrySchema),
  createdAt: z.string(),
  /** Others who reported the same thing (我也遇到), each a party with a record of their own. */
  joinedCount: z.number(),
});
export type ComplaintView = z.infer<typeof ComplaintViewSchema>;

/**
 * A complaint as the shop it is about sees it: what happened to it and what the office wrote,
 * never who complained, their words, their photos or where they stood. Only 投诉 the office has
 * accepted are shown (a 举报 could warn the shop before an inspection).
 */
export const OperatorComplaintSchema = z.object({
  id: z.string(),
  number: z.string(),
  category: z.enum(COMPLAINT_CATEGORIES),
  categoryLabel: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  createdAt: z.string(),
  deadline: z.string().nullable(),
  deadlineLabel: z.string().nullable(),
  /** The office's steps and notes (the filer's own words are not among them). */
  steps: z.array(z.object({ statusLabel: z.string(), at: z.string(), note: z.string() })),
});
export type OperatorComplaint = z.infer<typeof OperatorComplaintSchema>;

export const FiledComplaintSchema = z.object({ complaint: ComplaintViewSchema, deviceKey: z.string().nullable() });

/**
 * An open complaint nearby about the same shop, as another diner sees it before filing: what kind,
 * where it stands, how near (in 10 m steps) and when — not the filer's words, name or position.
 */
export const SimilarComplaintSchema = z.object({
  id: z.string(),
  categoryLabel: z.string(),
  statusLabel: z.string(),
  distanceM: z.number(),
  createdAt: z.string(),
  /** How many people have reported it (the filer and those who joined). */
  parties: z.number(),
});
export type SimilarComplaint = z.infer<typeof SimilarComplaintSchema>;
