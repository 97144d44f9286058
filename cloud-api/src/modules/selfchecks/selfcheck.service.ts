import { Types, type Connection } from 'mongoose';
import { openAlertCount } from '../live/camera.facts';
import { pendingForShop } from '../enforcement/enforcement.facts';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import {
  MEMBER_ROLE_LABELS,
  SELF_CHECK_LABELS,
  addDays,
  selfCheckDuty,
  chinaDate,
  type DailyRecordInput,
  type MemberRole,
  type MonthlyRecordInput,
  type SelfCheckKind,
  type WeeklyRecordInput,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey } from '../../data/create-once';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { useUploads } from '../uploads/upload.service';
import { GENESIS, chainHash } from './chain';
import { dailyChecklist } from './checklist.service';
import { selfCheckModel, type SelfCheckDoc, type SelfCheckLedgerDoc } from './selfcheck.model';
import {
  RECENT,
  headOf,
  ledgerOf,
  markOf,
  noteRecord,
  rebuildLedger,
  recentByKey,
  recentIds,
  recordsByIds,
} from './ledger';
import { dailyOnTimeRate, startedOn } from './selfcheck.facts';
import { requireDuty, requireRole, rolesPresent } from '../members/member.service';
import { shopChanged } from '../../events/shop-events';
import { findByIdWhere } from '../../data/by-ids';

dayjs.extend(utc);

/** The Monday of the week of a date. */
export function mondayOf(date: string): string {
  const d = dayjs.utc(date);
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

/** The last day a record for the period is on time (China dates). */
function dueDate(kind: SelfCheckKind, period: string): string {
  if (kind === 'daily') return period;
  if (kind === 'weekly') return addDays(period, 6);
  return dayjs.utc(`${period}-01`).endOf('month').format('YYYY-MM-DD');
}

export function toRecord(r: SelfCheckDoc) {
  return {
    id: String(r._id),
    establishmentId: String(r.establishmentId),
    kind: r.kind,
    kindLabel: SELF_CHECK_LABELS[r.kind],
    period: r.period,
    content: r.content,
    submittedBy: r.submittedBy,
    role: r.role,
    roleLabel: MEMBER_ROLE_LABELS[r.role],
    submittedAt: r.submittedAt.toISOString(),
    late: r.late,
    correctionOf: r.correctionOf ? String(r.correctionOf) : null,
    seq: r.seq,
    hash: r.hash,
  };
}

/**
 * Appends a record to the shop's chain. The (shop, seq) index makes two writers race for a
 * position: the loser re-reads the head and tries the next one. The (shop, key) index makes a
 * retried submission return the record it already made.
 */
async function append(
  db: Connection,
  est: { _id: Types.ObjectId },
  rec: Omit<SelfCheckDoc, '_id' | 'seq' | 'prevHash' | 'hash' | 'establishmentId'>,
): Promise<{ created: boolean; doc: SelfCheckDoc }> {
  const SelfChecks = selfCheckModel(db);
  let ledger = await ledgerOf(db, est._id);
  for (let attempt = 0; attempt < 8; attempt += 1) {
    // A retried submission: its record is among the latest (the ledger says so without a search).
    const known = recentByKey(ledger, rec.idempotencyKey);
    const existing = known ? await SelfChecks.findById(known).lean() : null;
    if (existing) return { created: false, doc: existing };
    const { seq, prevHash } = headOf(ledger);
    const hash = chainHash(prevHash, {
      ...rec,
      seq,
      correctionOf: rec.correctionOf ? String(rec.correctionOf) : null,
    });
    try {
      const doc = (await SelfChecks.create({ ...rec, establishmentId: est._id, seq, prevHash, hash })).toObject();
      await noteRecord(db, est._id, doc as SelfCheckDoc);
      return { created: true, doc: doc as SelfCheckDoc };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // The key was used before (an old retry) or another writer took this seq: the records decide.
      const retried = await SelfChecks.findOne({ establishmentId: est._id, idempotencyKey: rec.idempotencyKey }).lean();
      if (retried) return { created: false, doc: retried };
      ledger = await rebuildLedger(db, est._id);
    }
  }
  throw new AppError('CONFLICT', { message: '提交过于频繁，请稍后重试' });
}

interface SubmitContext {
  deps: GradingDeps;
  establishmentId: string;
  userId: string;
  now?: Date;
}

async function prepare(ctx: SubmitContext, kind: SelfCheckKind, period: string, correctionOf?: string) {
  const est = await findEstablishment(ctx.deps.db, ctx.establishmentId);
  const role = await requireDuty(ctx.deps.db, ctx.establishmentId, ctx.userId, kind);
  const now = ctx.now ?? new Date();
  const today = chinaDate(now);
  const opensOn = kind === 'daily' ? period : kind === 'weekly' ? period : `${period}-01`;
  if (opensOn > today)
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'body', message: '不能提前填报未到的时段' }] });
  const SelfChecks = selfCheckModel(ctx.deps.db);
  let correction: Types.ObjectId | null = null;
  if (correctionOf) {
    const original = await findByIdWhere(SelfChecks, parseObjectId(correctionOf), { establishmentId: est._id, kind });
    if (!original)
      throw new AppError('VALIDATION_FAILED', {
        details: [{ path: 'body.correctionOf', message: '被更正的记录不存在' }],
      });
    if (original.period !== period) {
      throw new AppError('VALIDATION_FAILED', {
        details: [{ path: 'body.correctionOf', message: '更正记录须针对同一时段' }],
      });
    }
    correction = original._id;
  }
  return { est, role, now, late: today > dueDate(kind, period), correction, SelfChecks };
}

/** Appends the record to the chain as the caller, then lets the grade follow. */
async function store(
  ctx: SubmitContext,
  p: Awaited<ReturnType<typeof prepare>>,
  kind: SelfCheckKind,
  period: string,
  idempotencyKey: string,
  content: Record<string, unknown>,
) {
  const result = await append(ctx.deps.db, p.est, {
    kind,
    period,
    content,
    submittedBy: ctx.userId,
    role: p.role,
    submittedAt: p.now,
    late: p.late,
    correctionOf: p.correction,
    idempotencyKey,
  });
  return finish(ctx.deps, p.est, result);
}

async function finish(
  deps: GradingDeps,
  est: Awaited<ReturnType<typeof findEstablishment>>,
  result: { created: boolean; doc: SelfCheckDoc },
) {
  if (result.created) {
    await shopChanged(deps.db, String(est._id), 'self-check', { trigger: 'self-check submitted' });
  }
  return { created: result.created, record: toRecord(result.doc) };
}

async function refuseSecondOriginal(
  ctx: { SelfChecks: ReturnType<typeof selfCheckModel>; est: { _id: Types.ObjectId } },
  kind: SelfCheckKind,
  period: string,
  key: string,
  correction: Types.ObjectId | null,
) {
  if (correction) return;
  const other = markOf(await ledgerOf(ctx.SelfChecks.db, ctx.est._id), kind, period)?.original;
  if (other && other.key !== key) {
    throw new AppError('CONFLICT', { message: `${SELF_CHECK_LABELS[kind]}记录已提交；如需修改，请提交更正记录` });
  }
}

/** 日管控: every item of today's list answered (or a one-tap 零风险), photos where required, fails with what was done. */
export async function submitDaily(ctx: SubmitContext, input: DailyRecordInput) {
  const p = await prepare(ctx, 'daily', input.date, input.correctionOf);
  await refuseSecondOriginal(p, 'daily', input.date, input.idempotencyKey, p.correction);
  const checklist = await dailyChecklist(ctx.deps.db, ctx.establishmentId);
  const details: { path: string; message: string }[] = [];
  let items = input.items;
  if (input.zeroRisk) {
    if (items.some((i) => i.result === 'fail'))
      details.push({ path: 'body.zeroRisk', message: '有不合格项时不能报告零风险' });
    const given = new Map(items.map((i) => [i.code, i]));
    items = checklist.map(
      (c) => given.get(c.code) ?? { code: c.code, result: 'pass', note: '', photos: [], action: '', escalate: false },
    );
  }
  const known = new Map(checklist.map((c) => [c.code, c]));
  const answered = new Set<string>();
  items.forEach((item, i) => {
    const c = known.get(item.code);
    if (!c) details.push({ path: `body.items.${i}.code`, message: `检查项 ${item.code} 不在今日清单中` });
    else if (c.photoRequired && item.result !== 'na' && item.photos.length === 0 && !input.zeroRisk) {
      details.push({ path: `body.items.${i}.photos`, message: `「${c.text.split('：')[0]}」须拍照留证` });
    }
    if (answered.has(item.code)) details.push({ path: `body.items.${i}.code`, message: `检查项 ${item.code} 重复` });
    answered.add(item.code);
  });
  for (const c of checklist)
    if (!answered.has(c.code)) details.push({ path: 'body.items', message: `缺少检查项 ${c.code}` });
  if (details.length) throw new AppError('VALIDATION_FAILED', { details });
  await useUploads(
    ctx.deps.db,
    items.flatMap((i) => i.photos),
    'body.items',
    p.est._id,
  );

  const fails = items.filter((i) => i.result === 'fail');
  const content = {
    zeroRisk: input.zeroRisk || fails.length === 0,
    items: items.map((i) => ({ ...i, text: known.get(i.code)?.text ?? '' })),
    failCount: fails.length,
    escalated: fails.filter((f) => f.escalate).map((f) => f.code),
  };
  return store(ctx, p, 'daily', input.date, input.idempotencyKey, content);
}

export async function submitWeekly(ctx: SubmitContext, input: WeeklyRecordInput) {
  if (mondayOf(input.weekStart) !== input.weekStart) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'body.weekStart', message: '周起始日应为星期一' }] });
  }
  const p = await prepare(ctx, 'weekly', input.weekStart, input.correctionOf);
  await refuseSecondOriginal(p, 'weekly', input.weekStart, input.idempotencyKey, p.correction);
  return store(ctx, p, 'weekly', input.weekStart, input.idempotencyKey, {
    summary: input.summary,
    issues: input.issues,
  });
}

export async function submitMonthly(ctx: SubmitContext, input: MonthlyRecordInput) {
  const p = await prepare(ctx, 'monthly', input.month, input.correctionOf);
  await refuseSecondOriginal(p, 'monthly', input.month, input.idempotencyKey, p.correction);
  await useUploads(ctx.deps.db, [input.signaturePhoto], 'body.signaturePhoto', p.est._id);
  return store(ctx, p, 'monthly', input.month, input.idempotencyKey, {
    review: input.review,
    openIssues: input.openIssues,
    plan: input.plan,
    attendees: input.attendees,
    signaturePhoto: input.signaturePhoto,
  });
}

/** The daily records (originals and corrections) from one day to another, in day and chain order, by the ledger. */
async function dailiesBetween(
  db: Connection,
  shop: Types.ObjectId,
  from: string,
  to: string,
  ledger?: SelfCheckLedgerDoc,
): Promise<SelfCheckDoc[]> {
  const l = ledger ?? (await ledgerOf(db, shop));
  const ids = Object.entries(l.periods?.daily ?? {})
    .filter(([day]) => day >= from && day <= to)
    .flatMap(([, mark]) => mark.ids ?? []);
  const rows = await recordsByIds(db, ids);
  return rows.sort((a, b) => a.period.localeCompare(b.period) || a.seq - b.seq);
}

/** The 周排查 form pre-filled from the week's daily records: every fail not yet fixed becomes an issue. */
export async function weeklyDraft(db: Connection, establishmentId: string, weekStart: string) {
  const est = await findEstablishment(db, establishmentId);
  const dailies = await dailiesBetween(db, est._id, weekStart, addDays(weekStart, 6));
  const issues = dailies.flatMap((d) =>
    ((d.content.items as { code: string; text: string; result: string; note: string; action: string }[]) ?? [])
      .filter((i) => i.result === 'fail')
      .map((i) => ({
        date: d.period,
        code: i.code,
        description: `${d.period} ${i.text.split('：')[0]}：${i.note || '不合格'}`,
        action: i.action,
      })),
  );
  const days = new Set(dailies.map((d) => d.period)).size;
  return {
    weekStart,
    dailyCount: days,
    summary: `本周完成日管控 ${days} 天，发现问题 ${issues.length} 项。`,
    issues,
  };
}

export async function history(db: Connection, establishmentId: string, kind: SelfCheckKind | undefined, limit: number) {
  const est = await findEstablishment(db, establishmentId);
  const ledger = await ledgerOf(db, est._id);
  const ids = recentIds(ledger, kind);
  // The ledger lists the latest records; an older page of one kind is searched for.
  const whole = !Object.keys(ledger.recent ?? {}).includes(String(RECENT + 1)) && headOf(ledger).seq <= RECENT + 1;
  if (ids.length >= limit || whole) return (await recordsByIds(db, ids.slice(0, limit))).map(toRecord);
  const rows = await selfCheckModel(db)
    .find({ establishmentId: est._id, ...(kind ? { kind } : {}) })
    .sort({ seq: -1 })
    .limit(limit)
    .lean();
  return rows.map(toRecord);
}

/** On-time rates per kind for regulators: daily over 30 days, weekly over 12 weeks, monthly over 12 months. */
export async function onTimeRates(db: Connection, establishmentId: string, now = new Date()) {
  const est = await findEstablishment(db, establishmentId);
  const start = await startedOn(db, est._id);
  const ledger = await ledgerOf(db, est._id);
  const today = chinaDate(now);
  const count = async (kind: SelfCheckKind, periods: string[]) => {
    const relevant = periods.filter((p) => start && dueDate(kind, p) >= start && dueDate(kind, p) < today);
    if (!relevant.length) return { expected: 0, onTime: 0, late: 0, missing: 0, rate: null as number | null };
    const marks = relevant.map((p) => markOf(ledger, kind, p)).filter((m) => m?.original);
    const onTime = marks.filter((m) => m?.onTime).length;
    const late = marks.length - onTime;
    return {
      expected: relevant.length,
      onTime,
      late,
      missing: relevant.length - onTime - late,
      rate: onTime / relevant.length,
    };
  };
  const days = Array.from({ length: 30 }, (_, i) => addDays(today, -(i + 1)));
  const weeks = Array.from({ length: 12 }, (_, i) => addDays(mondayOf(today), -7 * (i + 1)));
  const months = Array.from({ length: 12 }, (_, i) =>
    dayjs
      .utc(today)
      .subtract(i + 1, 'month')
      .format('YYYY-MM'),
  );
  return {
    startedOn: start,
    daily: await count('daily', days),
    weekly: await count('weekly', weeks),
    monthly: await count('monthly', months),
  };
}

/** Walks the shop's chain and reports every record whose hash or link does not hold. */
export async function verifyChain(db: Connection, establishmentId: string) {
  const est = await findEstablishment(db, establishmentId);
  const rows = await selfCheckModel(db).find({ establishmentId: est._id }).sort({ seq: 1 }).lean();
  const breaks: { seq: number; recordId: string; reason: string }[] = [];
  let prev = GENESIS;
  rows.forEach((r, i) => {
    if (r.seq !== i + 1) breaks.push({ seq: r.seq, recordId: String(r._id), reason: `序号不连续（应为 ${i + 1}）` });
    if (r.prevHash !== prev) breaks.push({ seq: r.seq, recordId: String(r._id), reason: '与上一条记录的链接不符' });
    const expected = chainHash(r.prevHash, { ...r, correctionOf: r.correctionOf ? String(r.correctionOf) : null });
    if (expected !== r.hash) breaks.push({ seq: r.seq, recordId: String(r._id), reason: '记录内容已被改动' });
    prev = r.hash;
  });
  return { records: rows.length, intact: breaks.length === 0, breaks };
}

/**
 * One record with its standing in the chain: whether its own hash holds (`intact`) and whether
 * every record up to it does (`chainIntact`, with the breaks found before or at it).
 */
export async function recordDetail(db: Connection, establishmentId: string, recordId: string) {
  const est = await findEstablishment(db, establishmentId);
  const record = await findByIdWhere(selfCheckModel(db), parseObjectId(recordId), { establishmentId: est._id });
  if (!record) throw new AppError('NOT_FOUND', { message: '自查记录不存在' });
  const chain = await verifyChain(db, establishmentId);
  const upTo = chain.breaks.filter((b) => b.seq <= record.seq);
  return {
    record: toRecord(record),
    verification: {
      intact: !upTo.some((b) => b.recordId === recordId),
      chainIntact: upTo.length === 0,
      breaks: upTo,
      records: chain.records,
    },
  };
}

/** The operator's home: today's tasks, overdue records and the shop's grade. */
export async function dashboard(deps: GradingDeps, establishmentId: string, userId: string, now = new Date()) {
  const role: MemberRole = await requireRole(deps.db, establishmentId, userId, ['owner', 'director', 'safety_officer']);
  const est = await findEstablishment(deps.db, establishmentId);
  const today = chinaDate(now);
  const week = mondayOf(today);
  const month = today.slice(0, 7);
  const lastWeek = addDays(week, -7);
  const lastMonth = dayjs.utc(`${month}-01`).subtract(1, 'month').format('YYYY-MM');
  const ledger = await ledgerOf(deps.db, est._id);
  const has = async (kind: SelfCheckKind, period: string) => !!markOf(ledger, kind, period)?.ids?.length;
  const start = (await startedOn(deps.db, est._id)) ?? today;
  const present = await rolesPresent(deps.db, establishmentId);
  const tasks = [
    { kind: 'daily' as const, period: today, label: '今日日管控', done: await has('daily', today) },
    { kind: 'weekly' as const, period: week, label: '本周周排查', done: await has('weekly', week) },
    { kind: 'monthly' as const, period: month, label: '本月月调度', done: await has('monthly', month) },
  ].map((t) => {
    const duty = selfCheckDuty(t.kind, present);
    return { ...t, canSubmit: duty.roles.includes(role), duty: duty.label };
  });
  const overdue: { kind: SelfCheckKind; period: string; label: string }[] = [];
  for (let i = 1; i <= 7; i += 1) {
    const d = addDays(today, -i);
    if (d >= start && !(await has('daily', d))) overdue.push({ kind: 'daily', period: d, label: `${d} 日管控未填报` });
  }
  if (addDays(lastWeek, 6) >= start && !(await has('weekly', lastWeek)))
    overdue.push({ kind: 'weekly', period: lastWeek, label: `上周（${lastWeek} 起）周排查未填报` });
  if (`${lastMonth}-31` >= start && `${lastMonth}` >= start.slice(0, 7) && !(await has('monthly', lastMonth))) {
    overdue.push({ kind: 'monthly', period: lastMonth, label: `${lastMonth} 月调度未填报` });
  }
  // Fails the 安全员 handed up in the last 7 days, for the 总监 and the owner to follow.
  const escalations =
    role === 'safety_officer'
      ? []
      : (await dailiesBetween(deps.db, est._id, addDays(today, -6), today, ledger)).reverse().flatMap((r) =>
          (
            (r.content.items as {
              code: string;
              text: string;
              result: string;
              escalate: boolean;
              note: string;
              action: string;
            }[]) ?? []
          )
            .filter((i) => i.result === 'fail' && i.escalate)
            .map((i) => ({
              period: r.period,
              code: i.code,
              text: i.text.split('：')[0] ?? i.text,
              note: i.note,
              action: i.action,
            })),
        );
  return {
    shop: {
      id: String(est._id),
      name: est.name,
      school: ['school_canteen', 'childcare_canteen'].includes(est.businessType),
    },
    role,
    escalations,
    roleLabel: MEMBER_ROLE_LABELS[role],
    today,
    grade: await currentGrade(deps, est, now),
    tasks,
    overdue,
    onTimeRate30d: await dailyOnTimeRate(deps.db, est._id, 30, now),
    cameraAlerts: await openAlertCount(deps.db, est._id),
    // Cases are the party's: counted for the owner and the 总监.
    enforcement: await pendingForShop(deps.db, est._id, role === 'owner' || role === 'director'),
  };
}
