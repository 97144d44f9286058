import { ERROR_MESSAGES, type ErrorCode, type FieldIssue } from '@ygsa/shared';

/** The one error family of the API. Services throw it by code; only the HTTP layer knows statuses. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details?: FieldIssue[];
  /** RATE_LIMITED: when the caller may try again (the Retry-After header). */
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: FieldIssue[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(options.message ?? ERROR_MESSAGES[code], { cause: options.cause });
    this.code = code;
    if (options.details) this.details = options.details;
    if (options.retryAfterSeconds) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  BAD_JSON: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QR_INVALID: 400,
  QR_REVOKED: 410,
  CONTENT_RISKY: 422,
  RATE_LIMITED: 429,
  WECHAT_CODE_INVALID: 401,
  WECHAT_UNAVAILABLE: 502,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};
