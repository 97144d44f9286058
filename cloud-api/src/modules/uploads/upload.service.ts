import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import Busboy from 'busboy';
import type { Connection, Types } from 'mongoose';
import type { Jurisdiction } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { upsertOnce } from '../../data/create-once';
import { uploadModel, type CheckState, type ImageType, type UploadCheck, type UploadDoc } from './upload.model';
import { findByIds } from '../../data/by-ids';

export { uploadModel, type CheckState, type ImageType };

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The type an image really is, from its first bytes; the file name and declared type are not trusted. */
export function sniffImage(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

/** Reads the one file of a multipart/form-data request (Taro.uploadFile sends field "file"). */
export async function readMultipartFile(
  headers: Record<string, string | string[] | undefined>,
  body: Readable,
): Promise<Buffer> {
  return (await readMultipartForm(headers, body)).file;
}

/** A multipart/form-data body: its text fields and its one file (≤ 5 MB). */
export function readMultipartForm(
  headers: Record<string, string | string[] | undefined>,
  body: Readable,
): Promise<{ fields: Record<string, string>; file: Buffer; fileField: string }> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({
        headers: headers as Busboy.BusboyConfig['headers'],
        limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10, fieldSize: 1024 },
      });
    } catch {
      reject(new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以 multipart/form-data 上传图片' }));
      return;
    }
    let file: Buffer | undefined;
    let fileField = '';
    let tooLarge = false;
    const fields: Record<string, string> = {};
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      fileField = name;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        file = Buffer.concat(chunks);
      });
    });
    bb.on('error', () => reject(new AppError('VALIDATION_FAILED', { message: '上传内容不完整' })));
    bb.on('close', () => {
      if (tooLarge)
        reject(new AppError('PAYLOAD_TOO_LARGE', { message: `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }));
      else if (!file || file.length === 0) reject(new AppError('VALIDATION_FAILED', { message: '没有收到图片' }));
      else resolve({ fields, file, fileField });
    });
    body.pipe(bb);
  });
}

/**
 * Stores an image by the hash of its content (the same photo sent twice is stored once) after
 * checking what it really is. Nothing is written for a refused file.
 */
export async function storeUpload(
  db: Connection,
  dir: string,
  bytes: Buffer,
  userId: string,
  /** A user's photo waits for its content check; a device's snapshot is not user content. */
  check: 'pending' | 'exempt' = 'pending',
  /** The shop whose record will use it, when the uploader is the shop's own (its AI box). */
  shop?: Types.ObjectId,
) {
  const type = sniffImage(bytes);
  if (!type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '只能上传 JPEG、PNG 或 WebP 图片' });
  const id = createHash('sha256').update(bytes).digest('hex');
  const folder = join(dir, id.slice(0, 2));
  const path = join(folder, id);
  if (!existsSync(path)) {
    await mkdir(folder, { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path); // a reader never sees half a file
  }
  // Two uploads of the same photo at once (a retry on a bad network) may race to insert it.
  await upsertOnce(() =>
    uploadModel(db).updateOne(
      { _id: id },
      {
        $setOnInsert: {
          type,
          size: bytes.length,
          check: { state: check },
          usesKnown: true,
          createdAt: new Date(),
        },
        $addToSet: { uploadedBy: userId, ...(shop ? { shops: String(shop) } : {}) },
      },
      { upsert: true },
    ),
  );
  return { id, type, size: bytes.length };
}

/**
 * Lets the members of a shop see these photos: a record of the shop uses them. Writers call it for
 * their own people's photos as they check them (useUploads), and for a regulator's once the record
 * that shows them to the shop is written. Each photo by _id; the same grant twice changes nothing.
 */
export async function grantUploads(db: Connection, ids: string[], shop: Types.ObjectId | string): Promise<void> {
  for (const id of new Set(ids)) await uploadModel(db).updateOne({ _id: id }, { $addToSet: { shops: String(shop) } });
}

/** Regulators of the office handling a complaint, or of the district it is about, may see its photos. */
export async function grantUploadsToPlace(
  db: Connection,
  ids: string[],
  place: { office: string; district: string | null },
): Promise<void> {
  const places = [`office:${place.office}`, ...(place.district ? [`district:${place.district}`] : [])];
  for (const id of new Set(ids))
    await uploadModel(db).updateOne({ _id: id }, { $addToSet: { places: { $each: places } } });
}

/**
 * Whether a regulator may see a photo: anyone of the whole city; others when a record of a shop in
 * their districts uses it, or a complaint their offices handle or about their districts; undefined
 * for a photo stored before photos named their uses.
 */
export function regulatorMaySee(
  doc: Pick<UploadDoc, 'shops' | 'places' | 'usesKnown'>,
  j: Jurisdiction,
  districtOf: (shop: string) => string | null,
): boolean | undefined {
  if (j.city) return true;
  if (!doc.usesKnown) return undefined;
  const places = new Set(doc.places ?? []);
  return (
    (doc.shops ?? []).some((s) => j.districts.includes(districtOf(s) ?? '')) ||
    j.offices.some((o) => places.has(`office:${o}`)) ||
    j.districts.some((d) => places.has(`district:${d}`))
  );
}

/** The photos must exist; the shop's members may then see them (a record of the shop uses them). */
export async function useUploads(db: Connection, ids: string[], path: string, shop: Types.ObjectId | string) {
  await assertUploadsExist(db, ids, path);
  await grantUploads(db, ids, shop);
}

/**
 * Whether a member of these shops may see the photo because a record of one of them uses it:
 * known from the photo itself (undefined: a photo stored before the photos said so).
 */
export function usedByShops(doc: Pick<UploadDoc, 'shops' | 'usesKnown'>, shops: Types.ObjectId[]): boolean | undefined {
  if (!doc.usesKnown) return undefined;
  const mine = new Set(shops.map(String));
  return (doc.shops ?? []).some((s) => mine.has(s));
}

export async function assertUploadsExist(db: Connection, ids: string[], path: string): Promise<void> {
  if (!ids.length) return;
  const unique = [...new Set(ids)];
  const found = (await findByIds(uploadModel(db), unique, { _id: 1 })).length;
  if (found !== unique.length) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path, message: '照片未上传成功，请重新上传' }] });
  }
}

export async function openUpload(db: Connection, dir: string, id: string) {
  const doc = await uploadModel(db).findById(id).lean();
  const path = join(dir, id.slice(0, 2), id);
  if (!doc || !existsSync(path)) throw new AppError('NOT_FOUND', { message: '图片不存在' });
  return { doc, stream: createReadStream(path) };
}

/** The content-check state of a photo (undefined: stored before checks existed). */
export async function uploadCheckState(db: Connection, id: string): Promise<CheckState | undefined | null> {
  const doc = await uploadModel(db).findById(id, { check: 1 }).lean();
  if (!doc) return null;
  return doc.check?.state;
}

/**
 * Moves a photo's check to `check`, unless it is already in one of `unless` (a verdict is never
 * replaced by "pending"). Resolves whether it changed.
 */
export async function setUploadCheck(
  db: Connection,
  id: string,
  check: UploadCheck,
  unless: readonly CheckState[] = [],
): Promise<boolean> {
  const filter: Record<string, unknown> = { _id: id };
  if (unless.length) filter['check.state'] = { $nin: [...unless] };
  const res = await uploadModel(db).updateOne(filter, { $set: { check } });
  return res.modifiedCount > 0;
}
