import type { Connection, Types } from 'mongoose';
import type { EstablishmentStatus } from '@ygsa/shared';
import { establishmentModel, type EstablishmentDoc } from './establishment.model';
import { findByIds } from '../../data/by-ids';

export type { EstablishmentDoc };

/** Read-only facts the establishments module states for other modules. Imports only its models. */

/** Shops' names by id, in one read. */
export async function shopNames(db: Connection, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const rows = await findByIds(establishmentModel(db), ids, { name: 1 });
  return new Map(rows.map((r) => [String(r._id), r.name]));
}

/** Shops' names and addresses by id, in one read (lists of a user's shops). */
export async function shopCards(db: Connection, ids: Types.ObjectId[]) {
  const rows = await findByIds(establishmentModel(db), ids, { name: 1, address: 1 });
  return rows.map((s) => ({ id: String(s._id), name: s.name, address: s.address }));
}

/** What a shop's line in a public list needs. */
const LIST_FIELDS = {
  code: 1,
  name: 1,
  address: 1,
  district: 1,
  businessType: 1,
  location: 1,
  grade: 1,
  licensedAt: 1,
  status: 1,
  licence: 1,
  openingHours: 1,
  updatedAt: 1,
} as const;

/** The states the public lists show: open, and suspended (its standing leads its line). */
export const LISTED_STATUSES: readonly EstablishmentStatus[] = ['open', 'suspended'];

/** Every shop (any state) with the fields a list shows: the shop directory's build, once per API start. */
export async function everyShop(db: Connection): Promise<EstablishmentDoc[]> {
  return (await establishmentModel(db).find({}, LIST_FIELDS).limit(0).lean()) as EstablishmentDoc[];
}

/** One shop (any state) with the fields a list shows; read by _id alone. */
export async function shopForLists(db: Connection, id: Types.ObjectId): Promise<EstablishmentDoc | null> {
  return (await establishmentModel(db).findById(id, LIST_FIELDS).lean()) as EstablishmentDoc | null;
}

/** One page of the shops in these states (optionally of one district), in id order, and their count. */
export async function shopsPage(
  db: Connection,
  q: { statuses: EstablishmentStatus[]; district?: string; page: number; pageSize: number },
) {
  const filter: Record<string, unknown> = { status: { $in: q.statuses } };
  if (q.district) filter.district = q.district;
  const [rows, total] = await Promise.all([
    establishmentModel(db)
      .find(filter)
      .sort({ _id: 1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    establishmentModel(db).countDocuments(filter),
  ]);
  return { rows, total };
}

/** Shops by id (any state), whole. */
export async function shopsByIds(db: Connection, ids: Types.ObjectId[]): Promise<EstablishmentDoc[]> {
  return findByIds(establishmentModel(db), ids);
}

/** The shop holding this licence number (licences are unique), or null. */
export async function shopByLicence(db: Connection, licenceNumber: string): Promise<EstablishmentDoc | null> {
  return establishmentModel(db).findOne({ 'licence.number': licenceNumber }).lean();
}

/** The shops holding these licence numbers. */
export async function shopsByLicences(db: Connection, licenceNumbers: string[]): Promise<EstablishmentDoc[]> {
  return establishmentModel(db)
    .find({ 'licence.number': { $in: licenceNumbers } })
    .lean();
}
