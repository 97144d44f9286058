// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

export const ComponentStatusSchema = z.enum(['ok', 'down']);

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  time: z.string(),
  api: z.object({
    status: ComponentStatusSchema,
    version: z.string(),
    uptimeSeconds: z.number(),
  }),
  database: z.object({
    status: ComponentStatusSchema,
    latencyMs: z.number().optional(),
    error: z.string().optional(),
  }),
});
export type Health = z.infer<typeof HealthSchema>;
