// 提醒: a reminder an AI capture raised, and its acknowledgement by the shop.
import type { ReminderView } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { parseObjectId } from '../establishments/establishment.service';
import { type ReminderDoc, audit, reminderModel } from './enforcement.models';
import { withLock } from '../../data/lock';
import { type Actor, type EnforcementDeps, type Evidence, loadEvidence, pick, topicLabel } from './enforcement.common';

export function reminderView(r: ReminderDoc, ev: Evidence): ReminderView {
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
