import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { WeChatClient } from '../integrations/wechat.client';
import { sendDailyReminders } from '../modules/selfchecks/reminder.service';
import { checkCameraHealth } from '../modules/live/camera-health.service';
import { notifyParties, runLadderClock } from '../modules/enforcement/enforcement.service';
import { retryMediaChecks } from '../modules/moderation/moderation.service';
import { finishPendingCaptures } from '../modules/enforcement/webhook.service';
import { refreshOutdatedGrades } from '../modules/grading/grading.service';
import { jobRunModel, type JobSpec } from './scheduler';
import { rebuildAllShopIndexes } from '../data/shop-index';

export interface JobDeps {
  db: Connection;
  wechat: WeChatClient;
  config: Config;
  logger: Logger;
}

const MINUTE = 60_000;

/** How long kept run records stay (who ran which slot, and how it ended). */
const RUNS_KEPT_MS = 2 * 24 * 60 * MINUTE;

/** Every scheduled job of the API, declared once: what it does, how often, and its lease. */
export function declaredJobs(config: Config): JobSpec<JobDeps>[] {
  const every = config.jobs.intervalsSeconds;
  const ms = (s: number) => Math.round(s * 1000);
  return [
    {
      // Each person is reminded of a missing 日管控 once a day, after REMINDER_HOUR.
      name: 'self-check-reminders',
      intervalMs: ms(every.selfCheckReminders),
      leaseMs: 10 * MINUTE,
      run: (deps, now) => sendDailyReminders(deps, now),
    },
    {
      // Offline in opening hours → alert → rectification; three missed heartbeats end "online".
      name: 'camera-health',
      intervalMs: ms(config.cameraHealth.intervalSeconds),
      leaseMs: 5 * MINUTE,
      run: (deps, now) => checkCameraHealth(deps, now),
    },
    {
      // The escalation ladder's clock: stuck captures finished, unanswered reminders → notices,
      // missed deadlines → case drafts, then the parties told.
      name: 'ladder-clock',
      intervalMs: ms(every.ladderClock),
      leaseMs: 5 * MINUTE,
      run: async (deps, now) => {
        const captures = await finishPendingCaptures(deps, now);
        const ladder = await runLadderClock(deps, now);
        const told = await notifyParties(deps, now);
        return { captures, ladder, told };
      },
    },
    {
      // Photos whose content-check verdict never came are asked about again.
      name: 'media-check-retry',
      intervalMs: ms(every.mediaCheckRetry),
      leaseMs: 5 * MINUTE,
      run: (deps, now) => retryMediaChecks(deps, now),
    },
    {
      // Grades that time alone has changed (the daily on-time rate, validity dates) are stored.
      name: 'grade-refresh',
      intervalMs: ms(every.gradeRefresh),
      leaseMs: 10 * MINUTE,
      run: (deps, now) =>
        refreshOutdatedGrades({ db: deps.db, grading: deps.config.grading, risk: deps.config.risk }, now),
    },
    {
      // Each shop's indexes against the collections (data/shop-index.ts): an entry a crash left
      // behind between a document and its index is put right within a day.
      name: 'shop-index-check',
      intervalMs: ms(every.shopIndexCheck),
      leaseMs: 60 * MINUTE,
      run: async (deps) => ({ repaired: await rebuildAllShopIndexes(deps.db) }),
    },
    {
      name: 'job-runs-cleanup',
      intervalMs: ms(every.jobRunsCleanup),
      leaseMs: 5 * MINUTE,
      run: async (deps, now) => {
        const r = await jobRunModel(deps.db).deleteMany({ slot: { $lt: new Date(now.getTime() - RUNS_KEPT_MS) } });
        return { deleted: r.deletedCount };
      },
    },
  ];
}
