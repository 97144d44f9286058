import { randomInt } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  BUSINESS_TYPE_LABELS,
  CODE_ALPHABET,
  ESTABLISHMENT_STATUS_LABELS,
  LICENCE_TYPE_LABELS,
  type EstablishmentInput,
  type EstablishmentUpdate,
  type Jurisdiction,
  type RiskResult,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey } from '../../data/create-once';
import { withLock } from '../../data/lock';
import { checkText, type ModerationDeps } from '../moderation/moderation.service';
import { recordGradesShown } from '../grading/grade-history.service';
import { currentGrade, riskOf, type GradingDeps, initialGrade } from '../grading/grading.service';
import { establishmentModel, type EstablishmentDoc } from './establishment.model';
import { isMember } from '../members/member.facts';
import { shopChanged } from '../../events/shop-events';
import { findByIds } from '../../data/by-ids';
import { directoryOf } from './shop-directory';

// Crockford-like alphabet without 0/O, 1/I/L: codes are read aloud and typed by hand.
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

/**
 * The shop with this public code (the code inside its QR payload), or null: the directory knows the
 * code's shop, which is then read by _id. A code the directory does not know yet (a shop another
 * instance created within the last second) is looked for in the collection: a payload reaches here
 * only with a valid signature, so nobody can make the API search for codes at will.
 */
export async function establishmentByCode(db: Connection, code: string): Promise<EstablishmentDoc | null> {
  const id = (await directoryOf(db)).idByCode(code);
  const est = id ? await establishmentModel(db).findById(id).lean() : null;
  if (est?.code === code) return est;
  return establishmentModel(db).findOne({ code }).lean();
}

/**
 * Changes a shop's QR state: a new version (every code printed before stops working: a poster was
 * stolen or misused), or codes stopped / restored. Publishes the change; answers the shop as it is now.
 */
export async function changeQr(db: Connection, id: string, change: { rotate: true } | { revoked: boolean }) {
  const est = await findEstablishment(db, id);
  const at = new Date();
  await establishmentModel(db).updateOne(
    { _id: est._id },
    'rotate' in change
      ? { $inc: { 'qr.version': 1 }, $set: { 'qr.revoked': false, 'qr.changedAt': at } }
      : { $set: { 'qr.revoked': change.revoked, 'qr.changedAt': at } },
  );
  await shopChanged(db, id, 'qr');
  return findEstablishment(db, id);
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
      await recordGradesShown(deps.db, [{ establishmentId: doc._id, grade, trigger: 'created', shownFrom: now }]);
      // Lists and the directory take the new shop in.
      await shopChanged(deps.db, String(doc._id), 'created', { at: now });
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
  const datesChanged = patch.licensedAt !== undefined && patch.licensedAt !== est.licensedAt;
  await shopChanged(deps.db, id, datesChanged ? 'licence-dates' : 'profile', {
    trigger: datesChanged ? 'licence date changed' : 'profile updated',
    at: now,
  });
  return findEstablishment(deps.db, id);
}

export async function viewWithRisk(deps: GradingDeps, est: EstablishmentDoc): Promise<EstablishmentView> {
  const grade = await currentGrade(deps, est);
  return toView({ ...est, grade }, await riskOf(deps, est));
}

export async function listEstablishments(
  db: Connection,
  query: { district?: string; q?: string; page: number; pageSize: number },
  jurisdiction: Jurisdiction,
) {
  // The directory holds every shop in this order; only the page's shops are read, by _id.
  const found = (await directoryOf(db)).regulatorList({
    district: query.district,
    text: query.q,
    ...(jurisdiction.city ? {} : { within: jurisdiction.districts }),
  });
  const ids = found.slice((query.page - 1) * query.pageSize, query.page * query.pageSize).map((e) => e.est._id);
  const byId = new Map((await findByIds(establishmentModel(db), ids)).map((r) => [String(r._id), r]));
  const rows = ids.map((id) => byId.get(String(id))).filter((r): r is EstablishmentDoc => !!r);
  return { items: rows.map((r) => toView(r)), page: query.page, pageSize: query.pageSize, total: found.length };
}

/**
 * The business's public reply beside its grade (right to reply); only its own operators may write
 * it. Every diner sees it, so WeChat checks it first: risky text is refused, text WeChat sends to
 * review waits for a regulator, and while WeChat cannot be reached the owner is asked to retry.
 */
/** The reply as its shop's members see it: the words and whether diners see them yet. */
function replyView(reply: NonNullable<EstablishmentDoc['reply']>) {
  return {
    text: reply.text,
    updatedAt: new Date(reply.updatedAt).toISOString(),
    state: (reply.check ?? 'pass') === 'pass' ? ('published' as const) : ('in_review' as const),
  };
}

async function memberShop(db: Connection, id: string, userId: string) {
  const est = await findEstablishment(db, id);
  if (!(await isMember(db, est._id, userId))) throw new AppError('FORBIDDEN', { message: '只能回复本店的评级' });
  return est;
}

/** The shop's reply beside its grade, for its members (null when there is none). */
export async function getReply(db: Connection, id: string, userId: string) {
  const est = await memberShop(db, id, userId);
  return { reply: est.reply ? replyView(est.reply) : null };
}

/**
 * Publishes or replaces the reply (after WeChat's text check); a replaced one is kept in the
 * shop's reply history. Runs under the shop's reply lock so two editors cannot lose a version.
 */
export async function setReply(deps: ModerationDeps, id: string, text: string, userId: string) {
  const { db } = deps;
  const est = await memberShop(db, id, userId);
  const check = await checkText(deps, { userId, scene: 2, text, field: 'body.text', whenUnchecked: 'refuse' });
  const reply = { text, updatedAt: new Date(), by: userId, check: check === 'pass' ? 'pass' : 'review' } as const;
  await withLock(db, `grade-reply:${id}`, async () => {
    const now = (await establishmentModel(db).findById(est._id, { reply: 1 }).lean())?.reply;
    await establishmentModel(db).updateOne(
      { _id: est._id },
      {
        $set: { reply },
        ...(now
          ? { $push: { replyHistory: { ...now, ended: 'replaced', endedAt: reply.updatedAt, endedBy: userId } } }
          : {}),
      },
    );
  });
  await shopChanged(db, id, 'reply');
  return replyView(reply);
}

/** Takes the reply down (diners no longer see it); it stays in the shop's reply history. */
export async function withdrawReply(db: Connection, id: string, userId: string) {
  const est = await memberShop(db, id, userId);
  await withLock(db, `grade-reply:${id}`, async () => {
    const now = (await establishmentModel(db).findById(est._id, { reply: 1 }).lean())?.reply;
    if (!now) return;
    await establishmentModel(db).updateOne(
      { _id: est._id },
      {
        $set: { reply: null },
        $push: { replyHistory: { ...now, ended: 'withdrawn', endedAt: new Date(), endedBy: userId } },
      },
    );
  });
  await shopChanged(db, id, 'reply');
  return { reply: null };
}
