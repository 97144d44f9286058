import type { Connection } from 'mongoose';

/**
 * Shop events: a writer says what changed about a shop; whoever keeps something derived from
 * shops (the stored grade, the public profile cache) subscribes. Writers no longer call grading
 * or the cache by hand, so the dependency runs one way: grading and the public read model depend
 * on the writers' facts, never the reverse.
 *
 * In-process and awaited: when a write's request answers, every subscriber has run, so tests stay
 * deterministic. Subscriptions belong to a database connection (an API process has one; a test
 * process has one per test API) and are made where the app is wired (src/events/wiring.ts).
 * This module imports no module of the API.
 */
export type ShopChangeReason =
  /** the licence's dates (what the grade's validity and "新开业" depend on) */
  | 'licence-dates'
  /** a shop registered (one by one; an import publishes 'profile' for many) */
  | 'created'
  /** name, address, position, business data: what lists and the file show */
  | 'profile'
  /** an inspection, incident or penalty: inputs of the grade */
  | 'inspection'
  | 'incident'
  | 'penalty'
  /** a record that the public file shows but the grade does not read (a sampling…) */
  | 'other-record'
  | 'self-check'
  | 'complaint-upheld'
  /** a rectification notice issued or accepted, a capture that started a ladder step */
  | 'enforcement'
  | 'qr'
  | 'checklist'
  | 'cameras'
  | 'reply'
  /** the stored grade was refreshed because time outdated it (grading's refresh job) */
  | 'grade';

export interface ShopChange {
  /** null: many shops at once (an import) */
  shopId: string | null;
  reason: ShopChangeReason;
  /** A sentence for the grade history ("rectification accepted"); defaults to the reason. */
  trigger: string;
  at: Date;
}

type Subscriber = (change: ShopChange) => Promise<void> | void;

const subscribers = new WeakMap<Connection, Subscriber[]>();

/** Subscribes to the shop changes written through `db`; returns the unsubscribe function. */
export function onShopChanged(db: Connection, subscriber: Subscriber): () => void {
  const list = subscribers.get(db) ?? [];
  list.push(subscriber);
  subscribers.set(db, list);
  return () => {
    const now = subscribers.get(db) ?? [];
    subscribers.set(
      db,
      now.filter((s) => s !== subscriber),
    );
  };
}

/** Publishes a change and waits for every subscriber, in the order they subscribed. */
export async function shopChanged(
  db: Connection,
  shopId: string | null,
  reason: ShopChangeReason,
  opts: { trigger?: string; at?: Date } = {},
): Promise<void> {
  const change: ShopChange = { shopId, reason, trigger: opts.trigger ?? reason, at: opts.at ?? new Date() };
  for (const subscriber of subscribers.get(db) ?? []) await subscriber(change);
}

/** Whether anything subscribes on this connection (wiring is done once per connection). */
export function hasSubscribers(db: Connection): boolean {
  return (subscribers.get(db)?.length ?? 0) > 0;
}
