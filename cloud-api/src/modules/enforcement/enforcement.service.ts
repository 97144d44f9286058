import { createHash, randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  MEMBER_ROLE_LABELS,
  NOTICE_STATUS_LABELS,
  NOTICE_TOPIC_LABELS,
  addWorkingDays,
  chinaDate,
  chinaDateTime,
  formatChineseDate,
  type CaptureCategory,
  type CaseCreateInput,
  type CaseDecisionInput,
  type CaseResponseInput,
  type EvidenceCapture,
  type MemberRole,
  type NoticeCreateInput,
  type NoticeReplyInput,
} from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { establishmentModel, type EstablishmentDoc } from '../establishments/establishment.model';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { recomputeGrade } from '../grading/grading.service';
import { CAMERA_ZONE_LABELS, cameraModel, type CameraZone } from '../live/camera.model';
import { invalidateShop } from '../public/profile-cache';
import { addRecord } from '../records/records.service';
import { assertUploadsExist } from '../uploads/upload.service';
import { messageStaff, type MessageDeps } from '../notify/messages';
import { createOnce } from '../../data/create-once';
import {
  audit,
  auditModel,
  captureModel,
  caseModel,
  consentModel,
  noticeModel,
  reminderModel,
  type CaptureDoc,
  type CaseDoc,
  type LadderOutcome,
  type NoticeDoc,
  type ReminderDoc,
} from './enforcement.models';
import { decideStep, type PriorStep } from './ladder';
import { withLock } from '../../data/lock';

export type EnforcementDeps = {
  db: Connection;
  config: Pick<Config, 'grading' | 'risk' | 'ladder' | 'enforcementOffice'>;
};
type Actor = { id: string; role: string };
const SYSTEM: Actor = { id: 'system', role: 'system' };
export const actorOf = (caller: Caller, role?: string): Actor => ({
  id: caller.userId,
  role: role ?? (caller.roles.includes('regulator') ? 'regulator' : (caller.roles[0] ?? 'user')),
});

const gradingDeps = (deps: EnforcementDeps) => ({
  db: deps.db,
  grading: deps.config.grading,
  risk: deps.config.risk,
});
const serial = (prefix: string, now: Date) =>
  `${prefix}${chinaDate(now).replaceAll('-', '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const topicLabel = (topic: string) => NOTICE_TOPIC_LABELS[topic] ?? topic;
/** The end of a China calendar day has passed. */
const pastDay = (date: string, now: Date) => chinaDate(now) > date;

async function regrade(deps: EnforcementDeps, establishmentId: Types.ObjectId, why: string, now: Date) {
  const est = await establishmentModel(deps.db).findById(establishmentId).lean();
  if (est) await recomputeGrade(gradingDeps(deps), est, why, now);
  invalidateShop(String(establishmentId));
}

// ---------------------------------------------------------------- evidence views

type Evidence = Map<string, EvidenceCapture>;

/** The captures behind any number of steps, in one read (lists show many steps at once). */
async function loadEvidence(db: Connection, ids: Types.ObjectId[]): Promise<Evidence> {
  if (!ids.length) return new Map();
  const rows = await captureModel(db)
    .find({ _id: { $in: ids } })
    .lean();
  const cams = new Map(
    (
      await cameraModel(db)
        .find({ _id: { $in: rows.map((r) => r.cameraId) } }, { name: 1, zone: 1 })
        .lean()
    ).map((c) => [String(c._id), c]),
  );
  return new Map(
    rows.map((r) => {
      const cam = cams.get(String(r.cameraId));
      return [
        String(r._id),
        {
          id: String(r._id),
          category: r.category,
          categoryLabel: topicLabel(r.category),
          cameraName: cam?.name ?? '已删除的摄像头',
          zoneLabel: cam ? CAMERA_ZONE_LABELS[cam.zone as CameraZone] : '',
          capturedAt: r.capturedAt.toISOString(),
          confidence: r.confidence,
          snapshot: r.snapshot,
        },
      ];
    }),
  );
}

const pick = (ev: Evidence, ids: Types.ObjectId[]) =>
  ids
    .map((id) => ev.get(String(id)))
    .filter((x): x is EvidenceCapture => !!x)
    .sort((x, y) => x.capturedAt.localeCompare(y.capturedAt));

async function evidenceOf(db: Connection, ids: Types.ObjectId[]): Promise<EvidenceCapture[]> {
  return pick(await loadEvidence(db, ids), ids);
}

async function shopNames(db: Connection, ids: Types.ObjectId[]) {
  const rows = await establishmentModel(db)
    .find({ _id: { $in: ids } }, { name: 1 })
    .lean();
  return new Map(rows.map((r) => [String(r._id), r.name]));
}

// ---------------------------------------------------------------- reminders

export function reminderView(r: ReminderDoc, ev: Evidence) {
  return {
    id: String(r._id),
    establishmentId: String(r.establishmentId),
    category: r.category,
    categoryLabel: topicLabel(r.category),
    reason: r.reason,
    issuedAt: r.issuedAt.toISOString(),
    answerBy: r.answerBy.toISOString(),
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    captures: pick(ev, r.captureIds),
  };
}

export async function acknowledgeReminder(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `reminder:${id}`, async () => {
    const r = await reminderModel(deps.db)
      .findOne({ _id: parseObjectId(id), establishmentId: parseObjectId(establishmentId) })
      .lean();
    if (!r) throw new AppError('NOT_FOUND', { message: '提醒不存在' });
    if (r.escalatedAt) throw new AppError('CONFLICT', { message: '该提醒已逾期转为整改通知，请在整改通知中回复' });
    if (!r.acknowledgedAt) {
      await reminderModel(deps.db).updateOne(
        { _id: r._id, acknowledgedAt: null },
        { $set: { acknowledgedAt: now, acknowledgedBy: actor.id } },
      );
      await audit(deps.db, {
        establishmentId: r.establishmentId,
        at: now,
        actor: actor.id,
        role: actor.role,
        action: 'reminder.acknowledged',
        subject: { kind: 'reminder', id },
        summary: `确认收到「${topicLabel(r.category)}」提醒并整改`,
      });
    }
    const after = (await reminderModel(deps.db).findById(r._id).lean()) as ReminderDoc;
    return reminderView(after, await loadEvidence(deps.db, after.captureIds));
  });
}

// ---------------------------------------------------------------- notices

const DEFAULT_REQUIREMENT = (topic: string) =>
  topic === 'camera_offline'
    ? '请立即恢复摄像头供电与网络，确保营业时间后厨直播不中断，并上传摄像头恢复在线的照片。'
    : `请立即纠正「${topicLabel(topic)}」问题，对相关人员开展培训，并在期限内上传整改后的照片回复。`;

export function noticeView(n: NoticeDoc, shopName: string, ev: Evidence, now = new Date()) {
  return {
    id: String(n._id),
    number: n.number,
    establishmentId: String(n.establishmentId),
    shopName,
    topic: n.topic,
    topicLabel: topicLabel(n.topic),
    source: n.source,
    reason: n.reason,
    requirement: n.requirement,
    issuedAt: n.issuedAt.toISOString(),
    deadline: n.deadline,
    deadlineComplete: n.deadlineComplete,
    status: n.status,
    statusLabel: NOTICE_STATUS_LABELS[n.status],
    overdue: (n.status === 'open' || n.status === 'returned') && pastDay(n.deadline, now),
    photos: n.photos,
    captures: pick(ev, n.captureIds),
    replies: n.replies.map((r) => ({ at: r.at.toISOString(), text: r.text, photos: r.photos })),
    reviews: n.reviews.map((r) => ({ at: r.at.toISOString(), decision: r.decision, reason: r.reason })),
  };
}

/**
 * Issues a rectification notice, once per (shop, key): the ladder keys it by what caused it, a
 * regulator by their idempotency key, so retries and re-runs never issue two.
 */
export async function issueNotice(
  deps: EnforcementDeps,
  establishmentId: Types.ObjectId,
  input: {
    key: string;
    topic: string;
    source: NoticeDoc['source'];
    reason: string;
    requirement?: string;
    deadline?: string;
    photos?: string[];
    captureIds?: Types.ObjectId[];
    lastCaptureAt?: Date | null;
  },
  actor: Actor,
  now = new Date(),
): Promise<{ notice: NoticeDoc; created: boolean }> {
  const due = input.deadline
    ? { date: input.deadline, complete: true }
    : addWorkingDays(chinaDate(now), deps.config.ladder.noticeWorkingDays);
  const { created, doc: notice } = await createOnce(
    noticeModel(deps.db),
    { establishmentId, key: input.key },
    {
      number: serial('ZG', now),
      establishmentId,
      topic: input.topic,
      source: input.source,
      key: input.key,
      reason: input.reason,
      requirement: input.requirement ?? DEFAULT_REQUIREMENT(input.topic),
      issuedBy: actor.id,
      issuedAt: now,
      deadline: due.date,
      deadlineComplete: due.complete,
      status: 'open',
      photos: input.photos ?? [],
      captureIds: input.captureIds ?? [],
      lastCaptureAt: input.lastCaptureAt ?? null,
      replies: [],
      reviews: [],
      closedAt: null,
      escalatedAt: null,
    },
  );
  if (!created) return { notice, created: false };
  await audit(deps.db, {
    establishmentId,
    at: now,
    actor: actor.id,
    role: actor.role,
    action: 'notice.issued',
    subject: { kind: 'notice', id: String(notice._id) },
    summary: `下发整改通知 ${notice.number}（${topicLabel(input.topic)}），期限 ${notice.deadline}：${input.reason}`,
  });
  await regrade(deps, establishmentId, 'rectification notice issued', now);
  return { notice, created: true };
}

/** A regulator issues a notice after an inspection (or about a kind of violation they saw). */
export async function regulatorNotice(
  deps: EnforcementDeps,
  establishmentId: string,
  input: NoticeCreateInput,
  caller: Caller,
  now = new Date(),
) {
  const est = await findEstablishment(deps.db, establishmentId);
  if (input.deadline && input.deadline <= chinaDate(now)) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'body.deadline', message: '整改期限应晚于今天' }] });
  }
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  const { notice, created } = await issueNotice(
    deps,
    est._id,
    {
      key: `regulator:${input.idempotencyKey}`,
      topic: input.topic,
      source: 'regulator',
      reason: '监管人员检查发现问题',
      requirement: input.requirement,
      deadline: input.deadline,
      photos: input.photos,
    },
    actorOf(caller),
    now,
  );
  if (!created && notice.requirement !== input.requirement) {
    throw new AppError('CONFLICT', { message: '该幂等键已用于另一份整改通知' });
  }
  return noticeView(notice, est.name, await loadEvidence(deps.db, notice.captureIds), now);
}

async function findNotice(db: Connection, id: string, establishmentId?: string) {
  const n = await noticeModel(db)
    .findOne({
      _id: parseObjectId(id),
      ...(establishmentId ? { establishmentId: parseObjectId(establishmentId) } : {}),
    })
    .lean();
  if (!n) throw new AppError('NOT_FOUND', { message: '整改通知不存在' });
  return n;
}

export async function getNotice(db: Connection, id: string, establishmentId?: string, now = new Date()) {
  const n = await findNotice(db, id, establishmentId);
  const names = await shopNames(db, [n.establishmentId]);
  return noticeView(n, names.get(String(n.establishmentId)) ?? '', await loadEvidence(db, n.captureIds), now);
}

/** 整改回复: text and photos; a retry with the same key lands once. */
export async function replyToNotice(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: NoticeReplyInput,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `notice:${id}`, async () => {
    const n = await findNotice(deps.db, id, establishmentId);
    const again = n.replies.find((r) => r.key === input.idempotencyKey);
    if (again) {
      if (again.text !== input.text || JSON.stringify(again.photos) !== JSON.stringify(input.photos)) {
        throw new AppError('CONFLICT', { message: '该幂等键已用于另一条回复' });
      }
      return getNotice(deps.db, id, establishmentId, now);
    }
    if (n.status !== 'open' && n.status !== 'returned') {
      throw new AppError('CONFLICT', {
        message: n.status === 'accepted' ? '整改已通过，无需再回复' : '已回复，请等待监管人员审核',
      });
    }
    await assertUploadsExist(deps.db, input.photos, 'body.photos');
    const res = await noticeModel(deps.db).updateOne(
      { _id: n._id, status: n.status, 'replies.key': { $ne: input.idempotencyKey } },
      {
        $push: {
          replies: { key: input.idempotencyKey, at: now, by: actor.id, text: input.text, photos: input.photos },
        },
        $set: { status: 'replied' },
      },
    );
    if (res.modifiedCount) {
      await audit(deps.db, {
        establishmentId: n.establishmentId,
        at: now,
        actor: actor.id,
        role: actor.role,
        action: 'notice.replied',
        subject: { kind: 'notice', id },
        summary: `整改回复（${input.photos.length} 张照片）：${input.text.slice(0, 60)}`,
      });
    }
    return getNotice(deps.db, id, establishmentId, now);
  });
}

export async function reviewNotice(
  deps: EnforcementDeps,
  id: string,
  input: { decision: 'accept' | 'return'; reason?: string },
  caller: Caller,
  now = new Date(),
) {
  return withLock(deps.db, `notice:${id}`, async () => {
    const n = await findNotice(deps.db, id);
    if (n.status !== 'replied') throw new AppError('CONFLICT', { message: '只能审核已回复的整改通知' });
    const status = input.decision === 'accept' ? 'accepted' : 'returned';
    const res = await noticeModel(deps.db).updateOne(
      { _id: n._id, status: 'replied' },
      {
        $set: { status, ...(status === 'accepted' ? { closedAt: now } : {}) },
        $push: { reviews: { at: now, by: caller.userId, decision: input.decision, reason: input.reason ?? '' } },
      },
    );
    if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '该通知刚被他人审核，请刷新' });
    await audit(deps.db, {
      establishmentId: n.establishmentId,
      at: now,
      actor: caller.userId,
      role: 'regulator',
      action: status === 'accepted' ? 'notice.accepted' : 'notice.returned',
      subject: { kind: 'notice', id },
      summary: status === 'accepted' ? `整改通知 ${n.number} 审核通过` : `整改回复被退回：${input.reason ?? ''}`,
    });
    if (status === 'accepted') await regrade(deps, n.establishmentId, 'rectification accepted', now);
    return getNotice(deps.db, id, undefined, now);
  });
}

export async function listNotices(
  db: Connection,
  filter: { establishmentId?: string; status?: string; overdue?: boolean },
  now = new Date(),
) {
  const q: Record<string, unknown> = {};
  if (filter.establishmentId) q.establishmentId = parseObjectId(filter.establishmentId);
  if (filter.status) q.status = filter.status;
  if (filter.overdue) Object.assign(q, { status: { $in: ['open', 'returned'] }, deadline: { $lt: chinaDate(now) } });
  const rows = await noticeModel(db).find(q).sort({ issuedAt: -1 }).limit(500).lean();
  const names = await shopNames(
    db,
    rows.map((r) => r.establishmentId),
  );
  const ev = await loadEvidence(
    db,
    rows.flatMap((n) => n.captureIds),
  );
  return rows.map((n) => noticeView(n, names.get(String(n.establishmentId)) ?? '', ev, now));
}

// ---------------------------------------------------------------- cases

export const CONSENT_TEXT = (shopName: string, name: string) =>
  `送达地址确认书\n受送达人：${shopName}\n签收人：${name}\n` +
  '本人同意市场监督管理部门通过"阳光食安·经营端"小程序向本单位以电子方式送达非现场执法相关文书。' +
  '文书到达本小程序账户之日（本人首次打开之时）视为送达。本人已知悉上述送达方式及其法律后果。';

function caseDocument(c: CaseDoc, est: EstablishmentDoc, captures: EvidenceCapture[], office: string, now: Date) {
  const when = captures.map((x) => chinaDateTime(new Date(x.capturedAt)));
  const places = [...new Set(captures.map((x) => `${x.zoneLabel}（${x.cameraName}）`))];
  const facts = captures.length
    ? `经智能抓拍系统记录，你单位于 ${when.join('、')} 在 ${places.join('、')} 发生「${topicLabel(c.category)}」行为，共 ${captures.length} 次（抓拍照片 ${captures.length} 张附后）。`
    : `经查，你单位存在「${topicLabel(c.category)}」问题。`;
  const text = [
    '非现场执法告知书',
    `编号：${c.number}`,
    `当事人：${est.name}（许可证号 ${est.licence.number}）`,
    `地址：${est.address}`,
    facts,
    `检查情况：${c.notes}`,
    `上述行为涉嫌违反《中华人民共和国食品安全法》及《餐饮服务食品安全操作规范》的有关规定。`,
    `你单位可对上述事实及证据予以确认，或在本小程序中提出陈述、申辩意见并提交证据。`,
    `告知机关：${office}`,
    `告知日期：${formatChineseDate(chinaDate(now))}`,
  ].join('\n');
  return { title: '非现场执法告知书', text, sha256: sha256(text) };
}

/** What the party signs: the notice as delivered, their response, their name and the date. */
function toSignText(c: CaseDoc): string | null {
  if (!c.document || !c.response) return null;
  const opinion =
    c.response.decision === 'confirm'
      ? '对上述违法事实及证据无异议。'
      : `有异议。陈述申辩意见：${c.response.statement}（附证据照片 ${c.response.photos.length} 张）`;
  return [
    c.document.text,
    '',
    `当事人意见：${opinion}`,
    `签收人：${c.response.name}`,
    `日期：${formatChineseDate(chinaDate(c.response.at))}`,
  ].join('\n');
}

export function caseView(
  c: CaseDoc,
  shopName: string,
  viewer: { operator: boolean; consented: boolean },
  ev: Evidence,
) {
  const delivered = !viewer.operator || c.deliveredAt !== null;
  const sign = toSignText(c);
  return {
    id: String(c._id),
    number: c.number,
    establishmentId: String(c.establishmentId),
    shopName,
    category: c.category,
    categoryLabel: topicLabel(c.category),
    status: c.status,
    statusLabel: CASE_STATUS_LABELS[c.status],
    reason: c.reason,
    createdAt: c.createdAt.toISOString(),
    confirmedAt: c.confirmedAt?.toISOString() ?? null,
    decideBy: c.decideBy,
    decisionOverdue: !!c.decideBy && !['decided', 'dismissed'].includes(c.status) && pastDay(c.decideBy, new Date()),
    consented: viewer.consented,
    deliveredAt: c.deliveredAt?.toISOString() ?? null,
    evidence: delivered ? { notes: c.notes, photos: c.photos, captures: pick(ev, c.captureIds) } : null,
    document: delivered ? c.document : null,
    response: c.response
      ? {
          decision: c.response.decision,
          statement: c.response.statement,
          photos: c.response.photos,
          at: c.response.at.toISOString(),
        }
      : null,
    toSign: delivered && sign ? { text: sign, sha256: sha256(sign) } : null,
    signature: c.signature
      ? { at: c.signature.at.toISOString(), image: c.signature.image, documentSha256: c.signature.documentSha256 }
      : null,
    decision: c.decision
      ? {
          outcome: c.decision.outcome,
          outcomeLabel: CASE_OUTCOME_LABELS[c.decision.outcome],
          reason: c.decision.reason,
          at: c.decision.at.toISOString(),
        }
      : null,
  };
}

export async function draftCase(
  deps: EnforcementDeps,
  establishmentId: Types.ObjectId,
  input: {
    key: string;
    category: string;
    reason: string;
    captureIds?: Types.ObjectId[];
    lastCaptureAt?: Date | null;
    notes?: string;
  },
  actor: Actor,
  now = new Date(),
): Promise<{ kase: CaseDoc; created: boolean }> {
  const { created, doc: kase } = await createOnce(
    caseModel(deps.db),
    { establishmentId, key: input.key },
    {
      number: serial('FXC', now),
      establishmentId,
      category: input.category,
      key: input.key,
      status: 'draft',
      reason: input.reason,
      createdBy: actor.id,
      createdAt: now,
      captureIds: input.captureIds ?? [],
      lastCaptureAt: input.lastCaptureAt ?? null,
      notes: input.notes ?? '',
      photos: [],
    },
  );
  if (!created) return { kase, created: false };
  await audit(deps.db, {
    establishmentId,
    at: now,
    actor: actor.id,
    role: actor.role,
    action: 'case.drafted',
    subject: { kind: 'case', id: String(kase._id) },
    summary: `生成非现场执法案件草稿 ${kase.number}（${topicLabel(input.category)}）：${input.reason}`,
  });
  return { kase, created: true };
}

async function findCase(db: Connection, id: string, establishmentId?: string) {
  const c = await caseModel(db)
    .findOne({
      _id: parseObjectId(id),
      ...(establishmentId ? { establishmentId: parseObjectId(establishmentId) } : {}),
    })
    .lean();
  if (!c) throw new AppError('NOT_FOUND', { message: '案件不存在' });
  return c;
}

async function confirmWith(
  deps: EnforcementDeps,
  c: CaseDoc,
  evidence: { notes: string; photos: string[] },
  actor: Actor,
  now: Date,
) {
  const est = await findEstablishment(deps.db, String(c.establishmentId));
  const document = caseDocument(
    { ...c, notes: evidence.notes },
    est,
    await evidenceOf(deps.db, c.captureIds),
    deps.config.enforcementOffice,
    now,
  );
  const decideBy = addWorkingDays(chinaDate(now), deps.config.ladder.decideWorkingDays).date;
  const res = await caseModel(deps.db).updateOne(
    { _id: c._id, status: 'draft' },
    {
      $set: {
        status: 'confirmed',
        notes: evidence.notes,
        photos: evidence.photos,
        confirmedAt: now,
        confirmedBy: actor.id,
        decideBy,
        document,
      },
    },
  );
  if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '该案件已确认' });
  await audit(deps.db, {
    establishmentId: c.establishmentId,
    at: now,
    actor: actor.id,
    role: actor.role,
    action: 'case.confirmed',
    subject: { kind: 'case', id: String(c._id) },
    summary: `确认案件 ${c.number}，应于 ${decideBy} 前作出是否立案的决定`,
  });
}

/** A regulator confirms a draft with its evidence: the case goes to the party. */
export async function confirmCase(
  deps: EnforcementDeps,
  id: string,
  input: { notes: string; photos: string[] },
  caller: Caller,
  now = new Date(),
) {
  const c = await findCase(deps.db, id);
  if (c.status !== 'draft') throw new AppError('CONFLICT', { message: '只有草稿可以确认' });
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  await confirmWith(deps, c, input, actorOf(caller), now);
  return getCaseForRegulator(deps.db, id);
}

/** A regulator opens a case directly (confirmed at once), with its evidence. */
export async function openCase(
  deps: EnforcementDeps,
  establishmentId: string,
  input: CaseCreateInput,
  caller: Caller,
  now = new Date(),
) {
  const est = await findEstablishment(deps.db, establishmentId);
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  const ids = input.captureIds.map((x) => new Types.ObjectId(x));
  const found = await captureModel(deps.db).countDocuments({ _id: { $in: ids }, establishmentId: est._id });
  if (found !== ids.length) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.captureIds', message: '抓拍记录不存在或不属于该门店' }],
    });
  }
  const { kase, created } = await draftCase(
    deps,
    est._id,
    { key: `regulator:${input.idempotencyKey}`, category: input.category, reason: '监管人员立案', captureIds: ids },
    actorOf(caller),
    now,
  );
  if (created) await confirmWith(deps, kase, { notes: input.notes, photos: input.photos }, actorOf(caller), now);
  return getCaseForRegulator(deps.db, String(kase._id));
}

export async function getCaseForRegulator(db: Connection, id: string) {
  const c = await findCase(db, id);
  const names = await shopNames(db, [c.establishmentId]);
  return caseView(
    c,
    names.get(String(c.establishmentId)) ?? '',
    { operator: false, consented: false },
    await loadEvidence(db, c.captureIds),
  );
}

export async function listCases(db: Connection, filter: { establishmentId?: string; status?: string }) {
  const q: Record<string, unknown> = {};
  if (filter.establishmentId) q.establishmentId = parseObjectId(filter.establishmentId);
  if (filter.status) q.status = filter.status;
  const rows = await caseModel(db).find(q).sort({ createdAt: -1 }).limit(500).lean();
  const names = await shopNames(
    db,
    rows.map((r) => r.establishmentId),
  );
  const ev = await loadEvidence(
    db,
    rows.flatMap((c) => c.captureIds),
  );
  return rows.map((c) =>
    caseView(c, names.get(String(c.establishmentId)) ?? '', { operator: false, consented: false }, ev),
  );
}

export async function consentOf(db: Connection, establishmentId: string, userId: string) {
  return consentModel(db).findById(`${establishmentId}:${userId}`).lean();
}

export async function consentStatus(db: Connection, establishmentId: string, userId: string, name = '＿＿＿＿') {
  const est = await findEstablishment(db, establishmentId);
  const c = await consentOf(db, establishmentId, userId);
  return {
    consented: !!c,
    at: c?.at.toISOString() ?? null,
    name: c?.name ?? null,
    text: c?.text ?? CONSENT_TEXT(est.name, name),
  };
}

/** 送达地址确认书: one-time, recorded with the text, time and identity. */
export async function giveConsent(
  db: Connection,
  establishmentId: string,
  input: { name: string },
  actor: Actor,
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  const id = `${establishmentId}:${actor.id}`;
  const text = CONSENT_TEXT(est.name, input.name);
  const { created } = await createOnce(
    consentModel(db),
    { _id: id },
    {
      _id: id,
      establishmentId: est._id,
      userId: actor.id,
      role: actor.role,
      name: input.name,
      text,
      textSha256: sha256(text),
      at: now,
    },
  );
  if (created) {
    await audit(db, {
      establishmentId: est._id,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'consent.given',
      subject: { kind: 'consent', id },
      summary: `${input.name}（${MEMBER_ROLE_LABELS[actor.role as MemberRole] ?? actor.role}）签署送达地址确认书，同意电子送达`,
    });
  }
  return consentStatus(db, establishmentId, actor.id);
}

/**
 * The party opens a case. Drafts stay with regulators. With consent given, the first open is the
 * delivery (recorded once); without it the case shows only that a notice waits for consent.
 */
export async function openCaseAsOperator(
  db: Connection,
  establishmentId: string,
  id: string,
  actor: Actor,
  now = new Date(),
) {
  let c = await findCase(db, id, establishmentId);
  if (c.status === 'draft' || c.status === 'dismissed') throw new AppError('NOT_FOUND', { message: '案件不存在' });
  const consent = await consentOf(db, establishmentId, actor.id);
  if (consent && !c.deliveredAt) {
    const res = await caseModel(db).updateOne(
      { _id: c._id, deliveredAt: null },
      { $set: { deliveredAt: now, deliveredTo: actor.id } },
    );
    if (res.modifiedCount) {
      await audit(db, {
        establishmentId: c.establishmentId,
        at: now,
        actor: actor.id,
        role: actor.role,
        action: 'case.delivered',
        subject: { kind: 'case', id },
        summary: `${c.document?.title ?? '执法文书'} ${c.number} 电子送达（当事人首次打开）`,
      });
    }
    c = await findCase(db, id, establishmentId);
  }
  const names = await shopNames(db, [c.establishmentId]);
  return caseView(
    c,
    names.get(String(c.establishmentId)) ?? '',
    { operator: true, consented: !!consent },
    await loadEvidence(db, c.captureIds),
  );
}

export async function respondToCase(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: CaseResponseInput,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id, establishmentId);
    const consent = await consentOf(deps.db, establishmentId, actor.id);
    if (!consent || !c.deliveredAt) throw new AppError('CONFLICT', { message: '请先签署送达地址确认书并查看告知书' });
    const photos = input.decision === 'object' ? input.photos : [];
    const statement = input.decision === 'object' ? input.statement : '';
    // The same response sent again (a lost answer, a double tap) is answered as the first was.
    const sameAsRecorded = (k: Pick<CaseDoc, 'response'> | null) =>
      !!k?.response &&
      k.response.decision === input.decision &&
      k.response.statement === statement &&
      JSON.stringify(k.response.photos) === JSON.stringify(photos);
    if (c.status !== 'confirmed') {
      if (sameAsRecorded(c)) return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该案件已提交意见' });
    }
    await assertUploadsExist(deps.db, photos, 'body.photos');
    const response = {
      decision: input.decision,
      statement,
      photos,
      at: now,
      by: actor.id,
      name: consent.name,
    };
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: 'confirmed' },
      { $set: { status: 'responded', response } },
    );
    if (!res.modifiedCount) {
      if (sameAsRecorded(await caseModel(deps.db).findById(c._id, { response: 1 }).lean()))
        return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该案件已提交意见' });
    }
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: input.decision === 'confirm' ? 'case.confirmed_by_party' : 'case.objected',
      subject: { kind: 'case', id },
      summary:
        input.decision === 'confirm'
          ? '当事人确认违法事实及证据'
          : `当事人提出异议：${response.statement.slice(0, 60)}`,
    });
    return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
  });
}

/** Signs what the phone showed: the hash sent must be the hash of the text the server holds. */
export async function signCase(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: { documentSha256: string; signature: string },
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id, establishmentId);
    if (c.status === 'signed' && c.signature?.documentSha256 === input.documentSha256) {
      return openCaseAsOperator(deps.db, establishmentId, id, actor, now); // a retry
    }
    if (c.status !== 'responded') throw new AppError('CONFLICT', { message: '请先确认或提出异议，再签名' });
    const text = toSignText(c) as string;
    if (sha256(text) !== input.documentSha256) {
      throw new AppError('CONFLICT', { message: '文书内容与您看到的不一致，请刷新后重新签名' });
    }
    await assertUploadsExist(deps.db, [input.signature], 'body.signature');
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: 'responded' },
      {
        $set: {
          status: 'signed',
          signature: {
            at: now,
            by: actor.id,
            image: input.signature,
            documentSha256: input.documentSha256,
            documentText: text,
          },
        },
      },
    );
    if (!res.modifiedCount) {
      // Another copy of this signature got there first: the same answer for both.
      const now2 = await caseModel(deps.db).findById(c._id, { signature: 1 }).lean();
      if (now2?.signature?.documentSha256 === input.documentSha256)
        return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该文书已签名' });
    }
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'case.signed',
      subject: { kind: 'case', id },
      summary: `当事人在手机上签名，文书 SHA-256 ${input.documentSha256.slice(0, 16)}…`,
    });
    return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
  });
}

/** The regulator's decision; a penalty goes to the shop's public file (双公示) and its grade. */
export async function decideCase(
  deps: EnforcementDeps,
  id: string,
  input: CaseDecisionInput,
  caller: Caller,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id);
    if (c.status === 'decided' || c.status === 'dismissed')
      throw new AppError('CONFLICT', { message: '该案件已有决定' });
    if (c.status === 'draft' && input.outcome !== 'no_case') {
      throw new AppError('CONFLICT', { message: '草稿须先确认并送达当事人，才能作出处理决定' });
    }
    if (input.outcome === 'penalty' && c.status !== 'signed') {
      throw new AppError('CONFLICT', { message: '当事人签署意见后才能作出处罚决定' });
    }
    if (input.outcome === 'penalty') {
      await addRecord(
        gradingDeps(deps),
        'Penalty',
        String(c.establishmentId),
        {
          idempotencyKey: `case-${String(c._id)}`,
          decisionNumber: input.decisionNumber,
          date: chinaDate(now),
          violation: `${topicLabel(c.category)}（非现场执法案件 ${c.number}）`,
          penalty: input.penalty,
          ...(input.fineFen !== undefined ? { fineFen: input.fineFen } : {}),
        },
        caller.userId,
        now,
      );
    }
    const status = c.status === 'draft' ? 'dismissed' : 'decided';
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: c.status },
      { $set: { status, decision: { outcome: input.outcome, reason: input.reason, at: now, by: caller.userId } } },
    );
    if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '该案件刚被他人处理，请刷新' });
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: caller.userId,
      role: 'regulator',
      action: 'case.decided',
      subject: { kind: 'case', id },
      summary: `案件 ${c.number} 决定：${CASE_OUTCOME_LABELS[input.outcome]}。${input.reason}`,
    });
    return getCaseForRegulator(deps.db, id);
  });
}

// ---------------------------------------------------------------- the ladder

async function historyOf(db: Connection, establishmentId: Types.ObjectId, category: string, since: Date) {
  const by = { establishmentId, category };
  const [reminders, notices, cases] = await Promise.all([
    reminderModel(db)
      .find({ ...by, issuedAt: { $gte: since } })
      .lean(),
    noticeModel(db)
      .find({ establishmentId, topic: category, issuedAt: { $gte: since } })
      .lean(),
    caseModel(db)
      .find({ ...by, createdAt: { $gte: since } })
      .lean(),
  ]);
  const steps: PriorStep[] = [
    ...reminders.map((r) => ({
      kind: 'reminder' as const,
      id: String(r._id),
      issuedAt: r.issuedAt,
      lastCaptureAt: r.lastCaptureAt,
      open: !r.acknowledgedAt && !r.escalatedAt,
    })),
    ...notices.map((n) => ({
      kind: 'notice' as const,
      id: String(n._id),
      issuedAt: n.issuedAt,
      lastCaptureAt: n.lastCaptureAt,
      open: n.status !== 'accepted',
      rectified: n.status === 'accepted',
    })),
    ...cases.map((c) => ({
      kind: 'case' as const,
      id: String(c._id),
      issuedAt: c.createdAt,
      lastCaptureAt: c.lastCaptureAt,
      open: c.status !== 'decided' && c.status !== 'dismissed',
    })),
  ];
  return steps;
}

/** Runs the ladder for one stored capture and records where it went and why. */
export async function applyLadder(
  deps: EnforcementDeps,
  capture: CaptureDoc,
  now = new Date(),
): Promise<LadderOutcome> {
  const cfg = deps.config.ladder;
  const since = new Date(capture.capturedAt.getTime() - cfg.lookbackDays * 86_400_000);
  const history = await historyOf(deps.db, capture.establishmentId, capture.category, since);
  const decision = decideStep(
    cfg,
    { category: capture.category as CaptureCategory, capturedAt: capture.capturedAt, confidence: capture.confidence },
    history,
  );
  const device: Actor = { id: `device:${String(capture.deviceId)}`, role: 'ai_device' };
  let outcome: LadderOutcome;
  const joinUpdate = {
    $addToSet: { captureIds: capture._id },
    $max: { lastCaptureAt: capture.capturedAt },
  };
  if (decision.step === 'evidence') {
    outcome = { step: 'evidence', refId: null, created: false, reason: decision.reason };
  } else if (decision.join) {
    const Model = { reminder: reminderModel, notice: noticeModel, case: caseModel }[decision.step](deps.db);
    await (Model as ReturnType<typeof noticeModel>).updateOne({ _id: new Types.ObjectId(decision.join) }, joinUpdate);
    outcome = { step: decision.step, refId: decision.join, created: false, reason: decision.reason };
  } else if (decision.step === 'reminder') {
    // Keyed by the capture that caused it: a re-run of this step (a retry after a crash) finds it.
    const { doc: r, created } = await createOnce(
      reminderModel(deps.db),
      { key: `capture:${String(capture._id)}` },
      {
        key: `capture:${String(capture._id)}`,
        establishmentId: capture.establishmentId,
        category: capture.category,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
        reason: decision.reason,
        issuedAt: now,
        answerBy: new Date(now.getTime() + cfg.reminderAnswerHours * 3600_000),
        acknowledgedAt: null,
        acknowledgedBy: null,
        escalatedAt: null,
        escalatedTo: null,
      },
    );
    outcome = { step: 'reminder', refId: String(r._id), created, reason: decision.reason };
  } else if (decision.step === 'notice') {
    const { notice, created } = await issueNotice(
      deps,
      capture.establishmentId,
      {
        key: `capture:${String(capture._id)}`,
        topic: capture.category,
        source: 'ladder',
        reason: decision.reason,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
      },
      device,
      now,
    );
    outcome = { step: 'notice', refId: String(notice._id), created, reason: decision.reason };
  } else {
    const { kase, created } = await draftCase(
      deps,
      capture.establishmentId,
      {
        key: `capture:${String(capture._id)}`,
        category: capture.category,
        reason: decision.reason,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
      },
      device,
      now,
    );
    outcome = { step: 'case', refId: String(kase._id), created, reason: decision.reason };
  }
  await captureModel(deps.db).updateOne({ _id: capture._id }, { $set: { outcome } });
  await audit(deps.db, {
    establishmentId: capture.establishmentId,
    at: now,
    actor: device.id,
    role: device.role,
    action: `capture.${outcome.step}`,
    subject: { kind: 'capture', id: String(capture._id) },
    summary: `AI 抓拍「${topicLabel(capture.category)}」（置信度 ${capture.confidence}）：${outcome.reason}`,
  });
  // The grade counts violations (captures that started a step, now recorded), so only those move it.
  if (outcome.created) await regrade(deps, capture.establishmentId, 'ai capture', now);
  return outcome;
}

/**
 * The ladder's clock: an unanswered reminder becomes a notice; a notice past its deadline
 * without a reply (or with a returned one) becomes a case draft. Each step happens once.
 */
export async function runLadderClock(deps: EnforcementDeps, now = new Date()) {
  let notices = 0;
  let cases = 0;
  const late = await reminderModel(deps.db)
    .find({ acknowledgedAt: null, escalatedAt: null, answerBy: { $lt: now } })
    .lean();
  for (const r of late) {
    const { notice } = await issueNotice(
      deps,
      r.establishmentId,
      {
        key: `reminder:${String(r._id)}`,
        topic: r.category,
        source: 'ladder',
        reason: `「${topicLabel(r.category)}」提醒 ${deps.config.ladder.reminderAnswerHours} 小时内未确认整改，转为整改通知`,
        captureIds: r.captureIds,
        lastCaptureAt: r.lastCaptureAt,
      },
      SYSTEM,
      now,
    );
    await reminderModel(deps.db).updateOne(
      { _id: r._id, escalatedAt: null },
      { $set: { escalatedAt: now, escalatedTo: String(notice._id) } },
    );
    notices += 1;
  }
  const overdue = await noticeModel(deps.db)
    .find({ status: { $in: ['open', 'returned'] }, deadline: { $lt: chinaDate(now) }, escalatedAt: null })
    .lean();
  for (const n of overdue) {
    await draftCase(
      deps,
      n.establishmentId,
      {
        key: `notice:${String(n._id)}`,
        category: n.topic,
        reason: `整改通知 ${n.number} 已过期限（${n.deadline}）仍未完成整改`,
        captureIds: n.captureIds,
        lastCaptureAt: n.lastCaptureAt,
      },
      SYSTEM,
      now,
    );
    await noticeModel(deps.db).updateOne({ _id: n._id, escalatedAt: null }, { $set: { escalatedAt: now } });
    cases += 1;
  }
  return { notices, cases };
}

// ---------------------------------------------------------------- operator overview, timeline

export async function enforcementOf(
  db: Connection,
  establishmentId: string,
  viewer: { userId: string; role: MemberRole },
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  const [reminders, notices, cases, consent] = await Promise.all([
    reminderModel(db).find({ establishmentId: est._id }).sort({ issuedAt: -1 }).limit(100).lean(),
    noticeModel(db).find({ establishmentId: est._id }).sort({ issuedAt: -1 }).limit(200).lean(),
    caseModel(db)
      .find({ establishmentId: est._id, status: { $nin: ['draft', 'dismissed'] } })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean(),
    consentOf(db, establishmentId, viewer.userId),
  ]);
  const ev = await loadEvidence(
    db,
    [...reminders, ...notices, ...cases].flatMap((x) => x.captureIds),
  );
  return {
    reminders: reminders.map((r) => reminderView(r, ev)),
    notices: notices.map((n) => noticeView(n, est.name, ev, now)),
    cases: cases.map((c) => caseView(c, est.name, { operator: true, consented: !!consent }, ev)),
  };
}

export async function timelineOf(db: Connection, establishmentId: string) {
  const est = await findEstablishment(db, establishmentId);
  const rows = await auditModel(db).find({ establishmentId: est._id }).sort({ at: -1, _id: -1 }).limit(1000).lean();
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actor: r.actor,
    role: r.role,
    action: r.action,
    subject: r.subject,
    summary: r.summary,
  }));
}

/** Whether a stored photo is evidence, a reply or a signature of one of these shops. */
export async function enforcementUsesUpload(db: Connection, shops: Types.ObjectId[], id: string) {
  const by = { establishmentId: { $in: shops } };
  return (
    !!(await captureModel(db).exists({ ...by, snapshot: id })) ||
    !!(await noticeModel(db).exists({ ...by, $or: [{ photos: id }, { 'replies.photos': id }] })) ||
    !!(await caseModel(db).exists({
      ...by,
      status: { $nin: ['draft', 'dismissed'] },
      $or: [{ photos: id }, { 'response.photos': id }, { 'signature.image': id }],
    }))
  );
}

// ---------------------------------------------------------------- telling the shop

/**
 * Sends each new reminder and notice to the shop's staff, and each confirmed case to the owner,
 * once (a WeChat subscribe message opening the page in the operator app).
 */
export async function notifyParties(deps: EnforcementDeps & MessageDeps, now = new Date()) {
  const names = async (ids: Types.ObjectId[]) => shopNames(deps.db, ids);
  let told = 0;
  const tell = async (
    est: Types.ObjectId,
    shop: string,
    roles: readonly MemberRole[],
    page: 'notices' | 'notice' | 'case',
    query: Record<string, string>,
    matter: string,
    requirement: string,
  ) => messageStaff(deps, est, roles, 'enforcementNotice', { shop, matter, requirement, at: now }, page, query);
  const STAFF: MemberRole[] = ['owner', 'director', 'safety_officer'];

  const reminders = await reminderModel(deps.db)
    .find({ notifiedAt: null, acknowledgedAt: null, escalatedAt: null })
    .lean();
  const notices = await noticeModel(deps.db).find({ notifiedAt: null, status: 'open' }).lean();
  const cases = await caseModel(deps.db).find({ notifiedAt: null, status: 'confirmed' }).lean();
  const shop = await names([...reminders, ...notices, ...cases].map((x) => x.establishmentId));
  const nameOf = (id: Types.ObjectId) => shop.get(String(id)) ?? '门店';

  for (const r of reminders) {
    if (
      await tell(
        r.establishmentId,
        nameOf(r.establishmentId),
        STAFF,
        'notices',
        { shop: String(r.establishmentId) },
        `AI 抓拍：${topicLabel(r.category)}`,
        '请确认并立即整改',
      )
    ) {
      await reminderModel(deps.db).updateOne({ _id: r._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  for (const n of notices) {
    if (
      await tell(
        n.establishmentId,
        nameOf(n.establishmentId),
        STAFF,
        'notice',
        { shop: String(n.establishmentId), id: String(n._id) },
        `整改通知：${topicLabel(n.topic)}`,
        `请于 ${n.deadline} 前整改回复`,
      )
    ) {
      await noticeModel(deps.db).updateOne({ _id: n._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  for (const c of cases) {
    if (
      await tell(
        c.establishmentId,
        nameOf(c.establishmentId),
        ['owner'],
        'case',
        { shop: String(c.establishmentId), id: String(c._id) },
        '非现场执法告知书',
        '请签收并确认或陈述申辩',
      )
    ) {
      await caseModel(deps.db).updateOne({ _id: c._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  return told;
}
