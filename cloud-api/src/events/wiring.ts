import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { regradeOnChange } from '../modules/grading/grading.service';
import { invalidateShop } from '../modules/public/profile-cache';
import { hasSubscribers, onShopChanged } from './shop-events';

/**
 * Subscribes what keeps derived shop state to the writers' shop events, once per connection:
 * first the stored grade (grading decides which reasons move it), then the public profile cache,
 * so a profile read right after a write sees the new grade.
 */
export function wireShopEvents(db: Connection, config: Pick<Config, 'grading' | 'risk'>): void {
  if (hasSubscribers(db)) return;
  const gradingDeps = { db, grading: config.grading, risk: config.risk };
  onShopChanged(db, (change) => regradeOnChange(gradingDeps, change));
  onShopChanged(db, (change) => invalidateShop(change.shopId ?? undefined));
}
