// What the enforcement files share: their dependencies, the actor of an audit entry, evidence views.
import { createHash } from 'node:crypto';
import { type Connection, Types } from 'mongoose';
import { type EvidenceCapture, type Jurisdiction, NOTICE_TOPIC_LABELS, chinaDate } from '@ygsa/shared';
import { type Config } from '../../config';
import { type Caller } from '../../http/context';
import { shopNames } from '../establishments/establishment.facts';
import { CAMERA_ZONE_LABELS, type CameraZone, camerasByIds } from '../live/camera.facts';
import { captureModel } from './enforcement.models';
import { shopChanged } from '../../events/shop-events';
import { findByIds } from '../../data/by-ids';
import { nextSerial } from '../../data/serials';
import { AppError } from '../../http/app-error';
import { shopIdsInDistricts } from '../establishments/shop-directory';

export type EnforcementDeps = {
  db: Connection;
  config: Pick<Config, 'grading' | 'risk' | 'ladder' | 'enforcementOffice'>;
};
export type Actor = { id: string; role: string };
export const SYSTEM: Actor = { id: 'system', role: 'system' };
export const actorOf = (caller: Caller, role?: string): Actor => ({
  id: caller.userId,
  role: role ?? (caller.roles.includes('regulator') ? 'regulator' : (caller.roles[0] ?? 'user')),
});

export const gradingDeps = (deps: EnforcementDeps) => ({
  db: deps.db,
  grading: deps.config.grading,
  risk: deps.config.risk,
});
/** A notice's or case's number: the prefix, the date and the day's sequence (data/serials.ts). */
export const serial = (db: Connection, prefix: string, now: Date) => nextSerial(db, prefix, now, '-');
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const topicLabel = (topic: string) => NOTICE_TOPIC_LABELS[topic] ?? topic;
/** The end of a China calendar day has passed. */
export const pastDay = (date: string, now: Date) => chinaDate(now) > date;

export async function regrade(deps: EnforcementDeps, establishmentId: Types.ObjectId, why: string, now: Date) {
  await shopChanged(deps.db, String(establishmentId), 'enforcement', { trigger: why, at: now });
}

export type Evidence = Map<string, EvidenceCapture>;

/** The captures behind any number of steps, in one read (lists show many steps at once). */
export async function loadEvidence(db: Connection, ids: Types.ObjectId[]): Promise<Evidence> {
  if (!ids.length) return new Map();
  const rows = await findByIds(captureModel(db), ids);
  const cams = new Map(
    (
      await camerasByIds(
        db,
        rows.map((r) => r.cameraId),
      )
    ).map((c) => [String(c._id), c]),
  );
  return new Map(
    rows.map((r) => {
      const cam = cams.get(String(r.cameraId));
      return [
        String(r._id),
        {
          id: String(r._id),
          category: r.category,
          categoryLabel: topicLabel(r.category),
          cameraName: cam?.name ?? '已删除的摄像头',
          zoneLabel: cam ? CAMERA_ZONE_LABELS[cam.zone as CameraZone] : '',
          capturedAt: r.capturedAt.toISOString(),
          confidence: r.confidence,
          snapshot: r.snapshot,
        },
      ];
    }),
  );
}

export const pick = (ev: Evidence, ids: Types.ObjectId[]) =>
  ids
    .map((id) => ev.get(String(id)))
    .filter((x): x is EvidenceCapture => !!x)
    .sort((x, y) => x.capturedAt.localeCompare(y.capturedAt));

export async function evidenceOf(db: Connection, ids: Types.ObjectId[]): Promise<EvidenceCapture[]> {
  return pick(await loadEvidence(db, ids), ids);
}

export { shopNames };

/**
 * The shops a regulator's list may show: null for the whole city, else the ids of the shops in
 * their districts. A list about one shop outside them is refused.
 */
export async function listScope(
  db: Connection,
  within: Jurisdiction | undefined,
  establishmentId?: string,
): Promise<Set<string> | null> {
  if (!within || within.city) return null;
  const mine = await shopIdsInDistricts(db, within.districts);
  if (establishmentId && !mine.has(establishmentId)) throw new AppError('FORBIDDEN', { message: '不在您的辖区范围内' });
  return mine;
}
