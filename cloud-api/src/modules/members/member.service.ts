import { Types, type Connection } from 'mongoose';
import { MEMBER_ROLE_LABELS, type MemberRole } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey, upsertOnce } from '../../data/create-once';
import { establishmentModel, memberModel } from '../establishments/establishment.model';
import { findEstablishment, newShopCode, parseObjectId } from '../establishments/establishment.service';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { invitationModel, type InvitationDoc } from './invitation.model';
import { withLock } from '../../data/lock';

const toInvitation = (i: InvitationDoc) => ({
  code: i.code,
  establishmentId: String(i.establishmentId),
  role: i.role,
  roleLabel: (i.role as string) === 'parent' ? '家委会成员' : MEMBER_ROLE_LABELS[i.role],
  maxUses: i.maxUses,
  remaining: i.remaining,
  expiresAt: i.expiresAt.toISOString(),
  revoked: i.revoked,
  createdAt: i.createdAt.toISOString(),
});

/** The caller's role in a shop, or FORBIDDEN: staff of one shop never reach another's data. */
export async function roleIn(db: Connection, establishmentId: string, userId: string): Promise<MemberRole> {
  const m = /^[0-9a-f]{24}$/.test(userId)
    ? await memberModel(db)
        .findOne({ establishmentId: parseObjectId(establishmentId), userId: new Types.ObjectId(userId) })
        .lean()
    : null;
  if (!m) throw new AppError('FORBIDDEN', { message: '您不是该门店的成员' });
  return m.role as MemberRole;
}

export async function requireRole(
  db: Connection,
  establishmentId: string,
  userId: string,
  allowed: readonly MemberRole[],
) {
  const role = await roleIn(db, establishmentId, userId);
  if (!allowed.includes(role)) {
    throw new AppError('FORBIDDEN', { message: `该操作需要${allowed.map((r) => MEMBER_ROLE_LABELS[r]).join('或')}` });
  }
  return role;
}

/** An invitation code: regulators invite the owner; the owner invites staff. */
export async function createInvitation(
  db: Connection,
  establishmentId: string,
  input: { role: MemberRole; maxUses: number; expiresInDays: number },
  createdBy: string,
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const doc = await invitationModel(db).create({
        code: newShopCode(),
        establishmentId: est._id,
        role: input.role,
        maxUses: input.maxUses,
        remaining: input.maxUses,
        usedBy: [],
        expiresAt: new Date(now.getTime() + input.expiresInDays * 24 * 3600 * 1000),
        revoked: false,
        createdBy,
        createdAt: now,
      });
      return toInvitation(doc.toObject());
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
    }
  }
}

export async function listInvitations(db: Connection, establishmentId: string) {
  const rows = await invitationModel(db)
    .find({ establishmentId: parseObjectId(establishmentId) })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean();
  return rows.map(toInvitation);
}

export async function revokeInvitation(db: Connection, establishmentId: string, code: string) {
  const res = await invitationModel(db).updateOne(
    { establishmentId: parseObjectId(establishmentId), code },
    { $set: { revoked: true } },
  );
  if (!res.matchedCount) throw new AppError('NOT_FOUND', { message: '邀请码不存在' });
}

/**
 * Binds the caller to the shop of an invitation code. Taking a use is one atomic write, so a
 * code for one person cannot bind two; a retry by someone already bound uses nothing.
 */
export async function bindWithCode(db: Connection, code: string, userId: string, now = new Date()) {
  return withLock(db, `invitation:${code}`, async () => {
    const Invitations = invitationModel(db);
    const inv = await Invitations.findOne({ code }).lean();
    if (!inv) throw new AppError('NOT_FOUND', { message: '邀请码不存在，请核对后重新输入' });
    if ((inv.role as string) === 'parent')
      throw new AppError('CONFLICT', { message: '这是家委会邀请码，请在公众端“加入家委会”中使用' });
    if (inv.revoked) throw new AppError('CONFLICT', { message: '该邀请码已被撤销' });
    if (inv.expiresAt <= now) throw new AppError('CONFLICT', { message: '该邀请码已过期，请联系发放人重新获取' });
    const uid = new Types.ObjectId(userId);
    const existing = await memberModel(db).findOne({ establishmentId: inv.establishmentId, userId: uid }).lean();
    if (!existing || existing.role !== inv.role) {
      // One use per person, taken atomically: copies of one request racing here take one use between
      // them, and the losers find the person among the code's users.
      const taken = await Invitations.updateOne(
        { _id: inv._id, revoked: false, remaining: { $gt: 0 }, expiresAt: { $gt: now }, usedBy: { $ne: userId } },
        { $inc: { remaining: -1 }, $push: { usedBy: userId } },
      );
      if (!taken.modifiedCount && !(await Invitations.exists({ _id: inv._id, usedBy: userId })))
        throw new AppError('CONFLICT', { message: '该邀请码的使用次数已用完' });
      await upsertOnce(() =>
        memberModel(db).updateOne(
          { establishmentId: inv.establishmentId, userId: uid },
          { $set: { role: inv.role }, $setOnInsert: { addedBy: `invitation:${code}`, addedAt: now } },
          { upsert: true },
        ),
      );
    }
    return { establishmentId: String(inv.establishmentId), role: inv.role, roleLabel: MEMBER_ROLE_LABELS[inv.role] };
  });
}

/** The shops a person works in (one person may serve several), with their role and the shop's grade. */
export async function myShops(deps: GradingDeps, userId: string) {
  if (!/^[0-9a-f]{24}$/.test(userId)) return [];
  const memberships = await memberModel(deps.db)
    .find({ userId: new Types.ObjectId(userId) })
    .lean();
  const shops = await establishmentModel(deps.db)
    .find({ _id: { $in: memberships.map((m) => m.establishmentId) } })
    .lean();
  return Promise.all(
    shops.map(async (s) => {
      const role = memberships.find((m) => m.establishmentId.equals(s._id))?.role as MemberRole;
      const grade = await currentGrade(deps, s);
      return { id: String(s._id), name: s.name, address: s.address, role, roleLabel: MEMBER_ROLE_LABELS[role], grade };
    }),
  );
}

export async function teamOf(db: Connection, establishmentId: string) {
  const rows = await memberModel(db)
    .find({ establishmentId: parseObjectId(establishmentId) })
    .sort({ addedAt: 1 })
    .lean();
  return rows.map((m) => ({
    userId: String(m.userId),
    role: m.role as MemberRole,
    roleLabel: MEMBER_ROLE_LABELS[m.role as MemberRole],
    addedAt: m.addedAt.toISOString(),
  }));
}
