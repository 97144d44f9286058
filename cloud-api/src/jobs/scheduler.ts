import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Schema, type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { isDuplicateKey } from '../data/create-once';
import { tryLease } from '../data/lock';
import { defineModel } from '../data/models';

/**
 * Scheduled work, run once per interval however many API instances are up.
 *
 * Time is cut into slots aligned on the epoch (a 5-minute job's slots start at :00, :05, …), so
 * every instance computes the same slot. An instance runs a slot only after inserting the slot's
 * document into `job_runs` (its _id is job@slot, unique: exactly one insert wins on MongoDB and on
 * FerretDB alike — conditional updates would not do on FerretDB, see data/lock.ts). A lease per
 * job keeps a run that outlasts its interval from overlapping the next slot's. A winner that dies
 * mid-run loses that slot's work; every job is written to catch up at its next slot.
 */
export interface JobSpec<D> {
  name: string;
  /** How often it runs. */
  intervalMs: number;
  /** Longest a run may take before another instance may assume its holder died. */
  leaseMs: number;
  run: (deps: D, now: Date) => Promise<unknown>;
}

interface JobRunDoc {
  _id: string;
  job: string;
  slot: Date;
  instance: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: 'ran' | 'skipped_lease' | 'failed' | null;
  result: unknown;
  error: string | null;
}
const jobRunSchema = new Schema<JobRunDoc>(
  {
    _id: { type: String, required: true },
    job: { type: String, required: true },
    slot: { type: Date, required: true },
    instance: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    outcome: { type: String, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    error: { type: String, default: null },
  },
  { collection: 'job_runs', versionKey: false },
);
// The clean-up job removes old runs by slot.
jobRunSchema.index({ slot: 1 }, { name: 'slot' });
export const jobRunModel = defineModel<JobRunDoc>('JobRun', jobRunSchema);

export const slotOf = (intervalMs: number, at: number) => Math.floor(at / intervalMs) * intervalMs;

/** This process, as job_runs names it (for an operator reading who ran what). */
export const INSTANCE = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface SchedulerOptions {
  instance?: string;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told of each run this instance performed (tests count them). */
  onRun?: (job: string, slot: number) => void;
  now?: () => number;
}

/** Claims the slot and runs the job once in it; returns whether this instance ran it. */
export async function runSlot<D>(
  db: Connection,
  deps: D,
  job: JobSpec<D>,
  slot: number,
  opts: SchedulerOptions = {},
): Promise<boolean> {
  const Runs = jobRunModel(db);
  const id = `${job.name}@${new Date(slot).toISOString()}`;
  const instance = opts.instance ?? INSTANCE;
  try {
    await Runs.create({ _id: id, job: job.name, slot: new Date(slot), instance, startedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) return false; // another instance has this slot
    throw err;
  }
  const release = await tryLease(db, `job:${job.name}`, job.leaseMs);
  if (!release) {
    // The previous slot's run is still going (here or elsewhere): this slot's work waits for the next.
    await Runs.updateOne({ _id: id }, { $set: { finishedAt: new Date(), outcome: 'skipped_lease' } });
    return false;
  }
  try {
    opts.onRun?.(job.name, slot);
    const result = await job.run(deps, new Date(opts.now?.() ?? Date.now()));
    await Runs.updateOne(
      { _id: id },
      { $set: { finishedAt: new Date(), outcome: 'ran', result: result === undefined ? null : result } },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    opts.logger?.error({ err, job: job.name }, 'job failed');
    await Runs.updateOne({ _id: id }, { $set: { finishedAt: new Date(), outcome: 'failed', error: message } }).catch(
      () => undefined,
    );
  } finally {
    await release();
  }
  return true;
}

/**
 * Starts every job: each tries its current slot at once, then each next slot as it begins
 * (with a little jitter so instances do not all hit the database in the same millisecond).
 * Returns stop(), which waits for runs in progress.
 */
export function startJobs<D>(
  db: Connection,
  deps: D,
  jobs: readonly JobSpec<D>[],
  opts: SchedulerOptions = {},
): { stop: () => Promise<void> } {
  const now = opts.now ?? Date.now;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  const schedule = (job: JobSpec<D>) => {
    if (stopped) return;
    const at = now();
    const next = slotOf(job.intervalMs, at) + job.intervalMs;
    const jitter = Math.random() * Math.min(1000, job.intervalMs / 10);
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        tick(job, slotOf(job.intervalMs, now()));
      },
      next - at + jitter,
    );
    timer.unref();
    timers.add(timer);
  };
  const tick = (job: JobSpec<D>, slot: number) => {
    if (stopped) return;
    const p = runSlot(db, deps, job, slot, opts)
      .catch((err: unknown) => opts.logger?.error({ err, job: job.name }, 'job slot could not be claimed'))
      .finally(() => running.delete(p));
    running.add(p);
    schedule(job);
  };
  for (const job of jobs) tick(job, slotOf(job.intervalMs, now()));

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
