// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { DateOnlySchema } from './establishment.js';
import { IdempotencyKeySchema } from './inspection.js';
import { CreditGradeSchema } from './grading.js';
import { InvitationCodeSchema } from './codes.js';

export const MEMBER_ROLES = ['owner', 'director', 'safety_officer'] as const;
export const MemberRoleSchema = z.enum(MEMBER_ROLES);
export type MemberRole = z.infer<typeof MemberRoleSchema>;
export const MEMBER_ROLE_LABELS: Record<MemberRole, string> = {
  owner: '主要负责人',
  director: '食品安全总监',
  safety_officer: '食品安全员',
};

export const SELF_CHECK_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type SelfCheckKind = (typeof SELF_CHECK_KINDS)[number];
export const SELF_CHECK_LABELS: Record<SelfCheckKind, string> = {
  daily: '日管控',
  weekly: '周排查',
  monthly: '月调度',
};

/**
 * Who may submit each record (SAMR Order No. 60) when present: the 安全员 checks daily, the 总监
 * weekly, the owner monthly. A shop without them: `selfCheckDuty` (duty.ts) says who covers.
 */
export const SUBMITTERS: Record<SelfCheckKind, readonly MemberRole[]> = {
  daily: ['safety_officer', 'director'],
  weekly: ['director', 'safety_officer'],
  monthly: ['owner'],
};

export interface ChecklistItem {
  code: string;
  text: string;
  method: string;
  basis: string;
  photoRequired: boolean;
  source: 'default' | 'shop' | 'regulator';
}

/** DOMAIN.md's default catering daily checklist. */
export const DEFAULT_DAILY_CHECKLIST: readonly ChecklistItem[] = [
  {
    code: 'D01',
    text: '信息公示：许可证、健康证明、量化等级、添加剂使用情况公示到位',
    method: '现场查看公示栏',
    basis: '《食品安全法》第三十五条',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D02',
    text: '晨检：从业人员健康检查已完成，发热、腹泻、皮肤伤口感染、咽部炎症者已离岗',
    method: '查看晨检记录并询问',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D03',
    text: '个人卫生：工作衣帽整洁、头发不外露，专间内戴口罩，不戴饰物、不涂指甲油，不吸烟',
    method: '现场查看',
    basis: '《食品安全法》第三十三条',
    photoRequired: true,
    source: 'default',
  },
  {
    code: 'D04',
    text: '进货查验：供货者许可与票据齐全，记录名称、规格、数量、生产日期/批号、保质期、进货日期及供货者信息',
    method: '查看进货查验记录',
    basis: '《食品安全法》第五十三条',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D05',
    text: '贮存：生熟分开、离地离墙、标识清楚，冷藏 0–8 ℃、冷冻 ≤ −12 ℃，无过期食品',
    method: '查看库房与冰箱温度',
    basis: '《食品安全法》第五十四条',
    photoRequired: true,
    source: 'default',
  },
  {
    code: 'D06',
    text: '加工制作：生熟工具分开，烧熟煮透，冷食生食仅在专间制作',
    method: '现场查看',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D07',
    text: '餐用具消毒：按规定方法和时长消毒，存放于密闭保洁柜',
    method: '查看消毒记录与保洁柜',
    basis: '《食品安全法》第五十六条',
    photoRequired: true,
    source: 'default',
  },
  {
    code: 'D08',
    text: '留样：每餐每样 ≥125 克，密封标识，专用冰箱存放 ≥48 小时，专人记录',
    method: '查看留样冰箱与记录',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: true,
    source: 'default',
  },
  {
    code: 'D09',
    text: '食品添加剂：五专管理（专店采购、专柜存放、专人负责、专用工具、专用台账），不使用亚硝酸盐',
    method: '查看添加剂专柜与台账',
    basis: '《食品安全法》第四十条',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D10',
    text: '虫害防制：纱窗完好、鼠饵站到位，无虫鼠痕迹',
    method: '现场查看',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D11',
    text: '餐厨废弃物：加盖并标识，24 小时内清运，交有资质单位，台账保存 ≥2 年',
    method: '查看垃圾桶与清运台账',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: false,
    source: 'default',
  },
  {
    code: 'D12',
    text: '设施设备：冰箱、洗手消毒设施运转正常，明厨亮灶摄像头在线且无遮挡',
    method: '现场查看',
    basis: '《餐饮服务食品安全操作规范》',
    photoRequired: false,
    source: 'default',
  },
];

const PhotoIdSchema = z.string().regex(/^[0-9a-f]{64}$/, '照片编号格式错误');

export const ChecklistAdditionSchema = z
  .object({
    text: z.string().trim().min(4, '检查内容至少 4 个字').max(120),
    method: z.string().trim().min(2).max(60),
    basis: z.string().trim().max(60).default(''),
    photoRequired: z.boolean().default(false),
  })
  .strict();

export const DailyItemResultSchema = z
  .object({
    code: z.string().regex(/^[A-Z]\d{2,4}$/, '检查项编号错误'),
    result: z.enum(['pass', 'fail', 'na']),
    note: z.string().trim().max(300).default(''),
    photos: z.array(PhotoIdSchema).max(9).default([]),
    /** For a fail: what was done about it. */
    action: z.string().trim().max(300).default(''),
    /** For a fail: hand it to the 总监. */
    escalate: z.boolean().default(false),
  })
  .strict()
  .refine((i) => i.result !== 'fail' || i.action.length >= 2, { message: '不合格项须填写处理措施', path: ['action'] });

export const DailyRecordInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    date: DateOnlySchema,
    /** One tap when everything passed: still a full record, each item marked pass. */
    zeroRisk: z.boolean().default(false),
    items: z.array(DailyItemResultSchema).max(100).default([]),
    correctionOf: z
      .string()
      .regex(/^[0-9a-f]{24}$/)
      .optional(),
  })
  .strict();
export type DailyRecordInput = z.infer<typeof DailyRecordInputSchema>;

export const WeeklyIssueSchema = z
  .object({
    description: z.string().trim().min(2).max(300),
    classification: z.enum(['fixed', 'tracking', 'project']),
    owner: z.string().trim().min(1, '请填写责任人').max(40),
    dueDate: DateOnlySchema,
  })
  .strict();
export const WEEKLY_CLASSIFICATION_LABELS = {
  fixed: '已立即整改',
  tracking: '需长期跟踪',
  project: '需专项整治',
} as const;

export const WeeklyRecordInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    /** The Monday of the week. */
    weekStart: DateOnlySchema,
    summary: z.string().trim().min(2, '请填写本周小结').max(1000),
    issues: z.array(WeeklyIssueSchema).max(50).default([]),
    correctionOf: z
      .string()
      .regex(/^[0-9a-f]{24}$/)
      .optional(),
  })
  .strict();
export type WeeklyRecordInput = z.infer<typeof WeeklyRecordInputSchema>;

export const MonthlyRecordInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM'),
    review: z.string().trim().min(2, '请填写本月工作回顾').max(2000),
    openIssues: z.string().trim().max(2000).default(''),
    plan: z.string().trim().min(2, '请填写下月工作计划').max(2000),
    attendees: z.array(z.string().trim().min(1).max(40)).min(1, '请填写参会人员').max(30),
    /** The owner's signature, drawn on the phone and uploaded as an image first. */
    signaturePhoto: PhotoIdSchema,
    correctionOf: z
      .string()
      .regex(/^[0-9a-f]{24}$/)
      .optional(),
  })
  .strict();
export type MonthlyRecordInput = z.infer<typeof MonthlyRecordInputSchema>;

export const InvitationInputSchema = z
  .object({
    role: MemberRoleSchema,
    maxUses: z.number().int().min(1).max(50).default(1),
    expiresInDays: z.number().int().min(1).max(30).default(7),
  })
  .strict();

export const BindRequestSchema = z
  .object({
    code: InvitationCodeSchema,
  })
  .strict();

// ---- Responses the operator app reads ----

export const ChecklistItemSchema = z.object({
  code: z.string(),
  text: z.string(),
  method: z.string(),
  basis: z.string(),
  photoRequired: z.boolean(),
  source: z.enum(['default', 'shop', 'regulator']),
});

export const SelfCheckRecordSchema = z.object({
  id: z.string(),
  establishmentId: z.string(),
  kind: z.enum(SELF_CHECK_KINDS),
  kindLabel: z.string(),
  period: z.string(),
  content: z.record(z.string(), z.unknown()),
  submittedBy: z.string(),
  role: MemberRoleSchema,
  roleLabel: z.string(),
  submittedAt: z.string(),
  late: z.boolean(),
  correctionOf: z.string().nullable(),
  seq: z.number(),
  hash: z.string(),
});
export type SelfCheckRecord = z.infer<typeof SelfCheckRecordSchema>;

export const ChainVerificationSchema = z.object({
  records: z.number(),
  intact: z.boolean(),
  breaks: z.array(z.object({ seq: z.number(), recordId: z.string(), reason: z.string() })),
});
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;

/** One record as stored, and whether the hash chain holds for it and up to it. */
export const SelfCheckDetailSchema = z.object({
  record: SelfCheckRecordSchema,
  verification: z.object({
    /** This record's own hash and link hold. */
    intact: z.boolean(),
    /** Every record up to and including this one holds. */
    chainIntact: z.boolean(),
    breaks: ChainVerificationSchema.shape.breaks,
    records: z.number(),
  }),
});
export type SelfCheckDetail = z.infer<typeof SelfCheckDetailSchema>;

export const BindResultSchema = z.object({
  establishmentId: z.string(),
  role: MemberRoleSchema,
  roleLabel: z.string(),
});

export const UploadResultSchema = z.object({ id: z.string(), type: z.string(), size: z.number() });
export type UploadResult = z.infer<typeof UploadResultSchema>;

export const OperatorShopSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  role: MemberRoleSchema,
  roleLabel: z.string(),
  grade: CreditGradeSchema,
});
export type OperatorShop = z.infer<typeof OperatorShopSchema>;

export const DashboardSchema = z.object({
  /** `school`: a school (or childcare) canteen, which has a parents' committee. */
  shop: z.object({ id: z.string(), name: z.string(), school: z.boolean() }),
  role: MemberRoleSchema,
  roleLabel: z.string(),
  today: z.string(),
  grade: CreditGradeSchema,
  tasks: z.array(
    z.object({
      kind: z.enum(SELF_CHECK_KINDS),
      period: z.string(),
      label: z.string(),
      done: z.boolean(),
      canSubmit: z.boolean(),
      /** Who files it in this shop now (`selfCheckDuty`): "由店主填报". */
      duty: z.string(),
    }),
  ),
  overdue: z.array(z.object({ kind: z.enum(SELF_CHECK_KINDS), period: z.string(), label: z.string() })),
  escalations: z.array(
    z.object({ period: z.string(), code: z.string(), text: z.string(), note: z.string(), action: z.string() }),
  ),
  onTimeRate30d: z.number().nullable(),
  /** Cameras offline during opening hours right now. */
  cameraAlerts: z.number(),
  /** AI reminders to acknowledge, notices to answer (open or returned), cases waiting for the party. */
  enforcement: z.object({ reminders: z.number(), notices: z.number(), cases: z.number() }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const WeeklyDraftSchema = z.object({
  weekStart: z.string(),
  dailyCount: z.number(),
  summary: z.string(),
  issues: z.array(z.object({ date: z.string(), code: z.string(), description: z.string(), action: z.string() })),
});
export type WeeklyDraft = z.infer<typeof WeeklyDraftSchema>;

export const InvitationSchema = z.object({
  code: z.string(),
  establishmentId: z.string(),
  role: z.union([MemberRoleSchema, z.literal('parent')]),
  roleLabel: z.string(),
  maxUses: z.number(),
  remaining: z.number(),
  expiresAt: z.string(),
  revoked: z.boolean(),
  createdAt: z.string(),
  /** How many people joined with it. */
  used: z.number(),
  /** The reader joined with this code (the owner's own code from the regulator). */
  usedByMe: z.boolean(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

/** A member of a shop's team as the owner and 总监 see it. */
export const TeamMemberSchema = z.object({
  userId: z.string(),
  role: MemberRoleSchema,
  roleLabel: z.string(),
  addedAt: z.string(),
  isMe: z.boolean(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;
