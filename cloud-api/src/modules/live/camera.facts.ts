import type { Connection, Types } from 'mongoose';
import { cameraModel } from './camera.model';

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
  return cameraModel(db)
    .find({ _id: { $in: ids } }, { name: 1, zone: 1, establishmentId: 1 })
    .lean();
}

/** One camera, or null (a malformed id is simply not a camera). */
export async function cameraById(db: Connection, id: string): Promise<CameraFact | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return cameraModel(db).findById(id, { name: 1, zone: 1, establishmentId: 1 }).lean();
}

export { CAMERA_ZONE_LABELS, type CameraZone } from './camera.model';
