import type { Connection, Types } from 'mongoose';
import { captureModel, noticeModel } from './enforcement.models';

/** Read-only facts the enforcement module states about a shop (grading). Imports only its models. */

/**
 * Violations the AI caught since `since`: each capture that started a ladder step (captures of one
 * incident join its step; low-confidence ones are evidence only), so a burst counts once.
 */
export async function aiViolationCount(db: Connection, establishmentId: Types.ObjectId, since: Date): Promise<number> {
  return captureModel(db).countDocuments({ establishmentId, capturedAt: { $gte: since }, 'outcome.created': true });
}

/** Rectification notices not yet accepted by the office. */
export async function openNoticeCount(db: Connection, establishmentId: Types.ObjectId): Promise<number> {
  return noticeModel(db).countDocuments({ establishmentId, status: { $ne: 'accepted' } });
}
