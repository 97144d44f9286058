import { parse } from 'csv-parse/sync';
import {
  BUSINESS_TYPE_LABELS,
  ESTABLISHMENT_STATUS_LABELS,
  EstablishmentInputSchema,
  LICENCE_TYPE_LABELS,
  type EstablishmentInput,
  type FieldIssue,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { gradeHistoryModel } from '../grading/grade-history.model';
import { initialGrade, type GradingDeps } from '../grading/grading.service';
import { establishmentModel } from './establishment.model';
import { newShopCode } from './establishment.service';
import { invalidateShop } from '../public/profile-cache';

export const MAX_IMPORT_ROWS = 5000;

/** The columns cities hand over, by their Chinese header (the field name in English works too). */
const COLUMNS = [
  ['名称', 'name'],
  ['许可证编号', 'licenceNumber'],
  ['许可证类型', 'licenceType'],
  ['有效期起', 'validFrom'],
  ['有效期至', 'validTo'],
  ['地址', 'address'],
  ['所属辖区', 'district'],
  ['经度', 'lng'],
  ['纬度', 'lat'],
  ['坐标系', 'crs'],
  ['业态', 'businessType'],
  ['经营面积', 'floorAreaM2'],
  ['每餐就餐人数', 'dinersPerMeal'],
  ['许可日期', 'licensedAt'],
  ['营业时间', 'openingHours'],
  ['状态', 'status'],
] as const;
const OPTIONAL = new Set(['crs', 'openingHours', 'status']);

export const IMPORT_TEMPLATE =
  '\uFEFF' +
  COLUMNS.map(([zh]) => zh).join(',') +
  '\n' +
  '示例餐馆,JY13301020000001,食品经营许可证,2024-01-01,2029-12-31,示范路1号,示范区,120.1551,30.2741,GCJ02,餐馆,120,60,2024-01-01,10:00-21:00,正常营业\n';

const byLabel = <T extends string>(labels: Record<T, string>) =>
  Object.fromEntries(
    Object.entries(labels).flatMap(([k, v]) => [
      [v, k],
      [k, k],
    ]),
  ) as Record<string, T>;
const BUSINESS_TYPES = byLabel(BUSINESS_TYPE_LABELS);
const LICENCE_TYPES = byLabel(LICENCE_TYPE_LABELS);
const STATUSES = byLabel(ESTABLISHMENT_STATUS_LABELS);

const num = (s: string) => (s === '' ? undefined : Number(s));
const opt = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);

/** One CSV row → the shape EstablishmentInputSchema checks (unknown labels are left to fail there). */
function toInput(row: Record<string, string>) {
  return {
    name: row.name,
    licence: {
      number: row.licenceNumber?.toUpperCase(),
      type: LICENCE_TYPES[row.licenceType ?? ''] ?? row.licenceType,
      validFrom: row.validFrom,
      validTo: row.validTo,
    },
    address: row.address,
    district: row.district,
    location: { lng: num(row.lng ?? ''), lat: num(row.lat ?? ''), crs: opt(row.crs) },
    businessType: BUSINESS_TYPES[row.businessType ?? ''] ?? row.businessType,
    floorAreaM2: num(row.floorAreaM2 ?? ''),
    dinersPerMeal: num(row.dinersPerMeal ?? ''),
    licensedAt: row.licensedAt,
    openingHours: opt(row.openingHours),
    status: opt(row.status) === undefined ? undefined : (STATUSES[row.status as string] ?? row.status),
  };
}

const FIELD_HEADER: Record<string, string> = {
  name: '名称',
  'licence.number': '许可证编号',
  'licence.type': '许可证类型',
  'licence.validFrom': '有效期起',
  'licence.validTo': '有效期至',
  address: '地址',
  district: '所属辖区',
  'location.lng': '经度',
  'location.lat': '纬度',
  'location.crs': '坐标系',
  businessType: '业态',
  floorAreaM2: '经营面积',
  dinersPerMeal: '每餐就餐人数',
  licensedAt: '许可日期',
  openingHours: '营业时间',
  status: '状态',
};

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
}

/**
 * Imports licence data: every row is checked first; if any row is wrong, the report lists each
 * problem by line and column and nothing is written. Rows are keyed by licence number, so
 * importing the same file again updates instead of duplicating.
 */
export async function importEstablishments(deps: GradingDeps, csv: string, now = new Date()): Promise<ImportReport> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: false });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', { message: `CSV 文件无法解析：${(err as Error).message}` });
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new AppError('VALIDATION_FAILED', { message: 'CSV 文件没有数据行' });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new AppError('PAYLOAD_TOO_LARGE', { message: `一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入` });
  }
  const keys = header.map((h) => COLUMNS.find(([zh, en]) => h === zh || h === en)?.[1]);
  const missing = COLUMNS.filter(([, en]) => !OPTIONAL.has(en) && !keys.includes(en)).map(([zh]) => zh);
  const unknown = header.filter((_, i) => !keys[i]);
  if (missing.length || unknown.length) {
    const details: FieldIssue[] = [
      ...missing.map((m) => ({ path: '表头', message: `缺少列「${m}」` })),
      ...unknown.map((u) => ({ path: '表头', message: `无法识别的列「${u}」` })),
    ];
    throw new AppError('VALIDATION_FAILED', { message: 'CSV 表头不正确，未导入任何数据', details });
  }

  const details: FieldIssue[] = [];
  const valid: EstablishmentInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, i) => {
    const line = i + 2; // the header is line 1
    const row = Object.fromEntries(keys.map((k, j) => [k as string, cells[j] ?? '']));
    const parsed = EstablishmentInputSchema.safeParse(toInput(row));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        details.push({
          path: `第${line}行${FIELD_HEADER[field] ? `「${FIELD_HEADER[field]}」` : ''}`,
          message: issue.message,
        });
      }
      return;
    }
    const first = seen.get(parsed.data.licence.number);
    if (first) {
      details.push({ path: `第${line}行「许可证编号」`, message: `与第${first}行重复` });
      return;
    }
    seen.set(parsed.data.licence.number, line);
    valid.push(parsed.data);
  });
  if (details.length) {
    throw new AppError('VALIDATION_FAILED', {
      message: `共 ${rows.length} 行，${new Set(details.map((d) => d.path.replace(/「.*$/, ''))).size} 行有错误，未导入任何数据`,
      details,
    });
  }

  const Establishments = establishmentModel(deps.db);
  const existing = new Set(
    (
      await Establishments.find(
        { 'licence.number': { $in: valid.map((v) => v.licence.number) } },
        { 'licence.number': 1 },
      ).lean()
    ).map((e) => e.licence.number),
  );
  let created = 0;
  let updated = 0;
  for (const input of valid) {
    if (existing.has(input.licence.number)) {
      await Establishments.updateOne(
        { 'licence.number': input.licence.number },
        { $set: { ...input, updatedAt: now } },
      );
      updated += 1;
      continue;
    }
    const grade = initialGrade(input.licensedAt, deps.grading, now);
    // Upsert on the licence number: an import retried after an interruption never duplicates a shop.
    const res = await Establishments.updateOne(
      { 'licence.number': input.licence.number },
      {
        $setOnInsert: {
          ...input,
          code: newShopCode(),
          qr: { version: 1, revoked: false, changedAt: now },
          grade,
          reply: null,
          createdAt: now,
          updatedAt: now,
        },
      },
      { upsert: true },
    );
    if (res.upsertedId) {
      await gradeHistoryModel(deps.db).create({
        establishmentId: res.upsertedId,
        grade,
        trigger: 'imported',
        shownFrom: now,
      });
      created += 1;
    }
  }
  if (updated) invalidateShop();
  return { total: rows.length, created, updated };
}
