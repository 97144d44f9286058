import { CreditGradeSchema } from './grading.js';
import { DYNAMIC_GRADES } from './inspection.js';
import { BusinessTypeSchema, CrsSchema, EstablishmentStatusSchema, LicenceTypeSchema } from './establishment.js';
import { PublicStandingSchema } from './standing.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** What a scanned code carries: shop code, code version and signature (fits a wxacode scene's 32 chars). */
export const QrPayloadSchema = z
  .string()
  .trim()
  .regex(/^[A-Z2-9]{8}\.\d{1,4}\.[A-Za-z0-9_-]{12}$/, '二维码内容无法识别');

/** Reads the payload from what a scan gives: a bare payload, or a URL with ?c=… (also after a # route). */
export function payloadFromScan(scanned: string): string | undefined {
  const text = decodeURIComponent(scanned.trim());
  const direct = QrPayloadSchema.safeParse(text);
  if (direct.success) return direct.data;
  const m = /[?&]c=([A-Za-z0-9_.-]+)/.exec(text);
  if (!m?.[1]) return undefined;
  const parsed = QrPayloadSchema.safeParse(m[1]);
  return parsed.success ? parsed.data : undefined;
}

export const PublicInspectionSchema = z.object({
  date: z.string(),
  score: z.number(),
  dynamicGrade: z.enum(DYNAMIC_GRADES),
  dynamicGradeLabel: z.string(),
  keyFindings: z.array(z.string()),
});

export const PublicPenaltySchema = z.object({
  decisionNumber: z.string(),
  date: z.string(),
  violation: z.string(),
  penalty: z.string(),
});

/** A shop's 一户一档 public file, as anyone scanning its code sees it. */
export const ShopProfileSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  district: z.string(),
  businessType: BusinessTypeSchema,
  businessTypeLabel: z.string(),
  status: EstablishmentStatusSchema,
  statusLabel: z.string(),
  location: z.object({ lng: z.number(), lat: z.number(), crs: CrsSchema }),
  licence: z.object({
    number: z.string(),
    type: LicenceTypeSchema,
    typeLabel: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    expired: z.boolean(),
  }),
  grade: CreditGradeSchema,
  reply: z.object({ text: z.string(), updatedAt: z.string() }).nullable(),
  inspections: z.array(PublicInspectionSchema),
  penalties: z.array(PublicPenaltySchema),
  /** Share of the last 30 days' self-checks made on time; null while the shop has no self-check record. */
  selfCheckOnTimeRate30d: z.number().nullable(),
  /** Open rectification notices; null while there is no rectification record for the shop. */
  openRectifications: z.number().nullable(),
  /** Licence, suspension, closure: what leads the page (grade marked not valid unless operating). */
  standing: PublicStandingSchema,
  /** The kitchen's live view: how many cameras, whether the shop is open now, who may watch. */
  live: z.object({
    cameras: z.number(),
    openNow: z.boolean(),
    openingHours: z.string().nullable(),
    committeeOnly: z.boolean(),
    resting: z.boolean(),
  }),
  /** When anything on this file last changed (the shop, its grade). */
  updatedAt: z.string(),
});
export type ShopProfile = z.infer<typeof ShopProfileSchema>;

export const ShopSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  district: z.string(),
  businessTypeLabel: z.string(),
  grade: CreditGradeSchema.pick({ status: true, grade: true, colour: true, label: true, stale: true, ratedOn: true }),
  standing: PublicStandingSchema,
  /** Metres from the searcher, when a location was given. */
  distanceM: z.number().nullable(),
});
export type ShopSummary = z.infer<typeof ShopSummarySchema>;

export const ShopSearchQuerySchema = z
  .object({
    q: z.string().trim().max(30, '关键词不超过 30 个字').optional(),
    lng: z.coerce.number().min(73).max(136).optional(),
    lat: z.coerce.number().min(3).max(54).optional(),
    /** Search radius in metres when a location is given. */
    radius: z.coerce.number().int().min(100).max(50_000).default(5000),
    district: z.string().trim().max(30).optional(),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict()
  .refine((q) => (q.lng === undefined) === (q.lat === undefined), { message: '经纬度需同时提供', path: ['lat'] })
  .refine((q) => q.lng !== undefined || (q.q && q.q.length > 0) || q.district, {
    message: '请提供位置、关键词或辖区',
    path: ['q'],
  });
export type ShopSearchQuery = z.infer<typeof ShopSearchQuerySchema>;

export const ShopSearchResultSchema = z.object({
  items: z.array(ShopSummarySchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type ShopSearchResult = z.infer<typeof ShopSearchResultSchema>;

/** 红黑榜 of a district: derived from the grades, each entry with why it is there. */
export const HonourBoardSchema = z.object({
  district: z.string(),
  generatedAt: z.string(),
  red: z.array(ShopSummarySchema.extend({ why: z.string() })),
  black: z.array(ShopSummarySchema.extend({ why: z.string() })),
});
export type HonourBoard = z.infer<typeof HonourBoardSchema>;

/** The reply as its shop sees it: public once WeChat's content check passed it, else awaiting review. */
/** Open data: every shop's grade as the public file shows it, with its standing. */
export const OpenGradeSchema = z.object({
  licenceNumber: z.string(),
  name: z.string(),
  address: z.string(),
  district: z.string(),
  businessType: z.string(),
  standing: z.enum(['operating', 'licence_expired', 'suspended', 'closed']),
  standingLabel: z.string(),
  grade: z.enum(['A', 'B', 'C']).nullable(),
  gradeLabel: z.string(),
  /** False when the standing makes the grade not valid now (it is then history only). */
  gradeCurrent: z.boolean(),
  ratedOn: z.string().nullable(),
  stale: z.boolean(),
  updatedAt: z.string(),
});
export const OpenGradesSchema = z.object({
  items: z.array(OpenGradeSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  generatedAt: z.string(),
});

export const GradeReplyResultSchema = z.object({
  text: z.string(),
  updatedAt: z.string(),
  /** published: diners see it; in_review: WeChat's content check asked for a person first. */
  state: z.enum(['published', 'in_review']),
});
export type GradeReplyResult = z.infer<typeof GradeReplyResultSchema>;

/** The reply page's view: the shop's current reply, or none. */
export const GradeReplyStateSchema = z.object({ reply: GradeReplyResultSchema.nullable() });
export type GradeReplyState = z.infer<typeof GradeReplyStateSchema>;

export const GradeReplySchema = z
  .object({ text: z.string().trim().min(2, '回复至少 2 个字').max(300, '回复不超过 300 字') })
  .strict();
