// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { formatChineseDate } from './dates.js';
import type { EstablishmentStatus } from './establishment.js';

/**
 * A shop's standing as the public sees it, decided in one place for every screen (the shop page,
 * lists, search, the 红黑榜, open data): a shop that may not operate — licence expired, suspended,
 * closed — is never presented as a good place to eat, whatever grade it once earned.
 */
export const STANDING_KINDS = ['operating', 'licence_expired', 'suspended', 'closed'] as const;
export type StandingKind = (typeof STANDING_KINDS)[number];

export const PublicStandingSchema = z.object({
  kind: z.enum(STANDING_KINDS),
  /** Leads the page and each list line: 正常营业, 许可证已过期, 停业整顿, 已注销. */
  label: z.string(),
  /** What a diner must know (null while operating). */
  notice: z.string().nullable(),
  /** Whether the shop's grade speaks for it now; false: shown only as history, marked not valid. */
  gradeCurrent: z.boolean(),
});
export type PublicStanding = z.infer<typeof PublicStandingSchema>;

export function publicStanding(
  shop: { status: EstablishmentStatus; licenceValidTo: string },
  today: string,
): PublicStanding {
  if (shop.status === 'closed')
    return {
      kind: 'closed',
      label: '已注销',
      notice: '该门店已注销，不再经营；以下等级已失效，仅供查询',
      gradeCurrent: false,
    };
  if (shop.status === 'suspended')
    return {
      kind: 'suspended',
      label: '停业整顿',
      notice: '该门店正在停业整顿，整顿期间不得经营；以下等级暂不有效',
      gradeCurrent: false,
    };
  if (shop.licenceValidTo < today)
    return {
      kind: 'licence_expired',
      label: '许可证已过期',
      notice: `食品经营许可证已于${formatChineseDate(shop.licenceValidTo)}到期，未取得有效许可前不得经营；以下等级已失效`,
      gradeCurrent: false,
    };
  return { kind: 'operating', label: '正常营业', notice: null, gradeCurrent: true };
}
