// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { DateOnlySchema, ObjectIdSchema } from './establishment.js';
import { IdempotencyKeySchema, INSPECTION_AREAS, type InspectionAreaCode } from './inspection.js';
import { ChecklistAnswersSchema, ITEM_RESULTS } from './checklist.js';

/**
 * 现场监督检查 (SAMR Order 49) as the inspectors' app works it: a draft kept on the server as
 * answers come in (a lost connection loses nothing), finished into the 监督检查结果记录表 whose
 * text is hashed, signed by the two inspectors and by the shop's representative on the
 * inspector's phone, then recorded: the inspection enters the shop's file and grade, and each
 * 不符合 item opens a rectification notice in the operator app.
 */

const PhotoIdSchema = z.string().regex(/^[0-9a-f]{64}$/, '照片编号格式错误');
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, '文书摘要格式错误');

/** A second inspector to pick. */
export const ColleagueSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    certificateNo: z.string(),
    districts: z.array(z.string()),
    city: z.boolean(),
  })
  .strict();
export type Colleague = z.infer<typeof ColleagueSchema>;

export const OnsiteStartSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    /** The second inspector (执法人员不少于两人), an inspector of the shop's district. */
    coInspectorId: ObjectIdSchema,
  })
  .strict();
export type OnsiteStart = z.infer<typeof OnsiteStartSchema>;

export const OnsiteAnswersSchema = z.object({ answers: ChecklistAnswersSchema }).strict();
export type OnsiteAnswers = z.infer<typeof OnsiteAnswersSchema>;

export const OnsiteSignSchema = z
  .object({
    /** Who signs: the caller as one of the two inspectors, or the shop's representative on their phone. */
    role: z.enum(['inspector', 'representative']),
    documentSha256: Sha256Schema,
    signature: PhotoIdSchema,
    /** The representative's name and position (required for them). */
    name: z.string().trim().min(2, '请填写被检查单位负责人姓名').max(20).optional(),
    title: z.string().trim().max(20).optional(),
  })
  .strict()
  .refine((s) => s.role !== 'representative' || !!s.name, { path: ['name'], message: '请填写被检查单位负责人姓名' });
export type OnsiteSign = z.infer<typeof OnsiteSignSchema>;

export const ONSITE_STATES = ['draft', 'signing', 'recorded'] as const;
export const ONSITE_STATE_LABELS: Record<(typeof ONSITE_STATES)[number], string> = {
  draft: '检查中',
  signing: '待签名',
  recorded: '已归档',
};

const ResultLabelSchema = z.enum(['conform', 'basically', 'nonconform']);

export const OnsiteInspectionSchema = z
  .object({
    id: ObjectIdSchema,
    shopId: ObjectIdSchema,
    shopName: z.string(),
    district: z.string(),
    businessType: z.string(),
    date: DateOnlySchema,
    state: z.enum(ONSITE_STATES),
    stateLabel: z.string(),
    inspectors: z.array(
      z.object({ userId: z.string(), name: z.string(), certificateNo: z.string(), signed: z.boolean() }).strict(),
    ),
    representative: z.object({ name: z.string(), title: z.string().nullable() }).strict().nullable(),
    items: z.array(
      z
        .object({
          code: z.string(),
          area: z.string(),
          areaLabel: z.string(),
          text: z.string(),
          points: z.number(),
          key: z.boolean(),
          answer: z
            .object({
              result: z.enum(ITEM_RESULTS),
              resultLabel: z.string(),
              note: z.string().nullable(),
              photos: z.array(z.string()),
            })
            .strict()
            .nullable(),
        })
        .strict(),
    ),
    score: z
      .object({
        complete: z.boolean(),
        missing: z.number().int(),
        areaScores: z.record(z.string(), z.number()),
        total: z.number(),
        result: ResultLabelSchema,
        resultLabel: z.string(),
        dynamicGrade: z.string(),
        nonconformItems: z.array(z.string()),
      })
      .strict(),
    /** The record's text and its SHA-256 once finished (what each signer signs). */
    text: z.string().nullable(),
    documentSha256: z.string().nullable(),
    recordId: z.string().nullable(),
    noticeIds: z.array(z.string()),
    updatedAt: z.string(),
  })
  .strict();
export type OnsiteInspection = z.infer<typeof OnsiteInspectionSchema>;

/** The areas' labels by code (the app groups the items under them). */
export const AREA_LABELS = Object.fromEntries(INSPECTION_AREAS.map((a) => [a.code, a.label])) as Record<
  InspectionAreaCode,
  string
>;
