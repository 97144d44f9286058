// 整改通知: notices, the shop's replies (edited or withdrawn while under review) and their review.
import { type Connection, Types } from 'mongoose';
import {
  NOTICE_STATUS_LABELS,
  type NoticeCreateInput,
  type NoticeReplyEditInput,
  type NoticeReplyInput,
  REPLY_STATE_LABELS,
  type ReplyState,
  addWorkingDays,
  chinaDate,
  type NoticeView,
  type Jurisdiction,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { type Caller } from '../../http/context';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { assertUploadsExist, grantUploads, useUploads } from '../uploads/upload.service';
import { createOnce } from '../../data/create-once';
import { OPEN, type NoticeDoc, type NoticeReplyDoc, audit, noticeModel } from './enforcement.models';
import { withLock } from '../../data/lock';
import { shopDocs } from '../../data/shop-index';
import { findByIdWhere } from '../../data/by-ids';
import {
  type Actor,
  type EnforcementDeps,
  type Evidence,
  actorOf,
  loadEvidence,
  pastDay,
  pick,
  regrade,
  serial,
  shopNames,
  topicLabel,
  listScope,
} from './enforcement.common';

const DEFAULT_REQUIREMENT = (topic: string) =>
  topic === 'camera_offline'
    ? '请立即恢复摄像头供电与网络，确保营业时间后厨直播不中断，并上传摄像头恢复在线的照片。'
    : `请立即纠正「${topicLabel(topic)}」问题，对相关人员开展培训，并在期限内上传整改后的照片回复。`;

/** A reply's standing: withdrawn, or decided by the first review after it, or still in review. */
function replyState(n: NoticeDoc, r: NoticeReplyDoc): ReplyState {
  if (r.withdrawnAt) return 'withdrawn';
  const review = n.reviews.find((v) => v.at >= r.at);
  if (!review) return 'in_review';
  return review.decision === 'accept' ? 'accepted' : 'returned';
}

export function noticeView(n: NoticeDoc, shopName: string, ev: Evidence, now = new Date()): NoticeView {
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
    replies: n.replies.map((r) => {
      const state = replyState(n, r);
      return {
        at: r.at.toISOString(),
        text: r.text,
        photos: r.photos,
        state,
        stateLabel: REPLY_STATE_LABELS[state],
        editedAt: r.editedAt?.toISOString() ?? null,
        withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
      };
    }),
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
    async (): Promise<Partial<NoticeDoc>> => ({
      number: await serial(deps.db, 'ZG', now),
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
    }),
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
  // The shop sees the photos once the notice showing them exists (a retry grants them again).
  await grantUploads(deps.db, notice.photos, est._id);
  return noticeView(notice, est.name, await loadEvidence(deps.db, notice.captureIds), now);
}

async function findNotice(db: Connection, id: string, establishmentId?: string) {
  const n = await findByIdWhere(
    noticeModel(db),
    parseObjectId(id),
    establishmentId ? { establishmentId: parseObjectId(establishmentId) } : {},
  );
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
    await useUploads(deps.db, input.photos, 'body.photos', n.establishmentId);
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

/** The reply a regulator has yet to review, or CONFLICT saying why there is none to change. */
function replyUnderReview(n: NoticeDoc) {
  const index = n.replies.length - 1;
  const reply = n.replies[index];
  if (n.status !== 'replied' || !reply || reply.withdrawnAt) {
    throw new AppError('CONFLICT', {
      message:
        n.status === 'accepted'
          ? '整改已通过审核，回复不能再修改或撤回'
          : n.status === 'returned'
            ? '回复已被退回，请重新提交整改回复'
            : '没有待审核的整改回复',
    });
  }
  return { index, reply };
}

/** Edits the reply under review in place; its earlier wording is kept. Sending the same again changes nothing. */
export async function editNoticeReply(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: NoticeReplyEditInput,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `notice:${id}`, async () => {
    const n = await findNotice(deps.db, id, establishmentId);
    const { index, reply } = replyUnderReview(n);
    if (reply.text === input.text && JSON.stringify(reply.photos) === JSON.stringify(input.photos)) {
      return getNotice(deps.db, id, establishmentId, now);
    }
    await useUploads(deps.db, input.photos, 'body.photos', n.establishmentId);
    const earlier = {
      at: reply.editedAt ?? reply.at,
      by: reply.editedBy ?? reply.by,
      text: reply.text,
      photos: reply.photos,
    };
    await noticeModel(deps.db).updateOne(
      { _id: n._id, status: 'replied' },
      {
        $set: {
          [`replies.${index}.text`]: input.text,
          [`replies.${index}.photos`]: input.photos,
          [`replies.${index}.editedAt`]: now,
          [`replies.${index}.editedBy`]: actor.id,
          [`replies.${index}.versions`]: [...(reply.versions ?? []), earlier],
        },
      },
    );
    await audit(deps.db, {
      establishmentId: n.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'notice.reply_edited',
      subject: { kind: 'notice', id },
      summary: `修改待审核的整改回复（${input.photos.length} 张照片）：${input.text.slice(0, 60)}`,
    });
    return getNotice(deps.db, id, establishmentId, now);
  });
}

/**
 * Withdraws the reply under review: it stays on the record, marked, and the notice waits for a
 * new reply again (returned if a regulator had returned an earlier one). Its deadline stands.
 */
export async function withdrawNoticeReply(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `notice:${id}`, async () => {
    const n = await findNotice(deps.db, id, establishmentId);
    const { index } = replyUnderReview(n);
    const status = n.reviews.some((v) => v.decision === 'return') ? 'returned' : 'open';
    await noticeModel(deps.db).updateOne(
      { _id: n._id, status: 'replied' },
      {
        $set: {
          status,
          [`replies.${index}.withdrawnAt`]: now,
          [`replies.${index}.withdrawnBy`]: actor.id,
        },
      },
    );
    await audit(deps.db, {
      establishmentId: n.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'notice.reply_withdrawn',
      subject: { kind: 'notice', id },
      summary: `撤回待审核的整改回复（整改通知 ${n.number}）`,
    });
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
  filter: {
    establishmentId?: string;
    status?: string;
    overdue?: boolean;
    page?: number;
    pageSize?: number;
    /** A regulator's jurisdiction: only its shops' notices. */
    within?: Jurisdiction;
  },
  now = new Date(),
) {
  const mine = await listScope(db, filter.within, filter.establishmentId);
  const q: Record<string, unknown> = {};
  if (filter.establishmentId) q.establishmentId = parseObjectId(filter.establishmentId);
  else if (mine) q.establishmentId = { $in: [...mine].map((id) => new Types.ObjectId(id)) };
  if (filter.status) q.status = filter.status;
  if (filter.overdue) Object.assign(q, { status: { $in: ['open', 'returned'] }, deadline: { $lt: chinaDate(now) } });
  // One shop's: its index (an _id read), then its notices by _id, filtered here. The city's open ones
  // (a state other than accepted, or overdue: the desk's queue): the index of open notices. Every
  // notice of the city, accepted ones included: a search.
  const size = filter.pageSize ?? 20;
  const skip = ((filter.page ?? 1) - 1) * size;
  const wanted = (n: Pick<NoticeDoc, 'status' | 'deadline' | 'establishmentId'>) =>
    (!mine || mine.has(String(n.establishmentId))) &&
    (!filter.status || n.status === filter.status) &&
    (!filter.overdue || ((n.status === 'open' || n.status === 'returned') && n.deadline < chinaDate(now)));
  const rows = filter.establishmentId
    ? (await shopDocs(db, noticeModel(db), parseObjectId(filter.establishmentId), { by: 'issuedAt', limit: 500 }))
        .filter(wanted)
        .slice(skip, skip + size)
    : filter.overdue || (filter.status && filter.status !== 'accepted')
      ? await shopDocs(db, noticeModel(db), OPEN, { by: 'issuedAt', skip, limit: size, name: 'open', where: wanted })
      : await noticeModel(db).find(q).sort({ issuedAt: -1 }).skip(skip).limit(size).lean();
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
