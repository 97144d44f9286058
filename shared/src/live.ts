// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';
import { COMMITTEE_TYPES, type BusinessType } from './establishment.js';
import { withinHours } from './hours.js';

export const CameraSchema = z.object({
  id: z.string(),
  establishmentId: z.string(),
  name: z.string(),
  zone: z.enum(['prep', 'cooking', 'cold_room', 'washing']),
  zoneLabel: z.string(),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  /** The owner's view only: where the camera publishes (holds the secret stream key). */
  publishPath: z.string().optional(),
});
export type Camera = z.infer<typeof CameraSchema>;

/**
 * Who may watch a shop's kitchen now, as the public sees it: the one rule behind the API's check
 * of a stream request, the shop page's 看后厨 button and the live page's zones. A school canteen's
 * committee may watch at any hour; any other kitchen is shown during its opening hours only.
 */
export function liveRule(
  shop: { businessType: BusinessType; openingHours?: string | null },
  now: Date,
): { committeeOnly: boolean; openNow: boolean; resting: boolean } {
  const committeeOnly = COMMITTEE_TYPES.includes(shop.businessType);
  const openNow = shop.openingHours ? withinHours(shop.openingHours, now) : true;
  return { committeeOnly, openNow, resting: !committeeOnly && !openNow };
}

/** What the live page shows of a shop: its cameras, and whether watching is possible now and for whom. */
export const ShopLiveSchema = z.object({
  /** Within its opening hours. */
  openNow: z.boolean(),
  openingHours: z.string().nullable(),
  /** A school canteen: only its parents' committee (and regulators) may watch, at any hour. */
  committeeOnly: z.boolean(),
  /** Closed now, so the public may not watch (never for a committee's canteen). */
  resting: z.boolean(),
  cameras: z.array(CameraSchema),
});
export type ShopLive = z.infer<typeof ShopLiveSchema>;

export const LiveUrlSchema = z.object({
  cameraId: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  /** Over school streams: the viewer's identity, drawn over the picture. */
  watermark: z.string().nullable(),
});
export type LiveUrl = z.infer<typeof LiveUrlSchema>;

/** A camera offline during opening hours: an alert, then a rectification reminder, until it is back. */
export const CameraAlertSchema = z.object({
  id: z.string(),
  cameraId: z.string(),
  establishmentId: z.string(),
  cameraName: z.string(),
  zone: z.enum(['prep', 'cooking', 'cold_room', 'washing']),
  zoneLabel: z.string(),
  offlineSince: z.string(),
  openedAt: z.string(),
  offlineMinutes: z.number(),
  level: z.enum(['alert', 'rectify', 'resolved']),
  notifiedAt: z.string().nullable(),
  rectifyAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type CameraAlert = z.infer<typeof CameraAlertSchema>;

/** A school's parents' committee as the school sees it. */
export const CommitteeSchema = z.object({
  members: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      grade: z.string(),
      convener: z.boolean(),
      joinedAt: z.string(),
      revoked: z.boolean(),
    }),
  ),
  summary: z.object({
    active: z.number(),
    grades: z.array(z.string()),
    hasConvener: z.boolean(),
    /** ≥ 7 members and a 召集人. */
    formed: z.boolean(),
  }),
});
export type Committee = z.infer<typeof CommitteeSchema>;
