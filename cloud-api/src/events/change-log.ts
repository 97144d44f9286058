import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { defineModel } from '../data/models';
import { isDuplicateKey } from '../data/create-once';
import { onShopChanged, type ShopChange, type ShopChangeReason } from './shop-events';

/**
 * Shop events between API instances. Each instance keeps read models in memory (the public
 * directory, the profile cache); a write on one instance must reach the others' within a second.
 * Every local shop event is appended to `shop_changes` under the next sequence number (taken by a
 * unique insert on _id, so two writers never share one and none is skipped), and each instance reads
 * the entry after the last it has seen, by _id, a few times a second: the one read the embedded
 * database serves without scanning, and an idle poll costs one such read.
 */
interface ChangeDoc {
  /** The sequence number, zero-padded (the embedded database reads a string or ObjectId _id directly, a number by scanning). */
  _id: string;
  shopId: string | null;
  reason: string;
  trigger: string;
  origin: string;
  at: Date;
}
const changeSchema = new Schema<ChangeDoc>(
  {
    _id: { type: String, required: true },
    shopId: { type: String, default: null },
    reason: { type: String, required: true },
    trigger: { type: String, required: true },
    origin: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'shop_changes', versionKey: false },
);
export const changeLogModel = defineModel<ChangeDoc>('ShopChangeLog', changeSchema);

/** A sequence number as the entry's id: zero-padded, so ids sort as the numbers do. */
const key = (seq: number) => String(Math.max(0, seq)).padStart(15, '0');

/** Entries older than this many sequence numbers are removed (an instance that far behind refreshes everything). */
const KEEP = 10_000;

export interface ChangeFeed {
  /** The instance's name in the log (its own entries are not applied twice). */
  origin: string;
  /** Reads what other instances appended since the last read (the poll does this on its own). */
  poll(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Appends this connection's shop events to the log and applies other instances' entries with
 * `onRemote` (refresh what this instance keeps in memory; grading already ran where the write was).
 */
export async function startChangeFeed(
  db: Connection,
  onRemote: (change: ShopChange) => Promise<void> | void,
  opts: { intervalMs?: number; origin?: string } = {},
): Promise<ChangeFeed> {
  const Changes = changeLogModel(db);
  const origin = opts.origin ?? randomUUID();
  const last = await Changes.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean();
  let seen = last ? Number(last._id) : 0;
  let written = seen;
  let stopped = false;

  const unsubscribe = onShopChanged(db, async (change) => {
    for (let seq = Math.max(seen, written) + 1; ; seq += 1) {
      try {
        await Changes.create({ _id: key(seq), ...change, origin });
        written = seq;
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  });

  let polls = 0;
  const poll = async () => {
    let applied = 0;
    for (;;) {
      const next = await Changes.findById(key(seen + 1)).lean();
      if (!next) break;
      seen += 1;
      if (next.origin === origin) continue;
      await onRemote({
        shopId: next.shopId,
        reason: next.reason as ShopChangeReason,
        trigger: next.trigger,
        at: next.at,
      });
      applied += 1;
    }
    polls += 1;
    if (polls % 40 === 0) {
      // Every ten seconds or so: entries this instance never read were removed (it was paused
      // longer than the log keeps): everything in memory is refreshed, and reading resumes at the head.
      const head = await Changes.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean();
      if (head && Number(head._id) > seen + 1) {
        seen = Number(head._id);
        await onRemote({ shopId: null, reason: 'profile', trigger: 'change log gap', at: new Date() });
        applied += 1;
      }
    }
    if (polls % 1000 === 0) await Changes.deleteMany({ _id: { $lt: key(seen - KEEP) } });
    return applied;
  };

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(poll).catch(() => undefined);
  }, opts.intervalMs ?? 250);
  timer.unref();

  return {
    origin,
    poll: () => (running = running.then(poll)) as Promise<number>,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running.catch(() => undefined);
    },
  };
}
