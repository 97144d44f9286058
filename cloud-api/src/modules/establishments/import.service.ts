import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  BUSINESS_TYPE_LABELS,
  ESTABLISHMENT_STATUS_LABELS,
  EstablishmentInputSchema,
  IMPORT_JOB_STATE_LABELS,
  LICENCE_TYPE_LABELS,
  type ImportCheck,
  type ImportJob,
  type EstablishmentInput,
  type FieldIssue,
  type ImportReport,
} from '@ygsa/shared';
import { Types, type Connection } from 'mongoose';
import { AppError } from '../../http/app-error';
import { recordGradesShown } from '../grading/grade-history.service';
import { initialGrade, type GradingDeps } from '../grading/grading.service';
import { establishmentModel } from './establishment.model';
import { newShopCode } from './establishment.service';
import { shopChanged } from '../../events/shop-events';
import { findByIds } from '../../data/by-ids';
import { directoryOf } from './shop-directory';
import { tryLease } from '../../data/lock';
import { importJobModel, type ImportJobDoc } from './import-job.model';

export const MAX_IMPORT_ROWS = 5000;
/** Documents per bulk write. */
const BATCH = 500;

/** The fields of a shop an import row sets. */
const EDITABLE = Object.keys(EstablishmentInputSchema.shape) as (keyof EstablishmentInput)[];

/** Key order does not make two values differ. */
const stable = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** Whether a stored shop already holds exactly what the row says. */
function sameAs(doc: Record<string, unknown>, input: EstablishmentInput): boolean {
  return EDITABLE.every((k) => stable(doc[k] ?? null) === stable(input[k] ?? null));
}

/** What a duplicate-key failure of an unordered bulk insert says about each refused document. */
interface WriteErrorLike {
  index: number;
  code: number;
  errmsg?: string;
}
function writeErrorsOf(err: unknown): WriteErrorLike[] | null {
  const e = err as { writeErrors?: unknown; code?: number };
  const list = Array.isArray(e?.writeErrors)
    ? (e.writeErrors as {
        index?: number;
        code?: number;
        errmsg?: string;
        err?: { index?: number; code?: number; errmsg?: string };
      }[])
    : null;
  if (!list) return null;
  return list.map((w) => ({
    index: w.index ?? w.err?.index ?? -1,
    code: w.code ?? w.err?.code ?? 0,
    errmsg: w.errmsg ?? w.err?.errmsg ?? '',
  }));
}

/**
 * Inserts new shops in unordered batches with their first grade. A licence another import
 * inserted meanwhile (a retried file racing itself) is left to that one; a shop code that happened
 * to collide gets a new code and goes again. Returns how many this call inserted.
 */
async function insertNew(deps: GradingDeps, inputs: EstablishmentInput[], now: Date): Promise<number> {
  const Establishments = establishmentModel(deps.db);
  let created = 0;
  for (let i = 0; i < inputs.length; i += BATCH) {
    let docs = inputs.slice(i, i + BATCH).map((input) => ({
      _id: new Types.ObjectId(),
      ...input,
      code: newShopCode(),
      qr: { version: 1, revoked: false, changedAt: now },
      grade: initialGrade(input.licensedAt, deps.grading, now),
      reply: null,
      createdAt: now,
      updatedAt: now,
    }));
    for (let attempt = 0; docs.length && attempt < 5; attempt += 1) {
      let refused: WriteErrorLike[] = [];
      try {
        await Establishments.insertMany(docs, { ordered: false, lean: true });
      } catch (err) {
        const errors = writeErrorsOf(err);
        if (!errors || errors.some((w) => w.code !== 11000)) throw err;
        refused = errors;
      }
      const refusedAt = new Set(refused.map((w) => w.index));
      const inserted = docs.filter((_, j) => !refusedAt.has(j));
      if (inserted.length) {
        await recordGradesShown(
          deps.db,
          inserted.map((d) => ({ establishmentId: d._id, grade: d.grade, trigger: 'imported', shownFrom: now })),
        );
      }
      created += inserted.length;
      // Only a colliding shop code is tried again (with a new code); a licence already there is done.
      docs = refused
        .filter((w) => /code/.test(w.errmsg ?? '') && !/licence/.test(w.errmsg ?? ''))
        .map((w) => docs[w.index]!)
        .map((d) => ({ ...d, _id: new Types.ObjectId(), code: newShopCode() }));
    }
  }
  return created;
}

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

export type { ImportReport };

/** A checked file and what writing it would do (nothing is written yet). */
export interface ImportPlan {
  total: number;
  creates: EstablishmentInput[];
  updates: { id: Types.ObjectId; input: EstablishmentInput }[];
  unchanged: number;
}

/**
 * Checks a licence file: every row is checked first; if any row is wrong, the report lists each
 * problem by line and column (AppError VALIDATION_FAILED). Rows are keyed by licence number, so the
 * same file again updates instead of duplicating; a row that says what is stored changes nothing.
 */
export async function planImport(deps: GradingDeps, csv: string): Promise<ImportPlan> {
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

  // One read of the licences already known (the directory knows every shop's licence number, so
  // only those are read, by _id).
  const directory = await directoryOf(deps.db);
  const knownIds = valid.map((v) => directory.idByLicence(v.licence.number)).filter((id): id is string => !!id);
  const fields = Object.fromEntries(EDITABLE.map((k) => [k, 1 as const]));
  const known = new Map(
    (await findByIds(establishmentModel(deps.db), knownIds, fields)).map((e) => [e.licence.number, e]),
  );
  // A licence the directory does not know yet (another instance wrote it within the last second)
  // is found by the insert's unique licence index and left alone.
  const updates = valid.flatMap((input) => {
    const doc = known.get(input.licence.number);
    return doc && !sameAs(doc as unknown as Record<string, unknown>, input) ? [{ id: doc._id, input }] : [];
  });
  return {
    total: rows.length,
    creates: valid.filter((v) => !known.has(v.licence.number)),
    updates,
    unchanged: known.size - updates.length,
  };
}

/**
 * Writes a checked file in bulk: updates by _id, then inserts in batches; `progress` hears after
 * each batch how many rows are written. A file written again (a retry, after a failure half way)
 * converges: what was written is found unchanged or already there, and nothing is written twice.
 */
export async function writeImport(
  deps: GradingDeps,
  plan: ImportPlan,
  now = new Date(),
  progress: (written: number) => Promise<void> | void = () => undefined,
): Promise<ImportReport> {
  const Establishments = establishmentModel(deps.db);
  let written = 0;
  for (let i = 0; i < plan.updates.length; i += BATCH) {
    const batch = plan.updates.slice(i, i + BATCH);
    await Establishments.bulkWrite(
      batch.map(({ id, input }) => ({
        updateOne: { filter: { _id: id }, update: { $set: { ...input, updatedAt: now } } },
      })),
      { ordered: false },
    );
    written += batch.length;
    await progress(written);
  }
  let created = 0;
  for (let i = 0; i < plan.creates.length; i += BATCH) {
    const batch = plan.creates.slice(i, i + BATCH);
    created += await insertNew(deps, batch, now);
    written += batch.length;
    await progress(written);
  }
  const updated = plan.updates.length;
  if (updated || created) await shopChanged(deps.db, null, 'profile', { trigger: 'licence import', at: now });
  // Rows that matched a known licence and said nothing new: counted, not written.
  return { total: plan.total, created, updated, unchanged: plan.unchanged };
}

/** Checks and writes a licence file in one call (the answer when the write is done). */
export async function importEstablishments(deps: GradingDeps, csv: string, now = new Date()): Promise<ImportReport> {
  return writeImport(deps, await planImport(deps, csv), now);
}

/** What a file would do, without writing it: the counts the regulator confirms. */
export function checkOf(plan: ImportPlan): ImportCheck {
  return { total: plan.total, toCreate: plan.creates.length, toUpdate: plan.updates.length, unchanged: plan.unchanged };
}

/** A writing import that has not written a batch for this long was interrupted (its process died). */
const STALLED_MS = 60_000;

function jobView(job: ImportJobDoc, now = new Date()): ImportJob {
  const state =
    job.state === 'writing' && now.getTime() - job.updatedAt.getTime() > STALLED_MS ? 'interrupted' : job.state;
  return {
    id: job._id,
    state,
    stateLabel: IMPORT_JOB_STATE_LABELS[state],
    total: job.total,
    toCreate: job.toCreate,
    toUpdate: job.toUpdate,
    unchanged: job.unchanged,
    written: job.written,
    toWrite: job.toCreate + job.toUpdate,
    report: job.report,
    error: job.error,
    startedAt: job.startedAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

/**
 * Starts writing a checked licence file in the background and answers at once with its progress.
 * The import is the file: the same file again while it is being written answers the same import; an
 * interrupted or failed one is written again from the start (it converges: rows already written are
 * found unchanged). A file with a bad row is refused whole before anything starts.
 */
export async function startImport(
  deps: GradingDeps & { logger?: { error: (obj: object, msg: string) => void } },
  csv: string,
  by: string,
  now = new Date(),
): Promise<ImportJob> {
  const plan = await planImport(deps, csv);
  const id = createHash('sha256').update(csv).digest('hex');
  const Jobs = importJobModel(deps.db);
  // One writer per file at a time, across instances; a writer that died loses it after a while.
  const release = await tryLease(deps.db, `import:${id}`, STALLED_MS);
  if (!release) {
    const running = await Jobs.findById(id).lean();
    if (running) return jobView(running, now);
    throw new AppError('CONFLICT', { message: '该文件正在导入，请稍后查看进度' });
  }
  const counts = checkOf(plan);
  const start = {
    state: 'writing' as const,
    total: counts.total,
    toCreate: counts.toCreate,
    toUpdate: counts.toUpdate,
    unchanged: counts.unchanged,
    written: 0,
    report: null,
    error: null,
    by,
    startedAt: now,
    updatedAt: now,
  };
  await Jobs.updateOne({ _id: id }, { $set: start }, { upsert: true });
  void (async () => {
    try {
      const report = await writeImport(deps, plan, now, async (written) => {
        await Jobs.updateOne({ _id: id }, { $set: { written, updatedAt: new Date() } });
      });
      await Jobs.updateOne({ _id: id }, { $set: { state: 'done', report, updatedAt: new Date() } });
    } catch (err) {
      deps.logger?.error({ err, importId: id }, 'licence import failed');
      await Jobs.updateOne(
        { _id: id },
        { $set: { state: 'failed', error: '导入过程中出错，请重新上传同一文件继续导入', updatedAt: new Date() } },
      ).catch(() => undefined);
    } finally {
      await release();
    }
  })();
  return jobView({ _id: id, ...start }, now);
}

/** An import's progress. */
export async function importJob(db: Connection, id: string, now = new Date()): Promise<ImportJob> {
  const job = /^[0-9a-f]{64}$/.test(id) ? await importJobModel(db).findById(id).lean() : null;
  if (!job) throw new AppError('NOT_FOUND', { message: '导入任务不存在' });
  return jobView(job, now);
}
