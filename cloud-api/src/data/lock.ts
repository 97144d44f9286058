import { Schema, type Connection } from 'mongoose';
import { AppError } from '../http/app-error';
import { isDuplicateKey } from './create-once';
import { defineModel } from './models';

/**
 * A lock per key, held by inserting a document with that key as its _id.
 *
 * Why not a conditional update ("set claimed where unclaimed")? On MongoDB it is atomic, but the
 * embedded FerretDB (SQLite backend) reads, then writes: measured here, ten concurrent
 * `updateOne({ _id, n: 0 }, { $inc: { n: 1 } })` each reported `modifiedCount: 1` to 2–5 callers
 * while n ended at 1. An insert against a unique _id is exclusive on both, so read-check-write
 * steps that must happen once (a ladder step, a use of an invitation code, a case's response) run
 * under this lock.
 */
interface LockDoc {
  _id: string;
  at: Date;
}
const lockSchema = new Schema<LockDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'locks', versionKey: false },
);
const lockModel = defineModel<LockDoc>('Lock', lockSchema);

/** A holder that stopped (a killed process) leaves its lock; after this long it is taken over. */
const STALE_MS = 30_000;

export async function withLock<T>(
  db: Connection,
  key: string,
  fn: () => Promise<T>,
  opts: { waitMs?: number } = {},
): Promise<T> {
  const Locks = lockModel(db);
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      await Locks.create({ _id: key, at: new Date() });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await Locks.findById(key).lean();
    if (held && Date.now() - held.at.getTime() > STALE_MS) {
      await Locks.deleteOne({ _id: key, at: held.at });
      continue;
    }
    if (Date.now() > deadline) throw new AppError('CONFLICT', { message: '正在处理相同的请求，请稍后重试' });
    await new Promise((r) => setTimeout(r, delay));
  }
  try {
    return await fn();
  } finally {
    await Locks.deleteOne({ _id: key }).catch(() => undefined);
  }
}

/**
 * A lease: the lock of `withLock` without waiting. Returns a release function when this caller now
 * holds `key`, or null when someone else does. A holder that died leaves it; after `ttlMs` it is
 * taken over, so a lease must be longer than the work it guards.
 */
export async function tryLease(db: Connection, key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
  const Locks = lockModel(db);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const at = new Date();
    try {
      await Locks.create({ _id: key, at });
      return async () => {
        await Locks.deleteOne({ _id: key, at }).catch(() => undefined);
      };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await Locks.findById(key).lean();
    if (held && Date.now() - held.at.getTime() <= ttlMs) return null;
    if (held) await Locks.deleteOne({ _id: key, at: held.at });
  }
  return null;
}
