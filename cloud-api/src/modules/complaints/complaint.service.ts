import { createHash, randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_DEADLINES,
  COMPLAINT_STATUS_LABELS,
  COMPLAINT_TYPE_LABELS,
  addWorkingDays,
  chinaDate,
  distanceMeters,
  type ComplaintAction,
  type ComplaintInput,
  type ComplaintStatus,
  type ComplaintView,
} from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Logger } from '../../logger';
import { verifiedPhoneOf } from '../auth/auth.service';
import { checkText } from '../moderation/moderation.service';
import { createOnce } from '../../data/create-once';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { recomputeGrade, type GradingDeps } from '../grading/grading.service';
import { invalidateShop } from '../public/profile-cache';
import { addChecklistItem } from '../selfchecks/checklist.service';
import { assertUploadsExist } from '../uploads/upload.service';
import { complaintModel, type ComplaintDoc } from './complaint.model';
import { routeToOffice } from './routing';
import { withLock } from '../../data/lock';

export interface ComplaintDeps extends GradingDeps {
  config: Config;
  wechat: WeChatClient;
  logger?: Logger;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

function deadlineLabel(c: Pick<ComplaintDoc, 'status' | 'type'>): string | null {
  if (c.status === 'submitted') return c.type === 'complaint' ? '受理决定期限' : '立案决定期限';
  if (c.status === 'accepted' || c.status === 'in_progress') return c.type === 'complaint' ? '调解期限' : null;
  return null;
}

/** The filer's (or a regulator's) view. `outcome` is withheld from anonymous reporters, as the rules say. */
export function toView(c: ComplaintDoc, opts: { showOutcome: boolean }, today = chinaDate(new Date())): ComplaintView {
  return {
    id: String(c._id),
    number: c.number,
    type: c.type,
    typeLabel: COMPLAINT_TYPE_LABELS[c.type],
    category: c.category as ComplaintView['category'],
    categoryLabel: COMPLAINT_CATEGORY_LABELS[c.category as ComplaintView['category']],
    description: c.description,
    photos: c.photos,
    establishmentId: String(c.establishmentId),
    shopName: c.shopName,
    office: c.office,
    status: c.status,
    statusLabel: COMPLAINT_STATUS_LABELS[c.status],
    deadline: c.deadline,
    deadlineLabel: deadlineLabel(c),
    overdue: !!c.deadline && today > c.deadline,
    timeline: c.timeline.map((t) => ({
      status: t.status,
      statusLabel: COMPLAINT_STATUS_LABELS[t.status],
      at: t.at.toISOString(),
      // Anonymous reporters see that it moved, not what was found (SAMR Order No. 20).
      note: opts.showOutcome ? t.note : '',
    })),
    createdAt: c.createdAt.toISOString(),
    joinedCount: c.joined.length,
  };
}

/** Open complaints about the same shop within 50 m in the last 30 days (to join instead of repeating). */
export async function similarOpen(
  db: Connection,
  establishmentId: string,
  at: { lng: number; lat: number },
  now = new Date(),
) {
  const since = new Date(now.getTime() - 30 * 24 * 3600 * 1000);
  const rows = await complaintModel(db)
    .find({
      establishmentId: parseObjectId(establishmentId),
      createdAt: { $gte: since },
      status: { $in: ['submitted', 'accepted', 'in_progress'] },
    })
    .lean();
  return rows
    .map((c) => ({ c, d: distanceMeters(at, c.location) }))
    .filter(({ d }) => d <= 50)
    .map(({ c, d }) => ({
      id: String(c._id),
      number: c.number,
      categoryLabel: COMPLAINT_CATEGORY_LABELS[c.category as ComplaintView['category']],
      // Other people's words only once WeChat's content check passed them.
      description: (c.descriptionCheck ?? 'pass') === 'pass' ? c.description.slice(0, 60) : '',
      statusLabel: COMPLAINT_STATUS_LABELS[c.status],
      distanceM: Math.round(d),
      createdAt: c.createdAt.toISOString(),
    }));
}

/**
 * Files a complaint or report. A retry with the same key returns the first one. The office is
 * chosen by where the user stands; photos must have been uploaded first.
 */
export async function fileComplaint(deps: ComplaintDeps, input: ComplaintInput, userId: string, now = new Date()) {
  const Complaints = complaintModel(deps.db);
  const existing = await Complaints.findOne({ idempotencyKey: input.idempotencyKey }).lean();
  if (existing) return { created: false, complaint: existing, deviceKey: null };
  const est = await findEstablishment(deps.db, input.establishmentId);
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  // Others may see the description (similar complaints nearby): WeChat checks it first. Risky text
  // is refused before anything is stored; an unreachable WeChat only holds it back from others.
  const descriptionCheck = await checkText(
    { db: deps.db, wechat: deps.wechat, config: deps.config, logger: deps.logger },
    { userId, scene: 2, text: input.description, field: 'body.description', whenUnchecked: 'hold' },
  );
  const phoneVerified = !input.anonymous && !!input.phone && (await verifiedPhoneOf(deps.db, userId)) === input.phone;
  const route = routeToOffice(
    deps.config.complaints.districtsFile,
    deps.config.complaints.defaultOffice,
    input.location,
  );
  const today = chinaDate(now);
  const due = addWorkingDays(
    today,
    input.type === 'complaint' ? COMPLAINT_DEADLINES.accept : COMPLAINT_DEADLINES.reportDecision,
  );
  const deviceKey = input.anonymous ? randomBytes(24).toString('base64url') : null;
  const number = `${input.type === 'complaint' ? 'TS' : 'JB'}${today.replace(/-/g, '')}${randomBytes(3).toString('hex').toUpperCase()}`;
  const { created, doc } = await createOnce(
    Complaints,
    { idempotencyKey: input.idempotencyKey },
    {
      number,
      type: input.type,
      category: input.category,
      description: input.description,
      photos: input.photos,
      establishmentId: est._id,
      shopName: est.name,
      location: input.location,
      office: route.office,
      district: route.district,
      outsideDistricts: route.outsideDistricts,
      status: 'submitted',
      deadline: due.date,
      deadlineComplete: due.complete,
      complainant: input.anonymous
        ? null
        : {
            userId,
            ...(input.name ? { name: input.name } : {}),
            ...(input.phone ? { phone: input.phone, phoneVerified } : {}),
            ...(input.address ? { address: input.address } : {}),
            ...(input.request ? { request: input.request } : {}),
          },
      descriptionCheck,
      deviceKeyHash: deviceKey ? hashKey(deviceKey) : null,
      joined: [],
      upheld: null,
      timeline: [
        {
          status: 'submitted',
          at: now,
          by: 'public',
          note: route.outsideDistricts ? '位置不在任何辖区内，已转投诉举报中心' : '',
        },
      ],
      idempotencyKey: input.idempotencyKey,
      createdAt: now,
      updatedAt: now,
    },
  );
  // A copy that lost the race answers like a retry: the same complaint, no new device key.
  return { created, complaint: doc, deviceKey: created ? deviceKey : null };
}

/** "我也遇到": adds the user to an open complaint instead of a new one, with what they saw. */
export async function joinComplaint(
  deps: Pick<ComplaintDeps, 'db' | 'wechat' | 'config' | 'logger'>,
  id: string,
  userId: string,
  note: string | undefined,
  now = new Date(),
) {
  const { db } = deps;
  const c = await complaintModel(db).findById(parseObjectId(id)).lean();
  if (!c || !['submitted', 'accepted', 'in_progress'].includes(c.status))
    throw new AppError('NOT_FOUND', { message: '该投诉已办结或不存在' });
  if (!c.joined.some((j) => j.userId === userId) && c.complainant?.userId !== userId) {
    const noteCheck = note
      ? await checkText(deps, { userId, scene: 2, text: note, field: 'body.note', whenUnchecked: 'hold' })
      : undefined;
    await complaintModel(db).updateOne(
      { _id: c._id, 'joined.userId': { $ne: userId } },
      { $push: { joined: { userId, at: now, ...(note ? { note, noteCheck } : {}) } } },
    );
  }
  return { id, joined: true };
}

export async function myComplaints(db: Connection, userId: string, deviceKeys: string[]) {
  const hashes = deviceKeys.map(hashKey);
  const rows = await complaintModel(db)
    .find({
      $or: [
        { 'complainant.userId': userId },
        { 'joined.userId': userId },
        ...(hashes.length ? [{ deviceKeyHash: { $in: hashes } }] : []),
      ],
    })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean();
  return rows.map((c) => toView(c, { showOutcome: c.complainant !== null }));
}

const NEXT: Record<ComplaintAction['action'], { from: ComplaintStatus[]; to: ComplaintStatus }> = {
  accept: { from: ['submitted'], to: 'accepted' },
  reject: { from: ['submitted'], to: 'not_accepted' },
  start: { from: ['accepted'], to: 'in_progress' },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved' },
  end_mediation: { from: ['accepted', 'in_progress'], to: 'mediation_ended' },
};

/** A regulator's step on a complaint; every step is recorded with who and when. */
export async function actOnComplaint(
  deps: ComplaintDeps,
  id: string,
  action: ComplaintAction,
  by: string,
  now = new Date(),
) {
  return withLock(deps.db, `complaint:${id}`, async () => {
    const Complaints = complaintModel(deps.db);
    const c = await Complaints.findById(parseObjectId(id)).lean();
    if (!c) throw new AppError('NOT_FOUND', { message: '投诉举报不存在' });
    const step = NEXT[action.action];
    if (!step.from.includes(c.status)) {
      throw new AppError('CONFLICT', { message: `当前状态为「${COMPLAINT_STATUS_LABELS[c.status]}」，不能执行该操作` });
    }
    if (action.action === 'end_mediation' && c.type !== 'complaint')
      throw new AppError('CONFLICT', { message: '举报不适用调解' });
    const today = chinaDate(now);
    let deadline: { date: string; complete: boolean } | null = null;
    if (step.to === 'accepted' && c.type === 'complaint')
      deadline = addWorkingDays(today, COMPLAINT_DEADLINES.mediation);
    if (step.to === 'in_progress' && c.type === 'complaint')
      deadline = c.deadline ? { date: c.deadline, complete: c.deadlineComplete } : null;
    const note =
      action.action === 'reject' || action.action === 'end_mediation'
        ? action.reason
        : action.action === 'resolve'
          ? action.result
          : action.note;
    // Only the complaint in its previous state changes, so two regulators cannot both move it.
    const res = await Complaints.updateOne(
      { _id: c._id, status: c.status },
      {
        $set: {
          status: step.to,
          deadline: deadline?.date ?? null,
          deadlineComplete: deadline?.complete ?? true,
          updatedAt: now,
          ...(action.action === 'resolve' ? { upheld: action.upheld } : {}),
        },
        $push: { timeline: { status: step.to, at: now, by, note } },
      },
    );
    if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '投诉状态已被他人更新，请刷新' });
    if (action.action === 'resolve') {
      if (action.addTargetedItem) {
        await addChecklistItem(
          deps.db,
          String(c.establishmentId),
          {
            text: action.addTargetedItem,
            method: '现场查看并拍照',
            basis: `投诉举报 ${c.number}`,
            photoRequired: true,
          },
          'regulator',
          by,
        );
      }
      if (action.upheld) {
        const est = await findEstablishment(deps.db, String(c.establishmentId));
        await recomputeGrade(deps, est, 'complaint upheld', now);
        invalidateShop(String(c.establishmentId));
      }
    }
    const updated = await Complaints.findById(c._id).lean();
    return updated as ComplaintDoc;
  });
}

/** For regulators: every field, identity included. */
export function regulatorView(c: ComplaintDoc) {
  return {
    ...toView(c, { showOutcome: true }),
    complainant: c.complainant
      ? {
          name: c.complainant.name ?? null,
          phone: c.complainant.phone ?? null,
          phoneVerified: c.complainant.phoneVerified ?? false,
          address: c.complainant.address ?? null,
          request: c.complainant.request ?? null,
        }
      : null,
    descriptionCheck: c.descriptionCheck ?? 'pass',
    joined: c.joined.map((j) => ({ at: j.at.toISOString(), note: j.note ?? '', noteCheck: j.noteCheck ?? 'pass' })),
    anonymous: c.complainant === null,
    location: c.location,
    district: c.district,
    outsideDistricts: c.outsideDistricts,
    deadlineComplete: c.deadlineComplete,
    upheld: c.upheld,
    timeline: c.timeline.map((t) => ({
      status: t.status,
      statusLabel: COMPLAINT_STATUS_LABELS[t.status],
      at: t.at.toISOString(),
      by: t.by,
      note: t.note,
    })),
  };
}

export async function listForRegulators(
  db: Connection,
  q: {
    status?: ComplaintStatus;
    office?: string;
    overdue?: boolean;
    establishmentId?: string;
    category?: string;
    page: number;
    pageSize: number;
  },
  now = new Date(),
) {
  const filter: Record<string, unknown> = {};
  if (q.status) filter.status = q.status;
  if (q.office) filter.office = q.office;
  if (q.category) filter.category = q.category;
  if (q.establishmentId) filter.establishmentId = parseObjectId(q.establishmentId);
  if (q.overdue) filter.deadline = { $lt: chinaDate(now), $ne: null };
  const [rows, total] = await Promise.all([
    complaintModel(db)
      .find(filter)
      .sort({ deadline: 1, createdAt: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    complaintModel(db).countDocuments(filter),
  ]);
  return { items: rows.map(regulatorView), page: q.page, pageSize: q.pageSize, total };
}

/** Upheld complaints about a shop over the last `days` (they lower its grade). */
export async function upheldCount(db: Connection, establishmentId: Types.ObjectId, days: number, now = new Date()) {
  return complaintModel(db).countDocuments({
    establishmentId,
    upheld: true,
    updatedAt: { $gte: new Date(now.getTime() - days * 24 * 3600 * 1000) },
  });
}

/** Open311 GeoReport v2 "requests": no personal data, only what civic tools need. */
export async function open311Requests(db: Connection, limit: number) {
  const rows = await complaintModel(db).find({}).sort({ createdAt: -1 }).limit(limit).lean();
  return rows.map((c) => ({
    service_request_id: c.number,
    status: ['resolved', 'not_accepted', 'mediation_ended'].includes(c.status) ? 'closed' : 'open',
    status_notes: COMPLAINT_STATUS_LABELS[c.status],
    service_name: COMPLAINT_CATEGORY_LABELS[c.category as ComplaintView['category']],
    service_code: c.category,
    description: `${COMPLAINT_TYPE_LABELS[c.type]}：${c.shopName}`,
    agency_responsible: c.office,
    requested_datetime: c.createdAt.toISOString(),
    updated_datetime: c.updatedAt.toISOString(),
    expected_datetime: c.deadline ? `${c.deadline}T23:59:59+08:00` : null,
    address: c.shopName,
    lat: c.location.lat,
    long: c.location.lng,
  }));
}
