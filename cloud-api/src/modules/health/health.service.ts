import type { Connection } from 'mongoose';
import type { Health } from '@ygsa/shared';
import { pingDatabase } from '../../db';

const startedAt = Date.now();

export async function checkHealth(db: Connection, version: string): Promise<Health> {
  const api = { status: 'ok' as const, version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
  try {
    const latencyMs = await pingDatabase(db);
    return { status: 'ok', time: new Date().toISOString(), api, database: { status: 'ok', latencyMs } };
  } catch (err) {
    return {
      status: 'degraded',
      time: new Date().toISOString(),
      api,
      database: { status: 'down', error: err instanceof Error ? err.message : String(err) },
    };
  }
}
