import { ApiError } from '@ygsa/shared';

/** What to tell the user about a failure: the API's field messages when it gave any, else its message. */
export function messageOf(e: unknown, fallback = '操作失败，请重试'): string {
  if (e instanceof ApiError && e.details?.length) return e.details.map((d) => d.message).join('；');
  if (e instanceof Error && e.message) return e.message;
  return fallback;
}
