// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

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
