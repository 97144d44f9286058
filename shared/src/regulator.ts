// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { LoginResponseSchema } from './auth.js';
import { ComplaintViewSchema, COMPLAINT_STATUSES, COMPLAINT_TYPES, TimelineEntrySchema } from './complaint.js';
import { BusinessTypeSchema, EstablishmentStatusSchema, LicenceSchema, LocationSchema } from './establishment.js';
import { CreditGradeSchema } from './grading.js';
import { RISK_LEVELS } from './risk.js';

/**
 * What a regulator's account allows. A city administrator sees and does everything in the city and
 * manages accounts; an inspector (district or office) works the shops of their districts; a
 * complaint handler works the complaints of their offices and districts.
 */
export const REGULATOR_ROLES = ['city_admin', 'inspector', 'complaint_handler'] as const;
export type RegulatorRole = (typeof REGULATOR_ROLES)[number];
export const REGULATOR_ROLE_LABELS: Record<RegulatorRole, string> = {
  city_admin: '市级管理员',
  inspector: '监督检查人员',
  complaint_handler: '投诉举报处理人员',
};

const place = z.string().trim().min(2, '辖区名称至少 2 个字').max(30, '辖区名称过长');
/** 执法证号: the law-enforcement certificate an inspector shows on site. */
export const CertificateNoSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{6,24}$/, '执法证号为 6–24 位字母、数字或短横线');

/** What an administrator fills in to invite a colleague. */
export const RegulatorInviteInputSchema = z
  .object({
    role: z.enum(REGULATOR_ROLES),
    name: z.string().trim().min(2, '姓名至少 2 个字').max(20, '姓名不超过 20 个字'),
    districts: z.array(place).max(20).default([]),
    offices: z.array(place).max(20).default([]),
    certificateNo: CertificateNoSchema.optional(),
    validDays: z.number().int().min(1).max(30).default(7),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role !== 'city_admin' && !v.districts.length && !v.offices.length)
      ctx.addIssue({ code: 'custom', path: ['districts'], message: '请至少选择一个辖区或所' });
    if (v.role === 'inspector' && !v.certificateNo)
      ctx.addIssue({ code: 'custom', path: ['certificateNo'], message: '监督检查人员须填写执法证号' });
  });
export type RegulatorInviteInput = z.infer<typeof RegulatorInviteInputSchema>;

/** Where an account may act: the whole city, or its districts (shops) and offices (complaints). */
export const JurisdictionSchema = z
  .object({ city: z.boolean(), districts: z.array(z.string()), offices: z.array(z.string()) })
  .strict();
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const RegulatorAccountSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    role: z.enum(REGULATOR_ROLES),
    roleLabel: z.string(),
    jurisdiction: JurisdictionSchema,
    /** "全市", or the districts and offices, for a line of text. */
    jurisdictionLabel: z.string(),
    certificateNo: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type RegulatorAccount = z.infer<typeof RegulatorAccountSchema>;

export const RegulatorInvitationSchema = z
  .object({
    code: z.string(),
    role: z.enum(REGULATOR_ROLES),
    roleLabel: z.string(),
    name: z.string(),
    jurisdictionLabel: z.string(),
    expiresAt: z.string(),
    usedAt: z.string().nullable(),
    revoked: z.boolean(),
  })
  .strict();
export type RegulatorInvitation = z.infer<typeof RegulatorInvitationSchema>;

/** An invitation code (or the first administrator's one-time code). */
export const RegulatorBindRequestSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{10}$/, '邀请码为 10 位字母或数字'),
  })
  .strict();

/** Binding answers the account and a new token carrying the regulator role. */
export const RegulatorBindResponseSchema = LoginResponseSchema.extend({ account: RegulatorAccountSchema });
export type RegulatorBindResponse = z.infer<typeof RegulatorBindResponseSchema>;

/** An administrator changes an account: its jurisdiction, its certificate, or ends it. */
export const RegulatorAccountUpdateSchema = z
  .object({
    districts: z.array(place).max(20).optional(),
    offices: z.array(place).max(20).optional(),
    certificateNo: CertificateNoSchema.nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');

/** "全市", or "西湖区、上城区；西湖区市场监督管理所". */
export function jurisdictionLabel(j: Jurisdiction): string {
  if (j.city) return '全市';
  return [j.districts.join('、'), j.offices.join('、')].filter(Boolean).join('；');
}

/** 风险分级 as regulators see it: the level, its score and reasons, and the inspections it asks for. */
export const RiskResultSchema = z
  .object({
    level: z.enum(RISK_LEVELS),
    score: z.number(),
    staticScore: z.number(),
    dynamicScore: z.number(),
    inspectionsPerYear: z.object({ min: z.number(), max: z.number() }).strict(),
    reasons: z.array(z.string()),
  })
  .strict();

/** A shop as regulators see it: everything on file, its grade, and (one shop's page) its risk level. */
export const RegulatorShopSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    licence: LicenceSchema.extend({ typeLabel: z.string() }),
    address: z.string(),
    district: z.string(),
    location: LocationSchema,
    businessType: BusinessTypeSchema,
    businessTypeLabel: z.string(),
    floorAreaM2: z.number(),
    dinersPerMeal: z.number(),
    status: EstablishmentStatusSchema,
    statusLabel: z.string(),
    licensedAt: z.string(),
    openingHours: z.string(),
    qr: z.object({ version: z.number(), revoked: z.boolean() }).strict(),
    grade: CreditGradeSchema,
    risk: RiskResultSchema.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type RegulatorShop = z.infer<typeof RegulatorShopSchema>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number() }).strict();

export const RegulatorShopPageSchema = page(RegulatorShopSchema);

/** A complaint as regulators see it: the filer's identity, every party, the whole timeline. */
export const RegulatorComplaintSchema = ComplaintViewSchema.extend({
  /** Who took each step (the account's id), which the diner's view leaves out. */
  timeline: z.array(TimelineEntrySchema.extend({ by: z.string() })),
  complainant: z
    .object({
      name: z.string().nullable(),
      phone: z.string().nullable(),
      phoneVerified: z.boolean(),
      address: z.string().nullable(),
      request: z.string().nullable(),
    })
    .strict()
    .nullable(),
  anonymous: z.boolean(),
  descriptionCheck: z.enum(['pass', 'review', 'unchecked']),
  location: z.object({ lng: z.number(), lat: z.number() }),
  district: z.string().nullable(),
  outsideDistricts: z.boolean(),
  deadlineComplete: z.boolean(),
  upheld: z.boolean().nullable(),
  groupId: z.string().nullable(),
  parties: z.array(
    z
      .object({
        id: z.string(),
        number: z.string(),
        type: z.enum(COMPLAINT_TYPES),
        status: z.enum(COMPLAINT_STATUSES),
        statusLabel: z.string(),
        createdAt: z.string(),
      })
      .strict(),
  ),
});
export type RegulatorComplaint = z.infer<typeof RegulatorComplaintSchema>;
export const RegulatorComplaintPageSchema = page(RegulatorComplaintSchema);

/** One line of a shop's enforcement timeline (every capture, step and action: who, role, when). */
export const AuditEntrySchema = z
  .object({ at: z.string(), actor: z.string(), role: z.string(), action: z.string(), summary: z.string() })
  .passthrough();
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const RateSchema = z
  .object({
    expected: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    missing: z.number().int(),
    rate: z.number().nullable(),
  })
  .strict();
/** A shop's self-check on-time rates: daily over 30 days, weekly over 12 weeks, monthly over 12 months. */
export const SelfCheckRatesSchema = z
  .object({ startedOn: z.string().nullable(), daily: RateSchema, weekly: RateSchema, monthly: RateSchema })
  .strict();
export type SelfCheckRates = z.infer<typeof SelfCheckRatesSchema>;
