import mongoose, { type Connection } from 'mongoose';
import type { Config } from './config';

/** Opens the app's own connection (no global mongoose state), failing fast instead of buffering. */
export async function connectDatabase(options: Config['mongodb']): Promise<Connection> {
  const conn = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    bufferCommands: false,
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: 5000,
    // Once a database restart has marked the server down, the driver looks again only at its next
    // heartbeat (10 s by default) unless a query asks; /healthz sends none while down, so an idle
    // API would stay at 503 that long after the database is back.
    heartbeatFrequencyMS: 2000,
  });
  await conn.asPromise();
  return conn;
}

/** Pings the database; resolves with the round-trip time or rejects within `timeoutMs`. */
export async function pingDatabase(conn: Connection, timeoutMs = 1500): Promise<number> {
  const db = conn.db;
  if (!db || conn.readyState !== 1) throw new Error('not connected');
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.command({ ping: 1 }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}
