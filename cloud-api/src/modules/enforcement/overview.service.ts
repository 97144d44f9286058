// What the shop and the regulator see across enforcement: open items, the timeline, upload use.
import { type Connection, Types } from 'mongoose';
import { type MemberRole } from '@ygsa/shared';
import { findEstablishment } from '../establishments/establishment.service';
import { auditModel, captureModel, caseModel, noticeModel, reminderModel } from './enforcement.models';
import { loadEvidence } from './enforcement.common';
import { shopDocs } from '../../data/shop-index';
import { reminderView } from './reminders.service';
import { noticeView } from './notices.service';
import { caseView } from './cases.service';
import { consentOf } from './consent.service';

export async function enforcementOf(
  db: Connection,
  establishmentId: string,
  viewer: { userId: string; role: MemberRole },
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  const [reminders, notices, cases, consent] = await Promise.all([
    shopDocs(db, reminderModel(db), est._id, { by: 'issuedAt', limit: 100 }),
    shopDocs(db, noticeModel(db), est._id, { by: 'issuedAt', limit: 200 }),
    shopDocs(db, caseModel(db), est._id, {
      by: 'createdAt',
      limit: 100,
      where: (c) => c.status !== 'draft' && c.status !== 'dismissed',
    }),
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
    !!(await noticeModel(db).exists({
      ...by,
      $or: [{ photos: id }, { 'replies.photos': id }, { 'replies.versions.photos': id }],
    })) ||
    !!(await caseModel(db).exists({
      ...by,
      status: { $nin: ['draft', 'dismissed'] },
      $or: [{ photos: id }, { 'response.photos': id }, { 'signature.image': id }],
    }))
  );
}
