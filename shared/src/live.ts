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
