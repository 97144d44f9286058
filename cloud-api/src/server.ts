import { createServer, type Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connectDatabase } from './db';
import { ensureIndexes } from './data/models';
import { createRateLimiter } from './http/rate-limit';
import { createLogger } from './logger';
import { createWeChatClient } from './integrations/wechat.client';
import { declaredJobs } from './jobs/jobs';
import { startChangeFeed } from './events/change-log';
import { buildAllLedgers, buildSelfCheckDays } from './modules/selfchecks/ledger';
import { chinaDate } from '@ygsa/shared';
import { buildAllRecordLedgers } from './modules/records/record.ledger';
import { buildAllRosters } from './modules/members/member.roster';
import { buildAllShopIndexes } from './data/shop-index';
import { buildUserKeys } from './modules/auth/auth.service';
import { applyRemoteChange } from './events/wiring';
import { directoryOf } from './modules/establishments/shop-directory';
import { startJobs } from './jobs/scheduler';

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
  // Read models introduced after data existed are built once, before the first request.
  const ledgers = {
    selfChecks: await buildAllLedgers(db),
    records: await buildAllRecordLedgers(db),
    rosters: await buildAllRosters(db),
    shopIndexes: await buildAllShopIndexes(db),
    selfCheckDays: await buildSelfCheckDays(db, chinaDate(new Date())),
    userKeys: await buildUserKeys(db),
  };
  if (Object.values(ledgers).some(Boolean)) logger.info(ledgers, 'read models built');
  // Other instances' shop changes reach this one's in-memory read models within a second.
  const feed = await startChangeFeed(db, (change) => applyRemoteChange(db, change));
  // The public directory is built before the first search needs it.
  void directoryOf(db).catch((err: unknown) => logger.error({ err }, 'building the public directory failed'));
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

  // Scheduled jobs (src/jobs): each runs once per interval however many instances are up.
  const jobs = startJobs(db, { db, wechat, config, logger }, declaredJobs(config), { logger });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Runs in progress finish (within the grace period) before the database closes under them.
    const jobsStopped = Promise.race([
      Promise.all([jobs.stop(), feed.stop()]),
      new Promise((r) => setTimeout(r, config.shutdownGraceMs).unref()),
    ]);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('requests still open after the grace period; closing them');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    server.close(() => {
      void limiter.close();
      jobsStopped
        .then(() => db.close())
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
