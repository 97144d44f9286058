import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'cloud-api' },
    redact: { paths: ['req.headers.authorization', '*.secret', '*.token'], censor: '[redacted]' },
  });
}
