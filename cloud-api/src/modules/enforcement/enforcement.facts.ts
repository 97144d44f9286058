import type { Connection, Types } from 'mongoose';
import { shopIndexOf } from '../../data/shop-index';
import { captureModel, caseModel, deviceModel, noticeModel, reminderModel } from './enforcement.models';

/** Read-only facts the enforcement module states about a shop (grading). Imports only its models. */

/**
 * Violations the AI caught since `since`: each capture that started a ladder step (captures of one
 * incident join its step; low-confidence ones are evidence only), so a burst counts once.
 */
export async function aiViolationCount(db: Connection, establishmentId: Types.ObjectId, since: Date): Promise<number> {
  return (await shopIndexOf(db, captureModel(db), establishmentId)).filter((c) => c.capturedAt >= since).length;
}

/** Rectification notices not yet accepted by the office. */
export async function openNoticeCount(db: Connection, establishmentId: Types.ObjectId): Promise<number> {
  return (await shopIndexOf(db, noticeModel(db), establishmentId)).filter((n) => n.status !== 'accepted').length;
}

/**
 * What waits for the shop's people on their home screen: AI reminders not yet acknowledged or
 * escalated, notices open or returned, and (for the party: owner and 总监) cases awaiting a response.
 */
export async function pendingForShop(db: Connection, establishmentId: Types.ObjectId, withCases: boolean) {
  const [reminders, notices, cases] = await Promise.all([
    shopIndexOf(db, reminderModel(db), establishmentId),
    shopIndexOf(db, noticeModel(db), establishmentId),
    withCases ? shopIndexOf(db, caseModel(db), establishmentId) : [],
  ]);
  return {
    reminders: reminders.filter((r) => !r.acknowledgedAt && !r.escalatedAt).length,
    notices: notices.filter((n) => n.status === 'open' || n.status === 'returned').length,
    cases: cases.filter((c) => c.status === 'confirmed' || c.status === 'responded').length,
  };
}

/** The shop's registered AI box (its id and signing key), or null. */
export async function deviceOfShop(db: Connection, establishmentId: Types.ObjectId) {
  const d = await deviceModel(db).findOne({ establishmentId }).lean();
  return d ? { id: String(d._id), key: String(d.key) } : null;
}

/** Whether the shop has a case opened under this idempotency key. */
export async function caseExists(db: Connection, establishmentId: Types.ObjectId, key: string): Promise<boolean> {
  return !!(await caseModel(db).exists({ establishmentId, key }));
}

/** The shop a notice, a case or an AI box belongs to, or null (where a regulator's request may go). */
export async function shopOfEnforcement(
  db: Connection,
  kind: 'notice' | 'case' | 'device',
  id: string,
): Promise<Types.ObjectId | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const fields = { establishmentId: 1 } as const;
  const doc =
    kind === 'notice'
      ? await noticeModel(db).findById(id, fields).lean()
      : kind === 'case'
        ? await caseModel(db).findById(id, fields).lean()
        : await deviceModel(db).findById(id, fields).lean();
  return doc?.establishmentId ?? null;
}
