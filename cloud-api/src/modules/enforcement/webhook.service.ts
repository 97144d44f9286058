// Camera AI boxes post capture events here. Protocol (what a box implements):
//
//   POST /api/v1/ai/captures            Content-Type: multipart/form-data
//   X-Device-Id:  the device's id (given when a regulator registers the box)
//   X-Timestamp:  Unix time in seconds when the request was made
//   X-Signature:  hex HMAC-SHA256 with the device's key over `${X-Timestamp}.` followed by the raw body
//   fields: event_id, camera_id, category, captured_at (ISO 8601 with offset), confidence (0–1);
//   file field "snapshot": the JPEG/PNG/WebP picture.
//
// Unknown device, a bad signature or a timestamp outside the replay window → 401 and nothing stored.
// The same event id from the same device is stored once (201 the first time, 200 after).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Connection } from 'mongoose';
import { CaptureFieldsSchema } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { cameraById } from '../live/camera.facts';
import { readMultipartForm, storeUpload } from '../uploads/upload.service';
import { createOnce, naturalId, upsertOnce } from '../../data/create-once';
import { withLock } from '../../data/lock';
import { applyLadder, type EnforcementDeps } from './enforcement.service';
import {
  audit,
  captureModel,
  deviceModel,
  ladderPendingModel,
  type CaptureDoc,
  type DeviceDoc,
} from './enforcement.models';

const newKey = () => randomBytes(32).toString('base64url');

export function deviceView(d: DeviceDoc, withKey = false, lastCapture: Date | null = null) {
  return {
    id: String(d._id),
    establishmentId: String(d.establishmentId),
    name: d.name,
    createdAt: d.createdAt.toISOString(),
    keyRotatedAt: d.keyRotatedAt.toISOString(),
    lastCaptureAt: lastCapture?.toISOString() ?? null,
    ...(withKey ? { key: d.key } : {}),
  };
}

export async function registerDevice(db: Connection, establishmentId: string, name: string, regulator: string) {
  const est = await findEstablishment(db, establishmentId);
  const now = new Date();
  const d = await deviceModel(db).create({
    establishmentId: est._id,
    name,
    key: newKey(),
    keyRotatedAt: now,
    createdAt: now,
  });
  await audit(db, {
    establishmentId: est._id,
    at: now,
    actor: regulator,
    role: 'regulator',
    action: 'device.registered',
    subject: { kind: 'device', id: String(d._id) },
    summary: `登记 AI 抓拍设备「${name}」`,
  });
  return deviceView(d.toObject(), true);
}

export async function rotateDeviceKey(db: Connection, id: string, regulator: string) {
  const now = new Date();
  const d = await deviceModel(db)
    .findOneAndUpdate({ _id: parseObjectId(id) }, { $set: { key: newKey(), keyRotatedAt: now } }, { new: true })
    .lean();
  if (!d) throw new AppError('NOT_FOUND', { message: '设备不存在' });
  await audit(db, {
    establishmentId: d.establishmentId,
    at: now,
    actor: regulator,
    role: 'regulator',
    action: 'device.key_rotated',
    subject: { kind: 'device', id },
    summary: `更换 AI 抓拍设备「${d.name}」的密钥`,
  });
  return deviceView(d, true);
}

export async function devicesOf(db: Connection, establishmentId: string) {
  const est = await findEstablishment(db, establishmentId);
  const rows = await deviceModel(db).find({ establishmentId: est._id }).sort({ createdAt: 1 }).lean();
  // When each box last reported (is it alive?): its newest capture.
  const last = await Promise.all(
    rows.map((d) => captureModel(db).findOne({ deviceId: d._id }, { receivedAt: 1 }).sort({ receivedAt: -1 }).lean()),
  );
  return rows.map((d, i) => deviceView(d, false, last[i]?.receivedAt ?? null));
}

/** The signature a device puts on a request (exported for devices written in JS and for tests). */
export function signCapture(key: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex');
}

const refuse = (message: string) => new AppError('UNAUTHENTICATED', { message });

/** Checks who sent the request before anything else is read or stored. */
async function authenticate(
  db: Connection,
  windowSeconds: number,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  now: Date,
) {
  const one = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : '';
  };
  const deviceId = one('x-device-id');
  const timestamp = one('x-timestamp');
  const signature = one('x-signature');
  if (!/^[0-9a-f]{24}$/.test(deviceId) || !/^\d{9,11}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw refuse('缺少或错误的设备签名头（X-Device-Id, X-Timestamp, X-Signature）');
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > windowSeconds) {
    throw refuse(`请求时间不在 ${windowSeconds} 秒的有效期内（请校准设备时钟）`);
  }
  const device = await deviceModel(db).findById(deviceId).lean();
  const expected = Buffer.from(signCapture(device?.key ?? newKey(), timestamp, raw), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (!device || !timingSafeEqual(expected, given)) throw refuse('设备签名无效');
  return device;
}

export async function receiveCapture(
  deps: EnforcementDeps & { uploadDir: string; replayWindowSeconds: number },
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  now = new Date(),
): Promise<{ status: 200 | 201; id: string; duplicate: boolean; outcome: CaptureDoc['outcome'] }> {
  const device = await authenticate(deps.db, deps.replayWindowSeconds, headers, raw, now);

  const form = await readMultipartForm(headers, Readable.from(raw));
  if (form.fileField !== 'snapshot') {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'snapshot', message: '缺少抓拍图片（snapshot）' }] });
  }
  const parsed = CaptureFieldsSchema.safeParse(form.fields);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })),
    });
  }
  const f = parsed.data;
  const capturedAt = new Date(f.captured_at);
  if (capturedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'captured_at', message: '抓拍时间晚于当前时间' }] });
  }
  if (capturedAt.getTime() < now.getTime() - 30 * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'captured_at', message: '抓拍时间早于 30 天前' }] });
  }
  const camera = await cameraById(deps.db, f.camera_id);
  if (!camera || String(camera.establishmentId) !== String(device.establishmentId)) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'camera_id', message: '摄像头不存在或不属于该设备所在门店' }],
    });
  }

  const eventKey = `${String(device._id)}:${f.event_id}`;
  const Captures = captureModel(deps.db);
  // Marked pending before it exists: if this request dies before the capture's step is recorded,
  // the ladder clock finds it here (a copy of a finished event only touches the mark).
  await upsertOnce(() =>
    ladderPendingModel(deps.db).updateOne(
      { _id: naturalId(Captures.collection.collectionName, { eventKey }) },
      { $setOnInsert: { receivedAt: now } },
      { upsert: true },
    ),
  );
  // Stored by content hash: copies of one event store one file however many race here. The shop's
  // own kitchen, taken by its box: its members see the evidence.
  const stored = await storeUpload(
    deps.db,
    deps.uploadDir,
    form.file,
    `device:${String(device._id)}`,
    'exempt',
    device.establishmentId,
  );
  // The first copy creates the capture; any other reads it (createOnce reads before it writes).
  const { created, doc: capture } = await createOnce(
    Captures,
    { eventKey },
    {
      eventKey,
      deviceId: device._id,
      establishmentId: device.establishmentId,
      cameraId: camera._id,
      category: f.category,
      capturedAt,
      confidence: f.confidence,
      snapshot: stored.id,
      receivedAt: now,
      outcome: null,
    },
  );
  if (capture.outcome) await ladderPendingModel(deps.db).deleteOne({ _id: capture._id });
  const outcome = capture.outcome ?? (await ladderOnce(deps, capture, now));
  return { status: created ? 201 : 200, id: String(capture._id), duplicate: !created, outcome };
}

/**
 * Runs the ladder for a capture exactly once however many copies of its event arrive at once: the
 * copies queue on a lock for the capture, and each finds the outcome the first one recorded. A
 * holder that died leaves an expired lock, so a retry (or the ladder clock) finishes the step.
 */
export async function ladderOnce(deps: EnforcementDeps, capture: CaptureDoc, now = new Date()) {
  // Per shop and kind: copies of one capture, and captures of one incident, take their step in turn.
  return withLock(deps.db, `ladder:${String(capture.establishmentId)}:${capture.category}`, async () => {
    const current = await captureModel(deps.db).findById(capture._id, { outcome: 1 }).lean();
    return current?.outcome ?? applyLadder(deps, capture, now);
  });
}

/**
 * Finishes captures whose ladder step never completed (the request that held it died, and the
 * box did not send the event again). Run with the ladder clock.
 */
export async function finishPendingCaptures(deps: EnforcementDeps, now = new Date()) {
  const Pending = ladderPendingModel(deps.db);
  const marks = await Pending.find({ receivedAt: { $lt: new Date(now.getTime() - 60_000) } })
    .limit(100)
    .lean();
  const stuck: CaptureDoc[] = [];
  for (const m of marks) {
    const c = await captureModel(deps.db).findById(m._id).lean<CaptureDoc>();
    // Its request died before the capture was stored (the box sends it again), or it is done.
    if (!c || c.outcome) await Pending.deleteOne({ _id: m._id });
    else stuck.push(c);
  }
  let finished = 0;
  for (const c of stuck) {
    await ladderOnce(deps, c, now).then(
      () => (finished += 1),
      () => undefined, // still held by a live request: the next run looks again
    );
  }
  return finished;
}
