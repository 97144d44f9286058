import { randomInt } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import {
  CODE_ALPHABET,
  REGULATOR_ROLE_LABELS,
  jurisdictionLabel,
  type Jurisdiction,
  type RegulatorAccount,
  type RegulatorBindResponse,
  type RegulatorInvitation,
  type RegulatorInviteInput,
} from '@ygsa/shared';
import { z } from 'zod';
import { AppError } from '../../http/app-error';
import type { RegulatorScope } from '../../http/context';
import type { TokenSigner } from '../../http/tokens';
import { isDuplicateKey } from '../../data/create-once';
import { withLock } from '../../data/lock';
import { userRoles, setUserRoles } from '../auth/auth.service';
import {
  regulatorAccountModel,
  regulatorInvitationModel,
  type RegulatorAccountDoc,
  type RegulatorInvitationDoc,
} from './regulator.models';

const DAY = 86_400_000;

/** 10 characters without look-alikes: read out on the phone and typed by hand. */
function newCode(): string {
  let code = '';
  for (let i = 0; i < 10; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

function jurisdictionOf(a: Pick<RegulatorAccountDoc, 'role' | 'districts' | 'offices'>): Jurisdiction {
  return { city: a.role === 'city_admin', districts: a.districts, offices: a.offices };
}

export function accountView(a: RegulatorAccountDoc): RegulatorAccount {
  const jurisdiction = jurisdictionOf(a);
  return {
    userId: String(a._id),
    name: a.name,
    role: a.role,
    roleLabel: REGULATOR_ROLE_LABELS[a.role],
    jurisdiction,
    jurisdictionLabel: jurisdictionLabel(jurisdiction),
    certificateNo: a.certificateNo ?? null,
    active: a.active,
    createdAt: a.createdAt.toISOString(),
  };
}

function invitationView(i: RegulatorInvitationDoc): RegulatorInvitation {
  return {
    code: i._id,
    role: i.role,
    roleLabel: REGULATOR_ROLE_LABELS[i.role],
    name: i.name,
    jurisdictionLabel: jurisdictionLabel(jurisdictionOf(i)),
    expiresAt: i.expiresAt.toISOString(),
    usedAt: i.usedAt?.toISOString() ?? null,
    revoked: i.revoked,
  };
}

/** The caller's active account as a scope (read on every regulator request), or null. */
export async function regulatorScopeOf(db: Connection, userId: string): Promise<RegulatorScope | null> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return null;
  const a = await regulatorAccountModel(db).findById(userId).lean();
  if (!a?.active) return null;
  return { userId, name: a.name, role: a.role, jurisdiction: jurisdictionOf(a) };
}

export async function myAccount(db: Connection, scope: RegulatorScope): Promise<RegulatorAccount> {
  const a = await regulatorAccountModel(db).findById(scope.userId).lean();
  if (!a) throw new AppError('NOT_FOUND', { message: '监管账号不存在' });
  return accountView(a);
}

/** Stores a new invitation under a fresh code (a code that happened to exist is drawn again). */
async function storeInvitation(
  db: Connection,
  fields: Omit<RegulatorInvitationDoc, '_id' | 'usedBy' | 'usedAt' | 'revoked'>,
): Promise<RegulatorInvitationDoc> {
  for (let attempt = 0; ; attempt += 1) {
    const doc = { _id: newCode(), ...fields, usedBy: null, usedAt: null, revoked: false };
    try {
      await regulatorInvitationModel(db).create(doc);
      return doc;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
    }
  }
}

/** An administrator invites a colleague: a one-use code with the role and jurisdiction it grants. */
export async function invite(
  db: Connection,
  scope: RegulatorScope,
  input: RegulatorInviteInput,
  now = new Date(),
): Promise<RegulatorInvitation> {
  const doc = await storeInvitation(db, {
    role: input.role,
    name: input.name,
    districts: input.role === 'city_admin' ? [] : input.districts,
    offices: input.role === 'city_admin' ? [] : input.offices,
    certificateNo: input.certificateNo ?? null,
    bootstrap: false,
    createdBy: scope.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.validDays * DAY),
  });
  return invitationView(doc);
}

export const BootstrapOptionsSchema = z
  .object({
    name: z.string().trim().min(2, '姓名至少 2 个字').max(20).default('系统管理员'),
    validHours: z.number().int().min(1).max(168).default(24),
  })
  .strict();

/**
 * The first administrator's one-time code (a city administrator's invitation made by the system,
 * never a token): `npm run admin -- bootstrap` in production, `npm start` for the demo.
 */
export async function createBootstrapCode(
  db: Connection,
  options: z.input<typeof BootstrapOptionsSchema> = {},
  now = new Date(),
): Promise<RegulatorInvitation> {
  const o = BootstrapOptionsSchema.parse(options);
  const doc = await storeInvitation(db, {
    role: 'city_admin',
    name: o.name,
    districts: [],
    offices: [],
    certificateNo: null,
    bootstrap: true,
    createdBy: 'bootstrap',
    createdAt: now,
    expiresAt: new Date(now.getTime() + o.validHours * 3_600_000),
  });
  return invitationView(doc);
}

/**
 * Binds the caller (signed in to the regulators' app) to the account an invitation grants: the
 * code is used once; a retry by the same person answers the same account. The answer carries a new
 * token with the regulator role.
 */
export async function bind(
  deps: { db: Connection; tokens: TokenSigner },
  userId: string,
  code: string,
  now = new Date(),
): Promise<RegulatorBindResponse> {
  const { db } = deps;
  const roles = await userRoles(db, userId, 'regulator');
  if (!roles) throw new AppError('FORBIDDEN', { message: '请在监管端小程序中登录后再绑定' });
  return withLock(db, `regulator-invitation:${code}`, async () => {
    const inv = await regulatorInvitationModel(db).findById(code).lean();
    if (!inv || inv.revoked) throw new AppError('NOT_FOUND', { message: '邀请码无效，请核对后重新输入' });
    const retry = inv.usedBy === userId;
    if (inv.usedBy && !retry) throw new AppError('CONFLICT', { message: '该邀请码已被使用' });
    if (!retry && inv.expiresAt <= now)
      throw new AppError('CONFLICT', { message: '该邀请码已过期，请联系管理员重新发放' });
    const Accounts = regulatorAccountModel(db);
    const existing = await Accounts.findById(userId).lean();
    if (existing?.active && existing.invitation !== code)
      throw new AppError('CONFLICT', { message: '您已绑定监管账号' });
    if (!retry) {
      const fields = {
        name: inv.name,
        role: inv.role,
        districts: inv.districts,
        offices: inv.offices,
        certificateNo: inv.certificateNo,
        active: true,
        invitation: code,
        updatedAt: now,
      };
      await Accounts.updateOne(
        { _id: new Types.ObjectId(userId) },
        { $set: fields, $setOnInsert: { createdAt: now } },
        { upsert: true },
      );
      await regulatorInvitationModel(db).updateOne({ _id: code }, { $set: { usedBy: userId, usedAt: now } });
    }
    await setUserRoles(db, userId, ['regulator']);
    const account = (await Accounts.findById(userId).lean()) as RegulatorAccountDoc;
    const { token, expiresAt } = deps.tokens.sign(userId, ['regulator']);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      user: {
        id: userId,
        app: 'regulator',
        roles: ['regulator'],
        createdAt: now.toISOString(),
        lastLoginAt: now.toISOString(),
      },
      account: accountView(account),
    };
  });
}

export async function listAccounts(db: Connection): Promise<RegulatorAccount[]> {
  const rows = await regulatorAccountModel(db).find({}).sort({ createdAt: -1 }).limit(500).lean();
  return rows.map(accountView);
}

/**
 * The active inspectors whose districts meet `districts` (every district when empty), with the
 * shops they declared a conflict with: who a 双随机 draw may send. (A city's staff: the first 500
 * accounts, as the administrators' list reads them.)
 */
export async function inspectorsFor(db: Connection, districts: readonly string[]) {
  const wanted = districts.length ? new Set(districts) : null;
  const rows = await regulatorAccountModel(db).find({}).sort({ createdAt: -1 }).limit(500).lean();
  return rows
    .filter((a) => a.active && a.role === 'inspector' && (!wanted || a.districts.some((d) => wanted.has(d))))
    .map((a) => ({
      id: String(a._id),
      name: a.name,
      districts: [...a.districts],
      conflicts: [...(a.conflicts ?? [])],
    }));
}

/** The active inspectors who share a district with the caller (everyone's for an administrator): a second inspector to pick. */
export async function colleagues(db: Connection, scope: RegulatorScope) {
  const all = await inspectorsFor(db, scope.jurisdiction.city ? [] : scope.jurisdiction.districts);
  const cards = await Promise.all(all.filter((a) => a.id !== scope.userId).map((a) => inspectorCard(db, a.id)));
  return cards.filter((c): c is NonNullable<typeof c> => !!c && !!c.certificateNo);
}

/** An active inspector's card (name, 执法证号, districts), or null: who may inspect beside another. */
export async function inspectorCard(db: Connection, userId: string) {
  if (!Types.ObjectId.isValid(userId)) return null;
  const a = await regulatorAccountModel(db).findById(userId).lean();
  if (!a || !a.active || (a.role !== 'inspector' && a.role !== 'city_admin')) return null;
  return {
    userId: String(a._id),
    name: a.name,
    certificateNo: a.certificateNo ?? '',
    districts: a.districts,
    city: a.role === 'city_admin',
  };
}

/** An inspector declares a conflict of interest with a shop; answers every shop they declared. */
export async function declareConflict(db: Connection, userId: string, shopId: string): Promise<string[]> {
  const Accounts = regulatorAccountModel(db);
  await Accounts.updateOne({ _id: userId }, { $addToSet: { conflicts: shopId } });
  return (await Accounts.findById(userId).lean())?.conflicts ?? [];
}

export async function listInvitations(db: Connection): Promise<RegulatorInvitation[]> {
  const rows = await regulatorInvitationModel(db).find({}).sort({ createdAt: -1 }).limit(200).lean();
  return rows.filter((i) => !i.bootstrap).map(invitationView);
}

/** An administrator changes a colleague's jurisdiction or certificate, or ends the account. */
export async function updateAccount(
  db: Connection,
  scope: RegulatorScope,
  userId: string,
  change: { districts?: string[]; offices?: string[]; certificateNo?: string | null; active?: boolean },
  now = new Date(),
): Promise<RegulatorAccount> {
  if (!/^[0-9a-f]{24}$/.test(userId)) throw new AppError('NOT_FOUND', { message: '监管账号不存在' });
  if (userId === scope.userId && change.active === false)
    throw new AppError('CONFLICT', { message: '不能停用自己的账号' });
  const Accounts = regulatorAccountModel(db);
  const before = await Accounts.findById(userId).lean();
  if (!before) throw new AppError('NOT_FOUND', { message: '监管账号不存在' });
  await Accounts.updateOne({ _id: before._id }, { $set: { ...change, updatedAt: now } });
  // An ended account's next request is refused (the account is read on every request); its next
  // sign-in is as someone to be invited again.
  if (change.active !== undefined) await setUserRoles(db, userId, change.active ? ['regulator'] : ['applicant']);
  return accountView((await Accounts.findById(userId).lean()) as RegulatorAccountDoc);
}

/** Makes sure a user holds this account (the demo data's and the tests' administrator). */
export async function ensureRegulatorAccount(
  db: Connection,
  userId: string,
  account: { name: string; role: RegulatorAccountDoc['role']; districts?: string[]; offices?: string[] },
  now = new Date(),
): Promise<void> {
  await regulatorAccountModel(db).updateOne(
    { _id: new Types.ObjectId(userId) },
    {
      $set: {
        name: account.name,
        role: account.role,
        districts: account.districts ?? [],
        offices: account.offices ?? [],
        active: true,
        updatedAt: now,
      },
      $setOnInsert: { certificateNo: null, invitation: 'seed', createdAt: now },
    },
    { upsert: true },
  );
}

/** The bootstrap code still waiting to be used, if any (development: npm start prints it again). */
export async function waitingBootstrapCode(db: Connection, now = new Date()): Promise<RegulatorInvitation | null> {
  const rows = await regulatorInvitationModel(db).find({ bootstrap: true, usedBy: null, revoked: false }).lean();
  const live = rows.filter((i) => i.expiresAt > now).sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime());
  return live[0] ? invitationView(live[0]) : null;
}
