import { OpeningHoursSchema } from './hours.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** Calendar dates travel as YYYY-MM-DD (a licence's validity, an inspection day), in Asia/Shanghai. */
export const DateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期不存在');

export const ObjectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '编号格式错误');

export const BUSINESS_TYPES = [
  'restaurant',
  'snack_bar',
  'beverage_shop',
  'school_canteen',
  'childcare_canteen',
  'elderly_canteen',
  'hospital_canteen',
  'other_canteen',
  'central_kitchen',
  'meal_distributor',
] as const;
export const BusinessTypeSchema = z.enum(BUSINESS_TYPES);
export type BusinessType = z.infer<typeof BusinessTypeSchema>;

export const BUSINESS_TYPE_LABELS: Record<BusinessType, string> = {
  restaurant: '餐馆',
  snack_bar: '小吃店',
  beverage_shop: '饮品店',
  school_canteen: '学校食堂',
  childcare_canteen: '托幼机构食堂',
  elderly_canteen: '养老机构食堂',
  hospital_canteen: '医疗机构食堂',
  other_canteen: '其他单位食堂',
  central_kitchen: '中央厨房',
  meal_distributor: '集体用餐配送单位',
};

/** School canteens: their kitchens are shown only to the school's parents' committee (and regulators). */
export const COMMITTEE_TYPES: readonly BusinessType[] = ['school_canteen', 'childcare_canteen'];

/** Canteens counted by diners per meal rather than by floor area (DOMAIN.md, risk level). */
export const CANTEEN_TYPES: readonly BusinessType[] = [
  'school_canteen',
  'childcare_canteen',
  'elderly_canteen',
  'hospital_canteen',
  'other_canteen',
];

export const LICENCE_TYPES = ['food_business', 'small_catering'] as const;
export const LicenceTypeSchema = z.enum(LICENCE_TYPES);
export const LICENCE_TYPE_LABELS: Record<(typeof LICENCE_TYPES)[number], string> = {
  food_business: '食品经营许可证',
  small_catering: '小餐饮登记证',
};

export const ESTABLISHMENT_STATUSES = ['open', 'suspended', 'closed'] as const;
export const EstablishmentStatusSchema = z.enum(ESTABLISHMENT_STATUSES);
export type EstablishmentStatus = z.infer<typeof EstablishmentStatusSchema>;
export const ESTABLISHMENT_STATUS_LABELS: Record<EstablishmentStatus, string> = {
  open: '正常营业',
  suspended: '停业整顿',
  closed: '已注销',
};

/** Coordinate systems: WeChat's getLocation and Chinese maps give GCJ-02; GPS gives WGS-84. */
export const CrsSchema = z.enum(['GCJ02', 'WGS84', 'BD09']);

export const LocationSchema = z.object({
  lng: z.number().min(73, '经度超出中国范围').max(136, '经度超出中国范围'),
  lat: z.number().min(3, '纬度超出中国范围').max(54, '纬度超出中国范围'),
  crs: CrsSchema.default('GCJ02'),
});
export type Location = z.infer<typeof LocationSchema>;

export const LicenceSchema = z
  .object({
    // 食品经营许可证: "JY" + 14 digits; 小餐饮登记证 numbers vary by province.
    number: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{6,32}$/, '许可证编号格式错误'),
    type: LicenceTypeSchema,
    validFrom: DateOnlySchema,
    validTo: DateOnlySchema,
  })
  .refine((l) => l.validFrom <= l.validTo, { message: '有效期截止日期早于起始日期', path: ['validTo'] })
  .refine((l) => l.type !== 'food_business' || /^JY\d{14}$/.test(l.number), {
    message: '食品经营许可证编号应为 JY 加 14 位数字',
    path: ['number'],
  });

const name = z.string().trim().min(2, '名称至少 2 个字').max(60, '名称不超过 60 个字');

export const EstablishmentInputSchema = z
  .object({
    name,
    licence: LicenceSchema,
    address: z.string().trim().min(4, '地址过短').max(120, '地址过长'),
    district: z.string().trim().min(2, '请填写所属辖区').max(30, '辖区名称过长'),
    location: LocationSchema,
    businessType: BusinessTypeSchema,
    floorAreaM2: z.number().positive('经营面积应大于 0').max(100_000, '经营面积过大'),
    dinersPerMeal: z.number().int('就餐人数应为整数').min(0).max(100_000),
    status: EstablishmentStatusSchema.default('open'),
    licensedAt: DateOnlySchema,
    /** Opening hours in Asia/Shanghai, e.g. "10:00-14:00,17:00-21:30" (used by the live kitchen). */
    openingHours: OpeningHoursSchema.default('09:00-21:00'),
  })
  .strict();
export type EstablishmentInput = z.infer<typeof EstablishmentInputSchema>;

export const EstablishmentUpdateSchema = z
  .object({
    name: name.optional(),
    licence: LicenceSchema.optional(),
    address: z.string().trim().min(4).max(120).optional(),
    district: z.string().trim().min(2).max(30).optional(),
    location: LocationSchema.optional(),
    businessType: BusinessTypeSchema.optional(),
    floorAreaM2: z.number().positive().max(100_000).optional(),
    dinersPerMeal: z.number().int().min(0).max(100_000).optional(),
    status: EstablishmentStatusSchema.optional(),
    licensedAt: DateOnlySchema.optional(),
    openingHours: OpeningHoursSchema.optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
export type EstablishmentUpdate = z.infer<typeof EstablishmentUpdateSchema>;

/** What a licence file would do, checked and not written (the step before the regulator confirms). */
export const ImportCheckSchema = z
  .object({
    total: z.number().int(),
    toCreate: z.number().int(),
    toUpdate: z.number().int(),
    unchanged: z.number().int(),
  })
  .strict();
export type ImportCheck = z.infer<typeof ImportCheckSchema>;

/** What a licence import did. */
export const ImportReportSchema = z
  .object({
    total: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .strict();
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const IMPORT_JOB_STATES = ['writing', 'done', 'failed', 'interrupted'] as const;
export const IMPORT_JOB_STATE_LABELS: Record<(typeof IMPORT_JOB_STATES)[number], string> = {
  writing: '正在导入',
  done: '导入完成',
  failed: '导入失败',
  interrupted: '导入中断，请重新上传同一文件继续',
};

/**
 * A licence import written in the background: its progress (rows written of the rows to write),
 * its report when done, or why it failed. The same file uploaded again is the same import.
 */
export const ImportJobSchema = ImportCheckSchema.extend({
  id: z.string(),
  state: z.enum(IMPORT_JOB_STATES),
  stateLabel: z.string(),
  written: z.number().int(),
  toWrite: z.number().int(),
  report: ImportReportSchema.nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
}).strict();
export type ImportJob = z.infer<typeof ImportJobSchema>;
