import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { regradeOnChange } from '../modules/grading/grading.service';
import { invalidateShop } from '../modules/public/profile-cache';
import { refreshDirectory } from '../modules/establishments/shop-directory';
import { hasSubscribers, onShopChanged, type ShopChange } from './shop-events';

/**
 * Subscribes what keeps derived shop state to the writers' shop events, once per connection:
 * first the stored grade (grading decides which reasons move it), then the public profile cache
 * and the public directory, so a read right after a write sees the new grade.
 */
export function wireShopEvents(db: Connection, config: Pick<Config, 'grading' | 'risk'>): void {
  if (hasSubscribers(db)) return;
  const gradingDeps = { db, grading: config.grading, risk: config.risk };
  onShopChanged(db, (change) => regradeOnChange(gradingDeps, change));
  onShopChanged(db, (change) => invalidateShop(change.shopId ?? undefined));
  onShopChanged(db, (change) => refreshDirectory(db, change.shopId, change.at));
}

/**
 * Another API instance changed a shop (the change log, change-log.ts): what this instance keeps in
 * memory follows. Grading is not run again: it ran on the instance that wrote.
 */
export async function applyRemoteChange(db: Connection, change: ShopChange): Promise<void> {
  invalidateShop(change.shopId ?? undefined);
  await refreshDirectory(db, change.shopId, change.at);
}
