import { createHash, randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { liveRule } from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import {
  CAMERA_ZONE_LABELS,
  cameraModel,
  cameraViewModel,
  recordingModel,
  type CameraDoc,
  type CameraZone,
} from './camera.model';
import { resolveAlerts } from './camera-health.service';
import { shopChanged } from '../../events/shop-events';
import { isCommitteeMember } from '../members/committee.facts';
import { findByIdWhere } from '../../data/by-ids';
import { shopDocs } from '../../data/shop-index';
import { coversDistrict } from '../regulators/jurisdiction';

const newStreamKey = () => randomBytes(18).toString('base64url');

export function cameraView(c: CameraDoc, withKey = false) {
  return {
    id: String(c._id),
    establishmentId: String(c.establishmentId),
    name: c.name,
    zone: c.zone,
    zoneLabel: CAMERA_ZONE_LABELS[c.zone],
    online: c.online,
    lastSeenAt: c.lastSeenAt ? c.lastSeenAt.toISOString() : null,
    ...(withKey ? { streamKey: c.streamKey, publishPath: `live/cam_${String(c._id)}?key=${c.streamKey}` } : {}),
  };
}

export async function addCamera(db: Connection, establishmentId: string, input: { name: string; zone: CameraZone }) {
  const est = await findEstablishment(db, establishmentId);
  const doc = await cameraModel(db).create({
    ...input,
    establishmentId: est._id,
    streamKey: newStreamKey(),
    online: false,
    lastSeenAt: null,
    createdAt: new Date(),
  });
  await shopChanged(db, String(est._id), 'cameras');
  return cameraView(doc.toObject(), true);
}

export async function rotateStreamKey(db: Connection, cameraId: string) {
  const doc = await cameraModel(db)
    .findOneAndUpdate({ _id: parseObjectId(cameraId) }, { $set: { streamKey: newStreamKey() } }, { new: true })
    .lean();
  if (!doc) throw new AppError('NOT_FOUND', { message: '摄像头不存在' });
  return cameraView(doc, true);
}

export async function camerasOf(db: Connection, establishmentId: string, withKeys = false) {
  // The shop's index of cameras (one _id read), then its few cameras by _id.
  const rows = await shopDocs(db, cameraModel(db), parseObjectId(establishmentId), { by: 'zone', limit: 100 });
  rows.sort((a, b) => a.zone.localeCompare(b.zone) || a.name.localeCompare(b.name));
  return rows.map((c) => cameraView(c, withKeys));
}

/** nginx's on_publish: may this key publish as this camera? Marks the camera online when it may. */
export async function authorizePublish(db: Connection, name: string, key: string): Promise<boolean> {
  const m = /^cam_([0-9a-f]{24})$/.exec(name);
  if (!m?.[1] || !key) return false;
  const cam = await cameraModel(db).findById(m[1]).lean();
  const a = Buffer.from(cam?.streamKey ?? '');
  const b = Buffer.from(key);
  if (!cam || a.length !== b.length || !a.equals(b)) return false;
  const now = new Date();
  await cameraModel(db).updateOne({ _id: cam._id }, { $set: { online: true, lastSeenAt: now } });
  await resolveAlerts(db, cam._id, now);
  return true;
}

/**
 * nginx's on_update, every heartbeat while a camera publishes: refreshes its last-seen time. A key
 * rotated since the camera connected is refused, which makes nginx drop the stream.
 */
export async function publishHeartbeat(db: Connection, name: string, key: string): Promise<boolean> {
  const m = /^cam_([0-9a-f]{24})$/.exec(name);
  if (!m?.[1]) return false;
  const cam = await cameraModel(db).findById(m[1]).lean();
  if (!cam) return false;
  if (key && key !== cam.streamKey) return false;
  const now = new Date();
  await cameraModel(db).updateOne({ _id: cam._id }, { $set: { online: true, lastSeenAt: now } });
  if (!cam.online) await resolveAlerts(db, cam._id, now);
  return true;
}

export async function publishDone(db: Connection, name: string): Promise<void> {
  const m = /^cam_([0-9a-f]{24})$/.exec(name);
  if (m?.[1])
    await cameraModel(db).updateOne(
      { _id: new Types.ObjectId(m[1]) },
      { $set: { online: false, lastSeenAt: new Date() } },
    );
}

/** A short-lived HLS address nginx's secure_link accepts: /hls/<expires>/<md5>/cam_<id>/index.m3u8. */
export function signedHlsUrl(media: Config['media'], cameraId: string, now = new Date()) {
  const expires = Math.floor(now.getTime() / 1000) + media.urlTtlSeconds;
  const stream = `cam_${cameraId}`;
  const sig = createHash('md5').update(`${expires}${stream} ${media.secret}`).digest('base64url');
  return {
    url: `${media.publicUrl}/hls/${expires}/${sig}/${stream}/index.m3u8`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/**
 * The access policy of a live stream. Ordinary shops: anyone, during opening hours. School
 * canteens: only that school's parents' committee (revocation takes effect now) and regulators.
 * Each granted view is logged.
 */
export async function playableUrl(
  db: Connection,
  media: Config['media'],
  cameraId: string,
  caller: Caller,
  now = new Date(),
) {
  const cam = await cameraModel(db).findById(parseObjectId(cameraId)).lean();
  if (!cam) throw new AppError('NOT_FOUND', { message: '摄像头不存在' });
  const est = await findEstablishment(db, String(cam.establishmentId));
  // A regulator of the shop's district watches at any hour (a school canteen's too), as a view.
  const regulator = !!caller.regulator && coversDistrict(caller.regulator.jurisdiction, est.district);
  const rule = liveRule(est, now);
  if (rule.committeeOnly && !regulator) {
    if (!(await isCommitteeMember(db, est._id, caller.userId)))
      throw new AppError('FORBIDDEN', { message: '学校食堂直播仅向本校家委会成员开放' });
  }
  if (rule.resting && !regulator) {
    throw new AppError('FORBIDDEN', { message: `当前不在营业时间（${est.openingHours}），后厨直播暂停` });
  }
  if (!cam.online) throw new AppError('CONFLICT', { message: '摄像头当前离线，请稍后再看' });
  return loggedView(db, media, cam, caller, now, rule.committeeOnly ? `家委会 ${caller.userId.slice(-6)}` : null);
}

/** Every view is logged (who, when, which camera), then answered with a signed, short-lived address. */
async function loggedView(
  db: Connection,
  media: Config['media'],
  cam: { _id: Types.ObjectId; establishmentId: Types.ObjectId },
  caller: Caller,
  now: Date,
  watermark: string | null,
) {
  await cameraViewModel(db).create({
    cameraId: cam._id,
    establishmentId: cam.establishmentId,
    userId: caller.userId,
    roles: caller.roles,
    at: now,
  });
  const cameraId = String(cam._id);
  return { cameraId, ...signedHlsUrl(media, cameraId, now), watermark };
}

/**
 * A shop's own staff watching their own kitchen: any member, at any hour, a school canteen's
 * included (its committee-only rule is about outsiders). The camera must be the shop's; each
 * view is logged like any other, and a school's stream carries the viewer's mark.
 */
export async function ownKitchenUrl(
  db: Connection,
  media: Config['media'],
  establishmentId: string,
  cameraId: string,
  caller: Caller,
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  const cam = await findByIdWhere(cameraModel(db), parseObjectId(cameraId), { establishmentId: est._id });
  if (!cam) throw new AppError('NOT_FOUND', { message: '摄像头不存在' });
  if (!cam.online) throw new AppError('CONFLICT', { message: '摄像头当前离线，请检查电源与网络' });
  return loggedView(
    db,
    media,
    cam,
    caller,
    now,
    liveRule(est, now).committeeOnly ? `本店 ${caller.userId.slice(-6)}` : null,
  );
}

const RECORDING = /^(cam_([0-9a-f]{24})-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.flv)$/;

/** nginx's on_record_done: indexes one closed recording file (its name carries camera and UTC start). */
export async function recordingDone(db: Connection, path: string, now = new Date()): Promise<boolean> {
  const file = path.split('/').pop() ?? '';
  const m = RECORDING.exec(file);
  if (!m) return false;
  const [, name, id, y, mo, d, h, mi, se] = m as unknown as string[];
  const cam = await cameraModel(db).findById(id).lean();
  if (!cam) return false;
  const startedAt = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!));
  await recordingModel(db).updateOne(
    { _id: name },
    { $setOnInsert: { cameraId: cam._id, establishmentId: cam.establishmentId, startedAt, endedAt: now } },
    { upsert: true },
  );
  return true;
}

/** A camera's recordings within the retention, newest first, each on a short-lived signed address. */
/** A short-lived address nginx's secure_link accepts for one recording file: /rec/<expires>/<md5>/<file>. */
export function signedRecordingUrl(media: Config['media'], file: string, now = new Date()) {
  const expires = Math.floor(now.getTime() / 1000) + media.urlTtlSeconds;
  const sig = createHash('md5').update(`${expires}${file} ${media.secret}`).digest('base64url');
  return `${media.publicUrl}/rec/${expires}/${sig}/${file}`;
}

export async function recordingsOf(db: Connection, media: Config['media'], cameraId: string, now = new Date()) {
  const since = new Date(now.getTime() - media.retentionDays * 86_400_000);
  const rows = await recordingModel(db)
    .find({ cameraId: parseObjectId(cameraId), startedAt: { $gte: since } })
    .sort({ startedAt: -1 })
    .limit(2000)
    .lean();
  return rows.map((r) => ({
    file: r._id,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt.toISOString(),
    url: signedRecordingUrl(media, r._id, now),
  }));
}

/**
 * The recording that holds each moment of a camera (the clip behind an AI snapshot), with where
 * in the file it is. Keyed by `${cameraId}@${ISO time}`.
 */
export async function recordingsAt(
  db: Connection,
  media: Config['media'],
  moments: { cameraId: Types.ObjectId; at: Date }[],
  now = new Date(),
) {
  const found = new Map<string, { file: string; url: string; offsetSeconds: number }>();
  if (!moments.length) return found;
  const times = moments.map((m) => m.at.getTime());
  const rows = await recordingModel(db)
    .find({
      cameraId: { $in: moments.map((m) => m.cameraId) },
      startedAt: { $lte: new Date(Math.max(...times)) },
      endedAt: { $gte: new Date(Math.min(...times)) },
    })
    .lean();
  for (const m of moments) {
    const r = rows.find((x) => String(x.cameraId) === String(m.cameraId) && x.startedAt <= m.at && x.endedAt >= m.at);
    if (r) {
      found.set(`${String(m.cameraId)}@${m.at.toISOString()}`, {
        file: r._id,
        url: signedRecordingUrl(media, r._id, now),
        offsetSeconds: Math.round((m.at.getTime() - r.startedAt.getTime()) / 1000),
      });
    }
  }
  return found;
}
