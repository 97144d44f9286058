// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** Error codes the API answers with; the API maps each to one HTTP status. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'BAD_JSON',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'QR_INVALID',
  'QR_REVOKED',
  'CONTENT_RISKY',
  'RATE_LIMITED',
  'WECHAT_CODE_INVALID',
  'WECHAT_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** One problem with one field of the input, as reported in `error.details`. */
export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** The one error shape of every API failure. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.array(FieldIssueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Chinese messages shown to users for each code, unless the API gives a more specific one. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '提交的内容有误，请检查后重试',
  BAD_JSON: '请求格式错误',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已被删除',
  ROUTE_NOT_FOUND: '接口不存在',
  METHOD_NOT_ALLOWED: '不支持的请求方式',
  CONFLICT: '操作冲突，请刷新后重试',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  QR_INVALID: '这不是阳光食安的有效二维码，可能是伪造或被篡改的，请勿相信该页面',
  QR_REVOKED: '该二维码已停用，请扫描店内最新张贴的二维码',
  CONTENT_RISKY: '内容未通过微信内容安全检查，请修改后重新提交',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  WECHAT_CODE_INVALID: '微信登录凭证无效或已使用，请重新登录',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后重试',
  DATABASE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  INTERNAL: '服务器开小差了，请稍后重试',
};
