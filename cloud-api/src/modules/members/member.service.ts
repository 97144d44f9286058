import { Types, type Connection } from 'mongoose';
import { MEMBER_ROLE_LABELS, selfCheckDuty, type MemberRole, type SelfCheckKind } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { createOnce, isDuplicateKey, upsertOnce } from '../../data/create-once';
import { shopsByIds } from '../establishments/establishment.facts';
import { memberModel } from './member.model';
import { offRoster, onRoster, roleOnRoster, rosterOf } from './member.roster';
import { findEstablishment, newShopCode, parseObjectId } from '../establishments/establishment.service';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { invitationModel, type InvitationDoc } from './invitation.model';
import { removalModel } from './removal.model';
import { withLock } from '../../data/lock';
import { shopIndexOf } from '../../data/shop-index';

const toInvitation = (i: InvitationDoc, viewer?: string) => ({
  code: i.code,
  establishmentId: String(i.establishmentId),
  role: i.role,
  roleLabel: (i.role as string) === 'parent' ? '家委会成员' : MEMBER_ROLE_LABELS[i.role],
  maxUses: i.maxUses,
  remaining: i.remaining,
  expiresAt: i.expiresAt.toISOString(),
  revoked: i.revoked,
  createdAt: i.createdAt.toISOString(),
  used: i.usedBy.length,
  usedByMe: !!viewer && i.usedBy.includes(viewer),
});

/** The caller's role in a shop, or FORBIDDEN: staff of one shop never reach another's data. */
export async function roleIn(db: Connection, establishmentId: string, userId: string): Promise<MemberRole> {
  const role = /^[0-9a-f]{24}$/.test(userId)
    ? await roleOnRoster(db, parseObjectId(establishmentId), new Types.ObjectId(userId))
    : null;
  if (!role) throw new AppError('FORBIDDEN', { message: '您不是该门店的成员' });
  return role;
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

/** The roles the shop's members hold now (each once). */
export async function rolesPresent(db: Connection, establishmentId: string): Promise<MemberRole[]> {
  return [...new Set(Object.values((await rosterOf(db, parseObjectId(establishmentId))).members ?? {}))];
}

/**
 * The caller's role if it is theirs to file this kind of self-check in this shop now (the roles
 * present decide: `selfCheckDuty`), or FORBIDDEN naming who files it.
 */
export async function requireDuty(db: Connection, establishmentId: string, userId: string, kind: SelfCheckKind) {
  const role = await roleIn(db, establishmentId, userId);
  const duty = selfCheckDuty(kind, await rolesPresent(db, establishmentId));
  if (!duty.roles.includes(role)) throw new AppError('FORBIDDEN', { message: `该记录${duty.label}` });
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

/** The shop's codes; `viewer` sees which one brought them in (`usedByMe`). */
export async function listInvitations(db: Connection, establishmentId: string, viewer?: string) {
  const rows = await invitationModel(db)
    .find({ establishmentId: parseObjectId(establishmentId) })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean();
  return rows.map((r) => toInvitation(r, viewer));
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
    // A code from before the person was removed cannot bring them back: the owner must invite anew.
    const removed = await removalModel(db)
      .findOne({ establishmentId: inv.establishmentId, userId: uid, removedAt: { $gte: inv.createdAt } })
      .lean();
    if (removed) throw new AppError('FORBIDDEN', { message: '您已被移出该门店，请向主要负责人索取新的邀请码' });
    const existing = await memberModel(db).findOne({ establishmentId: inv.establishmentId, userId: uid }).lean();
    if (!existing || existing.role !== inv.role) {
      // One use per person, taken atomically: copies of one request racing here take one use between
      // them, and the losers find the person among the code's users.
      await takeInvitationUse(db, inv._id, userId, now);
      await offRoster(db, inv.establishmentId, uid);
      await upsertOnce(() =>
        memberModel(db).updateOne(
          { establishmentId: inv.establishmentId, userId: uid },
          { $set: { role: inv.role }, $setOnInsert: { addedBy: `invitation:${code}`, addedAt: now } },
          { upsert: true },
        ),
      );
      await onRoster(db, inv.establishmentId, uid, inv.role);
    }
    return { establishmentId: String(inv.establishmentId), role: inv.role, roleLabel: MEMBER_ROLE_LABELS[inv.role] };
  });
}

/** The shops a person works in (one person may serve several), with their role and the shop's grade. */
export async function myShops(deps: GradingDeps, userId: string) {
  if (!/^[0-9a-f]{24}$/.test(userId)) return [];
  // The person's index of memberships (one _id read), not every membership of the city.
  const memberships = (await shopIndexOf(deps.db, memberModel(deps.db), userId, 'user')).map((m) => ({
    ...m,
    establishmentId: new Types.ObjectId(String(m.establishmentId)),
  }));
  const shops = await shopsByIds(
    deps.db,
    memberships.map((m) => m.establishmentId),
  );
  return Promise.all(
    shops.map(async (s) => {
      const role = memberships.find((m) => m.establishmentId.equals(s._id))?.role as MemberRole;
      const grade = await currentGrade(deps, s);
      return { id: String(s._id), name: s.name, address: s.address, role, roleLabel: MEMBER_ROLE_LABELS[role], grade };
    }),
  );
}

/**
 * The owner ends a staff member's membership: it is gone at once (every shop route asks for the
 * membership on each request, so their next call is refused), and the removal is recorded. The
 * owner cannot be removed here: 主要负责人 change through the regulator.
 */
export async function removeMember(
  db: Connection,
  establishmentId: string,
  userId: string,
  removedBy: string,
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  if (!/^[0-9a-f]{24}$/.test(userId)) throw new AppError('NOT_FOUND', { message: '该成员不在本店' });
  const uid = new Types.ObjectId(userId);
  return withLock(db, `member:${String(est._id)}:${userId}`, async () => {
    const m = await memberModel(db).findOne({ establishmentId: est._id, userId: uid }).lean();
    if (!m) {
      // A repeated removal finds the record of the first.
      if (await removalModel(db).exists({ establishmentId: est._id, userId: uid }))
        return teamOf(db, establishmentId, removedBy);
      throw new AppError('NOT_FOUND', { message: '该成员不在本店' });
    }
    if (m.role === 'owner')
      throw new AppError('CONFLICT', { message: '主要负责人不能在此移出；变更主要负责人请联系监管部门' });
    await createOnce(
      removalModel(db),
      { membershipId: m._id },
      {
        membershipId: m._id,
        establishmentId: est._id,
        userId: uid,
        role: m.role,
        addedAt: m.addedAt,
        addedBy: m.addedBy,
        removedAt: now,
        removedBy,
      },
    );
    // Off the roster first: from here on the person's next request is refused.
    await offRoster(db, est._id, uid);
    await memberModel(db).deleteOne({ _id: m._id });
    return teamOf(db, establishmentId, removedBy);
  });
}

export async function teamOf(db: Connection, establishmentId: string, viewer?: string) {
  const rows = await memberModel(db)
    .find({ establishmentId: parseObjectId(establishmentId) })
    .sort({ addedAt: 1 })
    .lean();
  return rows.map((m) => ({
    userId: String(m.userId),
    role: m.role as MemberRole,
    roleLabel: MEMBER_ROLE_LABELS[m.role as MemberRole],
    addedAt: m.addedAt.toISOString(),
    isMe: String(m.userId) === viewer,
  }));
}

/**
 * Takes one use of an invitation code for a person, once: copies of one request racing here take
 * one use between them (the losers find the person among the code's users), and a person the code
 * already let in (removed and invited again) comes back without a second use.
 */
export async function takeInvitationUse(db: Connection, invitationId: Types.ObjectId, userId: string, now: Date) {
  const Invitations = invitationModel(db);
  const taken = await Invitations.updateOne(
    { _id: invitationId, revoked: false, remaining: { $gt: 0 }, expiresAt: { $gt: now }, usedBy: { $ne: userId } },
    { $inc: { remaining: -1 }, $push: { usedBy: userId } },
  );
  if (!taken.modifiedCount && !(await Invitations.exists({ _id: invitationId, usedBy: userId })))
    throw new AppError('CONFLICT', { message: '该邀请码的使用次数已用完' });
}

/** An invitation by its code and the role it grants, or null. */
export async function invitationByCode(db: Connection, code: string, role: string) {
  return invitationModel(db)
    .findOne({ code, role: role as never })
    .lean();
}

/** Gives a user a role in a shop (operator accounts bound by regulators until invitations exist). */
export async function addMember(db: Connection, id: string, userId: string, role: MemberRole, by: string) {
  const est = await findEstablishment(db, id);
  const uid = parseObjectId(userId);
  await offRoster(db, est._id, uid);
  await memberModel(db).updateOne(
    { establishmentId: est._id, userId: uid },
    { $set: { role }, $setOnInsert: { addedBy: by, addedAt: new Date() } },
    { upsert: true },
  );
  await onRoster(db, est._id, uid, role);
  return { establishmentId: String(est._id), userId, role };
}

/** An invitation of this role to the shop that still has uses and is valid past `validAfter`, or null. */
export async function usableInvitation(
  db: Connection,
  establishmentId: Types.ObjectId,
  role: MemberRole,
  validAfter: Date,
) {
  return invitationModel(db)
    .findOne({ establishmentId, role, revoked: false, remaining: { $gt: 0 }, expiresAt: { $gt: validAfter } })
    .lean();
}
