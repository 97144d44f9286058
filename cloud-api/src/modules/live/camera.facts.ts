import type { Connection, Types } from 'mongoose';
import { cameraAlertModel, cameraModel } from './camera.model';
import { findByIds } from '../../data/by-ids';
import { shopIndexOf } from '../../data/shop-index';

/** Read-only facts the live module states about cameras for other modules. Imports only its model. */

export interface CameraFact {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  name: string;
  zone: string;
}

/** Cameras by id, in one read. */
export async function camerasByIds(db: Connection, ids: Types.ObjectId[]): Promise<CameraFact[]> {
  if (!ids.length) return [];
  return findByIds(cameraModel(db), ids, { name: 1, zone: 1, establishmentId: 1 });
}

/** One camera, or null (a malformed id is simply not a camera). */
export async function cameraById(db: Connection, id: string): Promise<CameraFact | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return cameraModel(db).findById(id, { name: 1, zone: 1, establishmentId: 1 }).lean();
}

/** The shop's camera of this name, or null. */
export async function cameraNamed(db: Connection, establishmentId: Types.ObjectId, name: string) {
  return cameraModel(db).findOne({ establishmentId, name }).lean();
}

/** Cameras by name with their stream keys: the simulated cameras of the demo (development only). */
export async function cameraKeysByNames(db: Connection, names: string[]) {
  const rows = await cameraModel(db)
    .find({ name: { $in: names } })
    .lean();
  return rows.map((c) => ({ id: String(c._id), streamKey: c.streamKey, label: c.name }));
}

/** The shop's camera outages not yet resolved. */
export async function openAlertCount(db: Connection, establishmentId: Types.ObjectId): Promise<number> {
  // The shop's index of alerts (one _id read), not the city's alerts.
  return (await shopIndexOf(db, cameraAlertModel(db), establishmentId)).filter((a) => !a.resolvedAt).length;
}

export { CAMERA_ZONE_LABELS, type CameraZone } from './camera.model';

/** The shop a camera belongs to, or null (where a regulator's request about it may go). */
export async function shopOfCamera(db: Connection, id: string): Promise<Types.ObjectId | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return (await cameraModel(db).findById(id, { establishmentId: 1 }).lean())?.establishmentId ?? null;
}
