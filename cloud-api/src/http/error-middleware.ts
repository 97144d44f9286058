import type { Middleware } from 'koa';
import type { ErrorBody } from '@ygsa/shared';
import { AppError, STATUS_BY_CODE } from './app-error';
import type { AppState } from './context';

const DB_ERROR_NAMES = new Set([
  'MongoNotConnectedError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
]);

/** Turns what Koa, its body parser or the driver throw into our codes. */
function normalize(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; status?: number; type?: string; expose?: boolean } | null;
  if (e?.name && DB_ERROR_NAMES.has(e.name)) return new AppError('DATABASE_UNAVAILABLE', { cause: err });
  switch (e?.status) {
    case 400:
      // co-body (under @koa/bodyparser) reports unparsable or non-object JSON as a SyntaxError with status 400.
      return new AppError(e.name === 'SyntaxError' ? 'BAD_JSON' : 'VALIDATION_FAILED', { cause: err });
    case 405:
    case 501:
      return new AppError('METHOD_NOT_ALLOWED', { cause: err });
    case 413:
      return new AppError('PAYLOAD_TOO_LARGE', { cause: err });
    case 415:
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { cause: err });
    default:
      return new AppError('INTERNAL', { cause: err });
  }
}

/** The one place errors become responses (and the only place they are logged). */
export function errorMiddleware(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('ROUTE_NOT_FOUND');
    } catch (err) {
      const appError = normalize(err);
      const status = STATUS_BY_CODE[appError.code];
      if (status >= 500) {
        ctx.state.log.error({ err: appError.cause ?? appError, code: appError.code }, 'request failed');
      } else {
        ctx.state.log.debug({ code: appError.code }, 'request rejected');
      }
      const body: ErrorBody = {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details ? { details: appError.details } : {}),
        },
      };
      ctx.status = status;
      ctx.body = body;
      if (appError.retryAfterSeconds) ctx.set('Retry-After', String(appError.retryAfterSeconds));
      if (appError.code === 'UNAUTHENTICATED' || appError.code === 'TOKEN_EXPIRED') {
        ctx.set('WWW-Authenticate', 'Bearer');
      }
    }
  };
}
