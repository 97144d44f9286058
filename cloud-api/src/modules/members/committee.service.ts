// The parents' committee of a school canteen: joined by the school's invitation, its 召集人, revocation.
import type { Connection } from 'mongoose';
import { AppError } from '../../http/app-error';
import { upsertOnce } from '../../data/create-once';
import { withLock } from '../../data/lock';
import { checkText, type ModerationDeps } from '../moderation/moderation.service';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { shopCards } from '../establishments/establishment.facts';
import { invitationByCode, takeInvitationUse } from './member.service';
import { committeeModel } from './committee.model';

/**
 * Binds a public-app user to a school's parents' committee with the school's invitation code. The
 * school and the other members see the name and class, so WeChat checks them first.
 */
export async function joinCommittee(
  deps: ModerationDeps,
  input: { code: string; name: string; grade: string },
  userId: string,
  now = new Date(),
) {
  return withLock(deps.db, `invitation:${input.code}`, async () => {
    const { db } = deps;
    const { code } = input;
    const message = '姓名或班级未通过内容安全检查，请填写真实姓名和所在班级';
    const check = await checkText(deps, {
      userId,
      scene: 1,
      text: `${input.name} ${input.grade}`,
      field: 'body.name',
      whenUnchecked: 'refuse',
      riskyMessage: message,
    });
    // A name is short and has no use until checked: WeChat's "review" counts as a refusal.
    if (check !== 'pass') throw new AppError('CONTENT_RISKY', { message, details: [{ path: 'body.name', message }] });
    const inv = await invitationByCode(db, code, 'parent');
    if (!inv) throw new AppError('NOT_FOUND', { message: '邀请码不存在，请核对后重新输入' });
    if (inv.revoked) throw new AppError('CONFLICT', { message: '该邀请码已被撤销' });
    if (inv.expiresAt <= now) throw new AppError('CONFLICT', { message: '该邀请码已过期，请联系学校重新获取' });
    const existing = await committeeModel(db).findOne({ establishmentId: inv.establishmentId, userId }).lean();
    if (!existing || existing.revokedAt) {
      // One use per parent, taken once however many copies of the request arrive.
      await takeInvitationUse(db, inv._id, userId, now);
      await upsertOnce(() =>
        committeeModel(db).updateOne(
          { establishmentId: inv.establishmentId, userId },
          { $set: { revokedAt: null, joinedAt: now, name: input.name, grade: input.grade, convener: false } },
          { upsert: true },
        ),
      );
    } else {
      // Already a member: the name and class may be corrected.
      await committeeModel(db).updateOne({ _id: existing._id }, { $set: { name: input.name, grade: input.grade } });
    }
    const est = await findEstablishment(db, String(inv.establishmentId));
    return { establishmentId: String(est._id), name: est.name };
  });
}

export async function myCanteens(db: Connection, userId: string) {
  const rows = await committeeModel(db).find({ userId, revokedAt: null }).lean();
  return shopCards(
    db,
    rows.map((r) => r.establishmentId),
  );
}

/** A school's parents' committee, and whether it is formed as the rules ask (≥ 7 members, a 召集人). */
export async function committeeOf(db: Connection, establishmentId: string) {
  const rows = await committeeModel(db)
    .find({ establishmentId: parseObjectId(establishmentId) })
    .sort({ joinedAt: 1 })
    .lean();
  const active = rows.filter((r) => !r.revokedAt);
  return {
    members: rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      grade: r.grade,
      convener: r.convener && !r.revokedAt,
      joinedAt: r.joinedAt.toISOString(),
      revoked: r.revokedAt !== null,
    })),
    summary: {
      active: active.length,
      grades: [...new Set(active.map((r) => r.grade).filter(Boolean))].sort(),
      hasConvener: active.some((r) => r.convener),
      formed: active.length >= COMMITTEE_MIN_MEMBERS && active.some((r) => r.convener),
    },
  };
}

export const COMMITTEE_MIN_MEMBERS = 7;

/** The school names one active member its 召集人 (the previous one stops being it). */
export async function setConvener(db: Connection, establishmentId: string, userId: string) {
  const est = parseObjectId(establishmentId);
  const member = await committeeModel(db).findOne({ establishmentId: est, userId, revokedAt: null }).lean();
  if (!member) throw new AppError('NOT_FOUND', { message: '该成员不在家委会中' });
  await committeeModel(db).updateMany({ establishmentId: est, convener: true }, { $set: { convener: false } });
  await committeeModel(db).updateOne({ _id: member._id }, { $set: { convener: true } });
  return committeeOf(db, establishmentId);
}
export async function revokeCommitteeMember(db: Connection, establishmentId: string, userId: string) {
  const res = await committeeModel(db).updateOne(
    { establishmentId: parseObjectId(establishmentId), userId, revokedAt: null },
    { $set: { revokedAt: new Date(), convener: false } },
  );
  if (!res.matchedCount) throw new AppError('NOT_FOUND', { message: '该成员不在家委会中' });
}
