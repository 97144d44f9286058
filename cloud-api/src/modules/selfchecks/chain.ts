import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

/** JSON with sorted keys, so the same record always hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export interface Chained {
  seq: number;
  kind: string;
  period: string;
  content: unknown;
  submittedBy: string;
  role: string;
  submittedAt: Date;
  late: boolean;
  correctionOf: string | null;
}

/** Each record's hash covers its own fields and the previous hash: altering any record breaks every later link. */
export function chainHash(prevHash: string, r: Chained): string {
  return createHash('sha256')
    .update(prevHash)
    .update(
      canonical({
        seq: r.seq,
        kind: r.kind,
        period: r.period,
        content: r.content,
        submittedBy: r.submittedBy,
        role: r.role,
        submittedAt: r.submittedAt,
        late: r.late,
        correctionOf: r.correctionOf,
      }),
    )
    .digest('hex');
}
