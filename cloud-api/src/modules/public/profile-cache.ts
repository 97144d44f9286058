import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Serialised public profiles, so the page every scan opens is one map lookup. Entries live at
 * most TTL_MS (other API instances' writes reach readers within that), expire earlier when the
 * grade is due to change by time, and are dropped at once when this instance writes to the shop.
 */
const TTL_MS = 10_000;

export interface CachedBody {
  json: string;
  etag: string;
}

const profiles = new LRUCache<string, CachedBody>({ max: 20_000, ttl: TTL_MS });
/** Scanned payload → shop id, for codes already checked (signature, version, not revoked). */
const payloads = new LRUCache<string, string>({ max: 50_000, ttl: TTL_MS });

export function cachedProfile(id: string): CachedBody | undefined {
  return profiles.get(id);
}

export function storeProfile(id: string, value: unknown, validUntil: string | null, now = Date.now()): CachedBody {
  const json = JSON.stringify(value);
  const body = { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
  const untilChange = validUntil ? Date.parse(validUntil) - now : TTL_MS;
  if (untilChange > 0) profiles.set(id, body, { ttl: Math.min(TTL_MS, untilChange) });
  return body;
}

export function cachedPayload(payload: string): string | undefined {
  return payloads.get(payload);
}

export function storePayload(payload: string, id: string): void {
  payloads.set(payload, id);
}

/** Called by every write that changes what the public sees of a shop (or of all shops). */
export function invalidateShop(id?: string): void {
  if (!id) {
    profiles.clear();
    payloads.clear();
    return;
  }
  profiles.delete(id);
  const stale = [...payloads.entries()].filter(([, shop]) => shop === id).map(([payload]) => payload);
  for (const payload of stale) payloads.delete(payload);
}
