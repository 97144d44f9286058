import { randomInt } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  BUSINESS_TYPE_LABELS,
  ESTABLISHMENT_STATUS_LABELS,
  LICENCE_TYPE_LABELS,
  type EstablishmentInput,
  type EstablishmentUpdate,
  type RiskResult,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey } from '../../data/create-once';
import { checkText, type ModerationDeps } from '../moderation/moderation.service';
import { gradeHistoryModel } from '../grading/grade-history.model';
import { currentGrade, recomputeGrade, riskOf, type GradingDeps, initialGrade } from '../grading/grading.service';
import { invalidateShop } from '../public/profile-cache';
import { establishmentModel, memberModel, type EstablishmentDoc, type MemberRole } from './establishment.model';

// Crockford-like alphabet without 0/O, 1/I/L: codes are read aloud and typed by hand.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newShopCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function parseObjectId(id: string): Types.ObjectId {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/.test(id))
    throw new AppError('NOT_FOUND', { message: '门店不存在' });
  return new Types.ObjectId(id);
}

export async function findEstablishment(db: Connection, id: string): Promise<EstablishmentDoc> {
  const est = await establishmentModel(db).findById(parseObjectId(id)).lean();
  if (!est) throw new AppError('NOT_FOUND', { message: '门店不存在' });
  return est;
}

/** The regulator's view: everything, with the risk level. */
export interface EstablishmentView {
  id: string;
  code: string;
  name: string;
  licence: EstablishmentDoc['licence'] & { typeLabel: string };
  address: string;
  district: string;
  location: EstablishmentDoc['location'];
  businessType: EstablishmentDoc['businessType'];
  businessTypeLabel: string;
  floorAreaM2: number;
  dinersPerMeal: number;
  status: EstablishmentDoc['status'];
  statusLabel: string;
  licensedAt: string;
  openingHours: string;
  qr: { version: number; revoked: boolean };
  grade: EstablishmentDoc['grade'];
  risk?: RiskResult;
  createdAt: string;
  updatedAt: string;
}

export function toView(est: EstablishmentDoc, risk?: RiskResult): EstablishmentView {
  return {
    id: String(est._id),
    code: est.code,
    name: est.name,
    licence: { ...est.licence, typeLabel: LICENCE_TYPE_LABELS[est.licence.type] },
    address: est.address,
    district: est.district,
    location: est.location,
    businessType: est.businessType,
    businessTypeLabel: BUSINESS_TYPE_LABELS[est.businessType],
    floorAreaM2: est.floorAreaM2,
    dinersPerMeal: est.dinersPerMeal,
    status: est.status,
    statusLabel: ESTABLISHMENT_STATUS_LABELS[est.status],
    licensedAt: est.licensedAt,
    openingHours: est.openingHours,
    qr: { version: est.qr.version, revoked: est.qr.revoked },
    grade: est.grade,
    ...(risk ? { risk } : {}),
    createdAt: est.createdAt.toISOString(),
    updatedAt: est.updatedAt.toISOString(),
  };
}

/** Whether a duplicate-key error came from the licence number (FerretDB does not name the index). */
async function licenceTaken(db: Connection, number: string, exceptId?: EstablishmentDoc['_id']): Promise<boolean> {
  const other = await establishmentModel(db).findOne({ 'licence.number': number }, { _id: 1 }).lean();
  return !!other && (!exceptId || !other._id.equals(exceptId));
}

/** Creates a shop; its first grade follows (usually 待评级 or 暂未评级). */
export async function createEstablishment(deps: GradingDeps, input: EstablishmentInput, now = new Date()) {
  const Establishments = establishmentModel(deps.db);
  const grade = initialGrade(input.licensedAt, deps.grading, now);
  // A code collision is astronomically rare; try again a few times rather than fail.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const doc = await Establishments.create({
        ...input,
        code: newShopCode(),
        qr: { version: 1, revoked: false, changedAt: now },
        grade,
        reply: null,
        createdAt: now,
        updatedAt: now,
      });
      await gradeHistoryModel(deps.db).create({ establishmentId: doc._id, grade, trigger: 'created', shownFrom: now });
      return findEstablishment(deps.db, String(doc._id));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await licenceTaken(deps.db, input.licence.number)) {
        throw new AppError('CONFLICT', { message: `许可证编号 ${input.licence.number} 已登记` });
      }
      if (attempt >= 3) throw err; // the shop code collided again
    }
  }
}

export async function updateEstablishment(deps: GradingDeps, id: string, patch: EstablishmentUpdate, now = new Date()) {
  const est = await findEstablishment(deps.db, id);
  try {
    await establishmentModel(deps.db).updateOne({ _id: est._id }, { $set: { ...patch, updatedAt: now } });
  } catch (err) {
    if (isDuplicateKey(err) && patch.licence && (await licenceTaken(deps.db, patch.licence.number, est._id))) {
      throw new AppError('CONFLICT', { message: '该许可证编号已登记在其他门店' });
    }
    throw err;
  }
  invalidateShop(id);
  const updated = await findEstablishment(deps.db, id);
  if (patch.licensedAt && patch.licensedAt !== est.licensedAt)
    await recomputeGrade(deps, updated, 'licence date changed', now);
  return findEstablishment(deps.db, id);
}

export async function viewWithRisk(deps: GradingDeps, est: EstablishmentDoc): Promise<EstablishmentView> {
  const grade = await currentGrade(deps, est);
  return toView({ ...est, grade }, await riskOf(deps, est));
}

export async function listEstablishments(
  db: Connection,
  query: { district?: string; q?: string; page: number; pageSize: number },
) {
  const filter: Record<string, unknown> = {};
  if (query.district) filter.district = query.district;
  if (query.q) {
    const rx = new RegExp(query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    filter.$or = [{ name: rx }, { address: rx }, { 'licence.number': rx }];
  }
  const Establishments = establishmentModel(db);
  const [rows, total] = await Promise.all([
    Establishments.find(filter)
      .sort({ district: 1, name: 1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean(),
    Establishments.countDocuments(filter),
  ]);
  return { items: rows.map((r) => toView(r)), page: query.page, pageSize: query.pageSize, total };
}

/** Gives a user a role in a shop (operator accounts bound by regulators until invitations exist). */
export async function addMember(db: Connection, id: string, userId: string, role: MemberRole, by: string) {
  const est = await findEstablishment(db, id);
  const uid = parseObjectId(userId);
  await memberModel(db).updateOne(
    { establishmentId: est._id, userId: uid },
    { $set: { role }, $setOnInsert: { addedBy: by, addedAt: new Date() } },
    { upsert: true },
  );
  return { establishmentId: String(est._id), userId, role };
}

export async function isMember(db: Connection, establishmentId: Types.ObjectId, userId: string): Promise<boolean> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return false;
  return !!(await memberModel(db).exists({ establishmentId, userId: new Types.ObjectId(userId) }));
}

/**
 * The business's public reply beside its grade (right to reply); only its own operators may write
 * it. Every diner sees it, so WeChat checks it first: risky text is refused, text WeChat sends to
 * review waits for a regulator, and while WeChat cannot be reached the owner is asked to retry.
 */
export async function setReply(deps: ModerationDeps, id: string, text: string, userId: string) {
  const { db } = deps;
  const est = await findEstablishment(db, id);
  if (!(await isMember(db, est._id, userId))) throw new AppError('FORBIDDEN', { message: '只能回复本店的评级' });
  const check = await checkText(deps, { userId, scene: 2, text, field: 'body.text', whenUnchecked: 'refuse' });
  const reply = { text, updatedAt: new Date(), by: userId, check: check === 'pass' ? 'pass' : 'review' };
  await establishmentModel(db).updateOne({ _id: est._id }, { $set: { reply } });
  invalidateShop(id);
  return {
    text,
    updatedAt: reply.updatedAt.toISOString(),
    state: reply.check === 'pass' ? ('published' as const) : ('in_review' as const),
  };
}
