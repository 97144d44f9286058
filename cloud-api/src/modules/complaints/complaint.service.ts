import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import {
  COMPLAINT_DEADLINES,
  COMPLAINT_STATUS_LABELS,
  addWorkingDays,
  chinaDate,
  distanceMeters,
  type ComplaintAction,
  type ComplaintInput,
  type ComplaintStatus,
  type Jurisdiction,
} from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Logger } from '../../logger';
import { verifiedPhoneOf } from '../auth/auth.service';
import { checkText } from '../moderation/moderation.service';
import { createOnce, findOnce } from '../../data/create-once';
import { nextSerial } from '../../data/serials';
import { shopDocs, shopIndexOf } from '../../data/shop-index';
import { findByIds } from '../../data/by-ids';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { type GradingDeps } from '../grading/grading.service';
import { addChecklistItem } from '../selfchecks/checklist.service';
import { assertUploadsExist, grantUploadsToPlace } from '../uploads/upload.service';
import { OPEN_STATUSES, complaintModel, type ComplaintDoc } from './complaint.model';
import { routeToOffice } from './routing';
import { dinerView, filerView, openDataView, operatorMaySee, operatorView, regulatorView } from './views';
import { withLock } from '../../data/lock';
import { shopChanged } from '../../events/shop-events';
import { coversComplaint } from '../regulators/jurisdiction';

export interface ComplaintDeps extends GradingDeps {
  config: Config;
  wechat: WeChatClient;
  logger?: Logger;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Open complaints about the same shop within 50 m in the last 30 days (to join instead of repeating). */
export async function similarOpen(
  db: Connection,
  establishmentId: string,
  at: { lng: number; lat: number },
  now = new Date(),
) {
  const since = new Date(now.getTime() - 30 * 24 * 3600 * 1000);
  const open = ['submitted', 'accepted', 'in_progress'];
  const rows = await shopDocs(db, complaintModel(db), parseObjectId(establishmentId), {
    by: 'createdAt',
    limit: 200,
    where: (c) => c.createdAt >= since && open.includes(c.status),
  });
  // One line per matter: a party who joined is counted with the report it joined.
  const parties = new Map<string, number>();
  for (const c of rows) {
    const group = String(c.groupId ?? c._id);
    parties.set(group, (parties.get(group) ?? 0) + 1);
  }
  return (
    rows
      .filter((c) => !c.groupId)
      .map((c) => ({ c, d: distanceMeters(at, c.location) }))
      .filter(({ d }) => d <= 50)
      // Nearest first; at one distance the matter reported first (the one to join).
      .sort((a, b) => a.d - b.d || a.c.createdAt.getTime() - b.c.createdAt.getTime())
      .map(({ c, d }) => dinerView(c, d, parties.get(String(c._id)) ?? 1))
  );
}

/**
 * Files a complaint or report. A retry with the same key returns the first one. The office is
 * chosen by where the user stands; photos must have been uploaded first.
 */
export async function fileComplaint(
  deps: ComplaintDeps,
  input: ComplaintInput,
  userId: string,
  now = new Date(),
  /** 我也遇到: the open matter this report joins (same shop), as a party of its own. */
  joinOf?: ComplaintDoc,
) {
  const Complaints = complaintModel(deps.db);
  const existing = await findOnce(Complaints, { idempotencyKey: input.idempotencyKey });
  if (existing) {
    // A retry finishes what its first request may not have (it got no answer): the photos' grant.
    await grantUploadsToPlace(deps.db, existing.photos, { office: existing.office, district: existing.district });
    return { created: false, complaint: existing, deviceKey: null };
  }
  // A listed shop, or a place not listed (reported by its position and the filer's description).
  const est = input.establishmentId ? await findEstablishment(deps.db, input.establishmentId) : null;
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  // Others may see the description (similar complaints nearby): WeChat checks it first. Risky text
  // is refused before anything is stored; an unreachable WeChat only holds it back from others.
  const descriptionCheck = await checkText(
    { db: deps.db, wechat: deps.wechat, config: deps.config, logger: deps.logger },
    { userId, scene: 2, text: input.description, field: 'body.description', whenUnchecked: 'hold' },
  );
  // The number WeChat verified (the phone never held it), or a typed one marked verified when it matches.
  const verifiedPhone = input.anonymous ? null : await verifiedPhoneOf(deps.db, userId);
  if (input.useVerifiedPhone && !verifiedPhone)
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.phone', message: '手机号验证已失效，请重新获取或手动填写' }],
    });
  const phone = input.useVerifiedPhone ? (verifiedPhone as string) : input.phone;
  const phoneVerified = !!phone && phone === verifiedPhone;
  // A party joins the office that already handles the matter.
  const route = joinOf
    ? { office: joinOf.office, district: joinOf.district, outsideDistricts: joinOf.outsideDistricts }
    : routeToOffice(deps.config.complaints.districtsFile, deps.config.complaints.defaultOffice, input.location);
  const today = chinaDate(now);
  const due = addWorkingDays(
    today,
    input.type === 'complaint' ? COMPLAINT_DEADLINES.accept : COMPLAINT_DEADLINES.reportDecision,
  );
  const deviceKey = input.anonymous ? randomBytes(24).toString('base64url') : null;
  const number = await nextSerial(deps.db, input.type === 'complaint' ? 'TS' : 'JB', now);
  const { created, doc } = await createOnce(
    Complaints,
    { idempotencyKey: input.idempotencyKey },
    {
      number,
      type: input.type,
      category: input.category,
      description: input.description,
      photos: input.photos,
      establishmentId: est?._id ?? null,
      shopName: est?.name ?? (input.place as string),
      shopLocation: est ? { lng: est.location.lng, lat: est.location.lat } : null,
      groupId: joinOf ? (joinOf.groupId ?? joinOf._id) : null,
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
            ...(phone ? { phone, phoneVerified } : {}),
            ...(input.address ? { address: input.address } : {}),
            ...(input.request ? { request: input.request } : {}),
          },
      descriptionCheck,
      deviceKeyHash: deviceKey ? hashKey(deviceKey) : null,
      upheld: null,
      timeline: [
        {
          status: 'submitted',
          at: now,
          by: 'public',
          note: joinOf
            ? `与 ${joinOf.number} 反映同一问题（我也遇到）`
            : route.outsideDistricts
              ? '位置不在任何辖区内，已转投诉举报中心'
              : '',
        },
      ],
      idempotencyKey: input.idempotencyKey,
      createdAt: now,
      updatedAt: now,
    },
  );
  // A copy that lost the race answers like a retry: the same complaint, no new device key.
  // Regulators of the handling office and of the district may see its photos (a retry grants again).
  await grantUploadsToPlace(deps.db, doc.photos, { office: doc.office, district: doc.district });
  return { created, complaint: doc, deviceKey: created ? deviceKey : null };
}

/**
 * "我也遇到": the user's own 投诉 or 举报 — their description, photos, contact and request — filed
 * as a party to an open matter about the same shop, with its own deadlines, status and messages.
 */
export async function joinComplaint(
  deps: ComplaintDeps,
  id: string,
  input: ComplaintInput,
  userId: string,
  now = new Date(),
) {
  const original = await complaintModel(deps.db).findById(parseObjectId(id)).lean();
  if (!original || !['submitted', 'accepted', 'in_progress'].includes(original.status))
    throw new AppError('NOT_FOUND', { message: '该投诉已办结或不存在' });
  if (!original.establishmentId || String(original.establishmentId) !== input.establishmentId)
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.establishmentId', message: '只能加入同一门店的投诉举报' }],
    });
  return fileComplaint(deps, input, userId, now, original);
}

/** The parties to the matter of a complaint (its group), by complaint. */
async function partiesOf(db: Connection, rows: ComplaintDoc[]): Promise<Map<string, ComplaintDoc[]>> {
  // A matter's parties are reports about one shop: its index names them (a place not listed has
  // no shop, and nobody joins a report about it).
  const groups = new Set(rows.map((c) => String(c.groupId ?? c._id)));
  const shops = [...new Set(rows.filter((c) => c.establishmentId).map((c) => String(c.establishmentId)))];
  const indexed = (await Promise.all(shops.map((s) => shopIndexOf(db, complaintModel(db), s)))).flat();
  const memberIds = indexed.filter((e) => groups.has(String(e.groupId ?? e.id))).map((e) => e.id);
  const members = [...(await findByIds(complaintModel(db), memberIds)), ...rows.filter((c) => !c.establishmentId)];
  const byGroup = new Map<string, ComplaintDoc[]>();
  for (const m of members) {
    const g = String(m.groupId ?? m._id);
    byGroup.set(g, [...(byGroup.get(g) ?? []), m]);
  }
  return new Map(
    rows.map((c) => [
      String(c._id),
      (byGroup.get(String(c.groupId ?? c._id)) ?? []).filter((m) => !m._id.equals(c._id)),
    ]),
  );
}

/** The filer's view of a complaint they filed (with how many others reported the same). */
export async function filerViewOf(db: Connection, c: ComplaintDoc) {
  return filerView(c, (await partiesOf(db, [c])).get(String(c._id))?.length ?? 0);
}

/** A regulator's view of one complaint, with every party to its matter. */
export async function regulatorViewOf(db: Connection, c: ComplaintDoc) {
  return regulatorView(c, (await partiesOf(db, [c])).get(String(c._id)) ?? []);
}

/** Accepted 投诉 about a shop, as the shop sees them (views.ts decides what that is). */
export async function complaintsForShop(db: Connection, establishmentId: string) {
  const rows = await shopDocs(db, complaintModel(db), parseObjectId(establishmentId), {
    by: 'createdAt',
    limit: 100,
    where: (c) => c.type === 'complaint',
  });
  return rows.filter(operatorMaySee).map(operatorView);
}

export async function myComplaints(db: Connection, userId: string, deviceKeys: string[]) {
  // The filer's and each device's index (an _id read each), then the newest 100 by _id.
  const hashes = deviceKeys.map(hashKey);
  const Complaints = complaintModel(db);
  const lists = await Promise.all([
    shopDocs(db, Complaints, userId, { by: 'createdAt', limit: 100, name: 'filer' }),
    ...hashes.map((h) => shopDocs(db, Complaints, h, { by: 'createdAt', limit: 100, name: 'device' })),
  ]);
  const rows = [...new Map(lists.flat().map((c) => [String(c._id), c])).values()]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, 100);
  const parties = await partiesOf(db, rows);
  return rows.map((c) => filerView(c, parties.get(String(c._id))?.length ?? 0));
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
    if (action.action === 'resolve' && action.addTargetedItem && !c.establishmentId)
      throw new AppError('CONFLICT', { message: '该举报针对的是未登记的地点，无法添加门店检查项' });
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
    // A place not listed has no shop file: no checklist to add to, no grade to move.
    if (action.action === 'resolve' && c.establishmentId) {
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
        await shopChanged(deps.db, String(c.establishmentId), 'complaint-upheld', {
          trigger: 'complaint upheld',
          at: now,
        });
      }
    }
    const updated = await Complaints.findById(c._id).lean();
    return updated as ComplaintDoc;
  });
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
  /** The caller's jurisdiction: only complaints their offices handle or about their districts. */
  within: Jurisdiction,
  now = new Date(),
) {
  if (q.office && !within.city && !within.offices.includes(q.office))
    throw new AppError('FORBIDDEN', { message: '不在您的辖区范围内' });
  const filter: Record<string, unknown> = {};
  if (!within.city) filter.$or = [{ office: { $in: within.offices } }, { district: { $in: within.districts } }];
  if (q.status) filter.status = q.status;
  if (q.office) filter.office = q.office;
  if (q.category) filter.category = q.category;
  if (q.establishmentId) filter.establishmentId = parseObjectId(q.establishmentId);
  if (q.overdue) filter.deadline = { $lt: chinaDate(now), $ne: null };
  // One shop's matters: the shop's index. Matters still open (a legal clock runs only on those):
  // the office's queue, or the city's. Anything else (closed matters across shops): a search.
  if (q.establishmentId || q.overdue || (q.status && OPEN_STATUSES.includes(q.status))) {
    const today = chinaDate(now);
    const indexed = q.establishmentId
      ? await shopIndexOf(db, complaintModel(db), q.establishmentId)
      : await shopIndexOf(db, complaintModel(db), q.office ?? 'city', q.office ? 'office' : 'open');
    const entries = indexed.filter(
      (c) =>
        coversComplaint(within, { office: c.office, district: c.district ?? null }) &&
        (!q.status || c.status === q.status) &&
        (!q.category || c.category === q.category) &&
        (!q.office || c.office === q.office) &&
        (!q.overdue || (!!c.deadline && c.deadline < today)),
    );
    // As the database orders them: by deadline (none first, as MongoDB sorts null), then the newest.
    const at = (d: Date | string) => new Date(d).getTime();
    entries.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || at(b.createdAt) - at(a.createdAt));
    const ids = entries.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((e) => e.id);
    const byId = new Map((await findByIds(complaintModel(db), ids)).map((c) => [String(c._id), c]));
    const rows = ids.map((id) => byId.get(id)).filter((c): c is NonNullable<typeof c> => !!c);
    const parties = await partiesOf(db, rows);
    return {
      items: rows.map((c) => regulatorView(c, parties.get(String(c._id)) ?? [])),
      page: q.page,
      pageSize: q.pageSize,
      total: entries.length,
    };
  }
  const [rows, total] = await Promise.all([
    complaintModel(db)
      .find(filter)
      .sort({ deadline: 1, createdAt: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    complaintModel(db).countDocuments(filter),
  ]);
  const parties = await partiesOf(db, rows);
  return {
    items: rows.map((c) => regulatorView(c, parties.get(String(c._id)) ?? [])),
    page: q.page,
    pageSize: q.pageSize,
    total,
  };
}

/** Upheld complaints about a shop over the last `days` (they lower its grade). */
/** Open311 GeoReport v2 "requests": no personal data, only what civic tools need (views.ts). */
export async function open311Requests(db: Connection, limit: number) {
  const rows = await complaintModel(db).find({}).sort({ createdAt: -1 }).limit(limit).lean();
  return rows.map((c) => openDataView(c, c.shopLocation ?? null));
}
