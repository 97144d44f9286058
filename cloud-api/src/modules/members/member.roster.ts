import type { Connection, Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import { markMigrated, migrated } from '../../data/migrations';
import { memberModel, rosterModel, type RosterDoc } from './member.model';

/**
 * The roster is a read model of the memberships, written in an order that never grants more than
 * the memberships do: a writer first takes the person off the roster, then changes the membership,
 * then (if the person is still a member) puts them back with their role. A crash in between leaves
 * them off the roster, never on it wrongly; a reader that does not find someone asks the memberships
 * and puts back what it finds.
 */
const MIGRATION = 'member-rosters';

export async function offRoster(db: Connection, shop: Types.ObjectId, user: Types.ObjectId): Promise<void> {
  await rosterModel(db).updateOne({ _id: shop }, { $unset: { [`members.${String(user)}`]: '' } });
}

export async function onRoster(db: Connection, shop: Types.ObjectId, user: Types.ObjectId, role: MemberRole) {
  await rosterModel(db).updateOne({ _id: shop }, { $set: { [`members.${String(user)}`]: role } }, { upsert: true });
}

/** The shop's roster (built from the memberships when there is none and rosters were never all built). */
export async function rosterOf(db: Connection, shop: Types.ObjectId): Promise<RosterDoc> {
  const roster = await rosterModel(db).findById(shop).lean();
  if (roster) return roster;
  if (await migrated(db, MIGRATION)) return { _id: shop, members: {} };
  const rows = await memberModel(db).find({ establishmentId: shop }, { userId: 1, role: 1 }).lean();
  const members = Object.fromEntries(rows.map((m) => [String(m.userId), m.role as MemberRole]));
  if (rows.length) {
    const $set = Object.fromEntries(Object.entries(members).map(([u, r]) => [`members.${u}`, r]));
    await rosterModel(db).updateOne({ _id: shop }, { $set }, { upsert: true });
  }
  return { _id: shop, members };
}

/** The person's role in the shop, from the roster, or else from the memberships (repairing the roster). */
export async function roleOnRoster(db: Connection, shop: Types.ObjectId, user: Types.ObjectId) {
  const listed = (await rosterOf(db, shop)).members?.[String(user)];
  if (listed) return listed;
  const m = await memberModel(db).findOne({ establishmentId: shop, userId: user }, { role: 1 }).lean();
  if (!m) return null;
  await onRoster(db, shop, user, m.role as MemberRole);
  return m.role as MemberRole;
}

/** Builds every shop's roster from the memberships: one read of them, once per database (at the API's start). */
export async function buildAllRosters(db: Connection): Promise<number> {
  if (await migrated(db, MIGRATION)) return 0;
  const byShop = new Map<string, Record<string, MemberRole>>();
  for (const m of await memberModel(db).find({}, { establishmentId: 1, userId: 1, role: 1 }).lean()) {
    const key = String(m.establishmentId);
    byShop.set(key, { ...(byShop.get(key) ?? {}), [String(m.userId)]: m.role as MemberRole });
  }
  for (const [shop, members] of byShop) {
    const $set = Object.fromEntries(Object.entries(members).map(([u, r]) => [`members.${u}`, r]));
    await rosterModel(db).updateOne({ _id: shop }, { $set }, { upsert: true });
  }
  await markMigrated(db, MIGRATION);
  return byShop.size;
}
