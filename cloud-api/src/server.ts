import { createServer, type Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connectDatabase } from './db';
import { ensureIndexes } from './data/models';
import { createRateLimiter } from './http/rate-limit';
import { createLogger } from './logger';
import { createWeChatClient } from './integrations/wechat.client';
import { sendDailyReminders } from './modules/selfchecks/reminder.service';
import { checkCameraHealth } from './modules/live/camera-health.service';
import { notifyParties, runLadderClock } from './modules/enforcement/enforcement.service';
import { retryMediaChecks } from './modules/moderation/moderation.service';
import { finishPendingCaptures } from './modules/enforcement/webhook.service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cloud-api: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config);
  const db = await connectDatabase(config.mongodb);
  const wechat = createWeChatClient(config.wechat);
  const limiter = createRateLimiter(config.rateLimits.limits, config.rateLimits.redisUrl);
  const app = createApp({ config, db, logger, wechat, limiter });
  // Unique indexes make concurrent creates safe: they exist before the first request is served.
  await ensureIndexes(db);
  const server: Server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port, env: config.env }, 'cloud-api listening');
  // One machine-readable line for launchers (npm start, e2e tests) that start us on port 0.
  process.stdout.write(`LISTENING http://${config.host}:${port}\n`);

  // Background job: self-check reminders, every five minutes (each person is reminded once a day).
  const remind = () =>
    sendDailyReminders({ db, wechat, config, logger }).catch((err: unknown) =>
      logger.error({ err }, 'reminders failed'),
    );
  const reminderTimer = setInterval(() => void remind(), 5 * 60 * 1000);
  reminderTimer.unref();
  void remind();

  // Background job: camera health (offline during opening hours → alert → rectification), every CAMERA_HEALTH_INTERVAL_SECONDS.
  const health = () =>
    checkCameraHealth({ db, wechat, config, logger }).catch((err: unknown) =>
      logger.error({ err }, 'camera health failed'),
    );
  const healthTimer = setInterval(() => {
    void health();
    // The escalation ladder's clock: unanswered reminders → notices; missed deadlines → case drafts.
    void finishPendingCaptures({ db, config })
      .then(() => runLadderClock({ db, config }))
      .then(() => notifyParties({ db, config, wechat, logger }))
      .catch((err: unknown) => logger.error({ err }, 'ladder clock failed'));
  }, config.cameraHealth.intervalSeconds * 1000);
  healthTimer.unref();

  // Background job: photos whose content-check verdict never came are asked about again.
  const mediaTimer = setInterval(
    () =>
      void retryMediaChecks({ db, wechat, config, logger }).catch((err: unknown) =>
        logger.error({ err }, 'media check retry failed'),
      ),
    60 * 1000,
  );
  mediaTimer.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(reminderTimer);
    clearInterval(healthTimer);
    clearInterval(mediaTimer);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('requests still open after the grace period; closing them');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    server.close(() => {
      void limiter.close();
      db.close()
        .catch((err: unknown) => logger.error({ err }, 'closing the database failed'))
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`cloud-api: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
