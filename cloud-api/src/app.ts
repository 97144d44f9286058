import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import conditional from 'koa-conditional-get';
import etag from 'koa-etag';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { AppDeps } from './deps';
import type { AppState } from './http/context';
import { errorMiddleware } from './http/error-middleware';
import { requestContext } from './http/request-context';
import { createTokenSigner } from './http/tokens';
import { createWeChatClient, type WeChatClient } from './integrations/wechat.client';
import { createLogger, type Logger } from './logger';
import { createRateLimiter, type RateLimiter } from './http/rate-limit';
import { allRoutes } from './modules';
import { version } from './version';
import { wireShopEvents } from './events/wiring';
import { regulatorScopeOf } from './modules/regulators/regulator.service';

export interface CreateAppOptions {
  config: Config;
  db: Connection;
  logger?: Logger;
  wechat?: WeChatClient;
  /** Shared by the app instances of one process (tests make several); built from config when absent. */
  limiter?: RateLimiter;
  /** Check every answer against its route's declared output schema (the API tests set it). */
  checkAnswers?: boolean;
}

/** JSON bodies only, up to 100 kB; parse failures go to the error middleware. Files are uploaded apart. */
export function jsonBody() {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: '100kb',
    encoding: 'utf-8',
    onError: (err) => {
      throw err;
    },
  });
}

/** Builds the Koa app without listening, so tests can drive `app.callback()`. */
export function createApp(options: CreateAppOptions): Koa<AppState> {
  const logger = options.logger ?? createLogger(options.config);
  const deps: AppDeps = {
    config: options.config,
    db: options.db,
    logger,
    tokens: createTokenSigner(options.config.jwt),
    wechat: options.wechat ?? createWeChatClient(options.config.wechat),
    limiter: options.limiter ?? createRateLimiter(options.config.rateLimits.limits, options.config.rateLimits.redisUrl),
    version,
  };

  // Behind a reverse proxy the client's address comes from X-Forwarded-For (only when configured).
  const app = new Koa<AppState>({ proxy: options.config.trustProxy });
  app.silent = true; // errorMiddleware logs; Koa's default stderr dump would print stacks twice

  // Grading and the public cache follow the writers' shop events on this database.
  wireShopEvents(options.db, options.config);

  const router = new Router<AppState>();
  const mountOptions = {
    checkAnswers: options.checkAnswers === true,
    regulatorScope: (userId: string) => regulatorScopeOf(options.db, userId),
  };
  for (const route of allRoutes(deps)) route.mount(router, deps.tokens, deps.limiter, mountOptions);

  app.use(requestContext(logger));
  app.use(errorMiddleware());
  // ETag on every GET answer, and 304 when the client already has it.
  app.use(conditional());
  app.use(etag());
  app.use(jsonBody());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
