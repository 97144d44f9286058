import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { TokenSigner } from './http/tokens';
import type { WeChatClient } from './integrations/wechat.client';
import type { Logger } from './logger';
import type { RateLimiter } from './http/rate-limit';

/** What the modules are built from; tests build it with their own database and fakes' URLs. */
export interface AppDeps {
  config: Config;
  db: Connection;
  logger: Logger;
  tokens: TokenSigner;
  wechat: WeChatClient;
  limiter: RateLimiter;
  version: string;
}
