import { Types } from 'mongoose';
import pino from 'pino';
import { chinaDate } from '@ygsa/shared';
import { connectDatabase } from '../src/db';
import { createWeChatClient } from '../src/integrations/wechat.client';
import { refreshDirectory } from '../src/modules/establishments/shop-directory';
import { declaredJobs, type JobDeps } from '../src/jobs/jobs';
import { jobRunModel, runSlot, slotOf, startJobs, type JobSpec } from '../src/jobs/scheduler';
import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { gradeHistoryModel } from '../src/modules/grading/grade-history.model';
import { startTestApi, type TestApi } from './helpers';
import { createShop, inspect } from './shops';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduled jobs', () => {
  let api: TestApi;
  beforeAll(async () => {
    // Every job every 0.4 s (camera health too), so a second shows several slots.
    api = await startTestApi({
      JOB_INTERVALS: JSON.stringify({
        selfCheckReminders: 0.4,
        ladderClock: 0.4,
        mediaCheckRetry: 0.4,
        gradeRefresh: 0.4,
        jobRunsCleanup: 0.4,
      }),
      CAMERA_HEALTH_INTERVAL_SECONDS: '1',
    });
  });
  afterAll(() => api.close());

  it('two API instances on one database run each declared job once per interval', async () => {
    const second = await connectDatabase(api.config.mongodb);
    const logger = pino({ level: 'silent' });
    const jobs = declaredJobs(api.config).map((j) => ({ ...j, intervalMs: j.name === 'camera-health' ? 1000 : 400 }));
    const deps = (db: typeof api.db): JobDeps => ({
      db,
      wechat: createWeChatClient(api.config.wechat),
      config: api.config,
      logger,
    });
    const runs: { instance: string; job: string; slot: number }[] = [];
    const started = Date.now();
    const a = startJobs(api.db, deps(api.db), jobs, {
      instance: 'a',
      onRun: (job, slot) => runs.push({ instance: 'a', job, slot }),
    });
    const b = startJobs(second, deps(second), jobs, {
      instance: 'b',
      onRun: (job, slot) => runs.push({ instance: 'b', job, slot }),
    });
    await sleep(2200);
    await Promise.all([a.stop(), b.stop()]);
    const elapsed = Date.now() - started;
    await second.close();

    for (const job of jobs) {
      const mine = runs.filter((r) => r.job === job.name);
      const slots = new Set(mine.map((r) => r.slot));
      // Each slot ran once, by one instance…
      expect([job.name, mine.length]).toEqual([job.name, slots.size]);
      // …and the job did run about once per interval: never twice per slot, never skipped entirely.
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThanOrEqual(Math.ceil(elapsed / job.intervalMs) + 1);
      // Each run is recorded with who ran it and how it ended.
      const recorded = await jobRunModel(api.db).find({ job: job.name }).lean();
      const ran = recorded.filter((r) => r.outcome === 'ran');
      expect([job.name, ran.length]).toEqual([job.name, mine.length]);
    }
    // Both instances took part (the work is shared, not pinned to one).
    expect(new Set(runs.map((r) => r.instance)).size).toBe(2);
  });

  it('a run that outlasts its interval is not overlapped by the next slot, here or on another instance', async () => {
    let inFlight = 0;
    let most = 0;
    let runs = 0;
    const slow: JobSpec<null> = {
      name: `slow-${new Types.ObjectId().toHexString()}`,
      intervalMs: 100,
      leaseMs: 10_000,
      run: async () => {
        inFlight += 1;
        runs += 1;
        most = Math.max(most, inFlight);
        await sleep(350);
        inFlight -= 1;
      },
    };
    const second = await connectDatabase(api.config.mongodb);
    const a = startJobs(api.db, null, [slow], { instance: 'a' });
    const b = startJobs(second, null, [slow], { instance: 'b' });
    await sleep(1200);
    await Promise.all([a.stop(), b.stop()]);
    await second.close();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    const skipped = await jobRunModel(api.db).countDocuments({ job: slow.name, outcome: 'skipped_lease' });
    expect(skipped).toBeGreaterThan(0);
  });

  it('a slot claimed by one instance is not run by another, even when asked at the same moment', async () => {
    let count = 0;
    const job: JobSpec<null> = {
      name: `once-${new Types.ObjectId().toHexString()}`,
      intervalMs: 60_000,
      leaseMs: 60_000,
      run: async () => {
        count += 1;
      },
    };
    const slot = slotOf(job.intervalMs, Date.now());
    const ran = await Promise.all(Array.from({ length: 8 }, () => runSlot(api.db, null, job, slot)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(count).toBe(1);
  });

  it('a failing run is recorded as failed and the next slot runs again', async () => {
    let calls = 0;
    const job: JobSpec<null> = {
      name: `flaky-${new Types.ObjectId().toHexString()}`,
      intervalMs: 60_000,
      leaseMs: 60_000,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database went away');
      },
    };
    const slot = slotOf(job.intervalMs, Date.now());
    await runSlot(api.db, null, job, slot);
    await runSlot(api.db, null, job, slot + job.intervalMs);
    const rows = await jobRunModel(api.db).find({ job: job.name }).sort({ slot: 1 }).lean();
    expect(rows.map((r) => [r.outcome, r.error])).toEqual([
      ['failed', 'database went away'],
      ['ran', null],
    ]);
  });
});

describe('grades: reads never write; the refresh job keeps them current', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('a shop whose stored grade is from yesterday: the public read answers today’s grade and stores nothing; the job stores it', async () => {
    const shop = await createShop(api, { name: '隔夜评级餐馆' });
    await inspect(api, shop.id, chinaDate(new Date(Date.now() - 40 * 86_400_000)), 95);
    const Shops = establishmentModel(api.db);
    const stored = (await Shops.findById(shop.id).lean())!;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await Shops.updateOne({ _id: stored._id }, { $set: { 'grade.computedAt': yesterday } });
    // The directory holds the stored grade as it was written yesterday (this write bypassed the events).
    await refreshDirectory(api.db, shop.id);
    const historyBefore = await gradeHistoryModel(api.db).countDocuments({ establishmentId: stored._id });

    const res = await api.http.get(`/api/v1/public/shops/${shop.id}`).expect(200);
    expect(res.body.grade.grade).toBe(stored.grade.grade);
    expect(chinaDate(new Date(res.body.grade.computedAt))).toBe(chinaDate(new Date()));
    const afterRead = (await Shops.findById(shop.id).lean())!;
    expect(afterRead.grade.computedAt).toBe(yesterday);

    const refresh = declaredJobs(api.config).find((j) => j.name === 'grade-refresh')!;
    const deps: JobDeps = {
      db: api.db,
      wechat: createWeChatClient(api.config.wechat),
      config: api.config,
      logger: pino({ level: 'silent' }),
    };
    const result = (await refresh.run(deps, new Date())) as { refreshed: number };
    expect(result.refreshed).toBeGreaterThanOrEqual(1);
    const afterJob = (await Shops.findById(shop.id).lean())!;
    expect(chinaDate(new Date(afterJob.grade.computedAt))).toBe(chinaDate(new Date()));
    // The grade shown did not change, so the history did not grow.
    expect(await gradeHistoryModel(api.db).countDocuments({ establishmentId: stored._id })).toBe(historyBefore);
    // A second run finds nothing left to do for this shop.
    const again = (await refresh.run(deps, new Date())) as { refreshed: number };
    expect(again.refreshed).toBe(0);
  });
});
