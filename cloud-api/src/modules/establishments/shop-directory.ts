import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { Types, type Connection } from 'mongoose';
import { addMonths, chinaDate } from '@ygsa/shared';
import { LISTED_STATUSES, listedShop, listedShops, type EstablishmentDoc } from '../establishments/establishment.facts';
import { latestPenalties } from '../records/record.facts';

/**
 * The public directory: every listed shop (open or suspended) in memory, so that keyword search,
 * nearby search and the 红黑榜 read no collection and do not grow with the city. Built from the
 * database on first use; kept current by shop events (this instance's writes) and by the change
 * log other instances append to (src/events/change-log.ts).
 *
 * Indexes: n-grams (each character and each pair of characters) of name and address for keyword
 * search — Chinese has no spaces to split words on, and a pair of characters narrows 20,000 shops
 * to a handful; a static k-d tree (kdbush) of positions for nearby search, rebuilt when a position
 * changes; the name order (Chinese collation) kept as ranks.
 */

const collator = new Intl.Collator('zh-CN');

export interface DirectoryEntry {
  est: EstablishmentDoc;
  /** The China date of the shop's latest administrative penalty within the last 12 months, or null. */
  penalisedOn: string | null;
}

function grams(text: string): Set<string> {
  const t = text.toLowerCase();
  const out = new Set<string>();
  for (let i = 0; i < t.length; i += 1) {
    out.add(t[i] as string);
    if (i + 1 < t.length) out.add(t.slice(i, i + 2));
  }
  return out;
}

export class ShopDirectory {
  private readonly entries = new Map<string, DirectoryEntry>();
  private readonly postings = new Map<string, Set<string>>();
  private geo: { index: KDBush; ids: string[] } | null = null;
  private ranks: Map<string, number> | null = null;
  /** Bumped on every change: what is derived from the whole directory (boards) is kept per version. */
  version = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Puts a shop in (or takes it out when it is no longer listed). */
  put(est: EstablishmentDoc, penalisedOn: string | null): void {
    const id = String(est._id);
    const before = this.entries.get(id);
    if (!LISTED_STATUSES.includes(est.status)) {
      this.remove(id);
      return;
    }
    if (before) this.unindex(id, before.est);
    this.entries.set(id, { est, penalisedOn });
    for (const g of grams(`${est.name}\n${est.address}`)) {
      let set = this.postings.get(g);
      if (!set) this.postings.set(g, (set = new Set()));
      set.add(id);
    }
    if (!before || before.est.location.lat !== est.location.lat || before.est.location.lng !== est.location.lng)
      this.geo = null;
    if (!before || before.est.name !== est.name) this.ranks = null;
    this.version += 1;
  }

  remove(id: string): void {
    const before = this.entries.get(id);
    if (!before) return;
    this.unindex(id, before.est);
    this.entries.delete(id);
    this.geo = null;
    this.ranks = null;
    this.version += 1;
  }

  get(id: string): DirectoryEntry | undefined {
    return this.entries.get(id);
  }

  all(): IterableIterator<DirectoryEntry> {
    return this.entries.values();
  }

  private unindex(id: string, est: EstablishmentDoc): void {
    for (const g of grams(`${est.name}\n${est.address}`)) {
      const set = this.postings.get(g);
      set?.delete(id);
      if (set && !set.size) this.postings.delete(g);
    }
  }

  /** Shops whose name or address contains `text` (as typed, case-insensitive for Latin letters). */
  matching(text: string): DirectoryEntry[] {
    const q = text.toLowerCase();
    const keys = q.length === 1 ? [q] : [...grams(q)].filter((g) => g.length === 2);
    const sets = keys.map((k) => this.postings.get(k) ?? new Set<string>()).sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    if (!smallest) return [];
    const out: DirectoryEntry[] = [];
    for (const id of smallest) {
      if (!rest.every((s) => s.has(id))) continue;
      const entry = this.entries.get(id) as DirectoryEntry;
      if (`${entry.est.name}\n${entry.est.address}`.toLowerCase().includes(q)) out.push(entry);
    }
    return out;
  }

  /** Shops within `radiusM` of a point, nearest first. */
  near(lng: number, lat: number, radiusM: number): DirectoryEntry[] {
    if (!this.geo) {
      const ids = [...this.entries.keys()];
      const index = new KDBush(Math.max(1, ids.length));
      for (const id of ids) {
        const { location } = (this.entries.get(id) as DirectoryEntry).est;
        index.add(location.lng, location.lat);
      }
      if (!ids.length) index.add(0, 90);
      index.finish();
      this.geo = { index, ids };
    }
    const { index, ids } = this.geo;
    return around(index, lng, lat, Infinity, radiusM / 1000)
      .map((i) => ids[i])
      .filter((id): id is string => id !== undefined)
      .map((id) => this.entries.get(id) as DirectoryEntry);
  }

  /** Orders entries by name in Chinese collation (ranks computed once per change of names). */
  byName(entries: DirectoryEntry[]): DirectoryEntry[] {
    if (!this.ranks) {
      const sorted = [...this.entries.values()].sort((a, b) => collator.compare(a.est.name, b.est.name));
      this.ranks = new Map(sorted.map((e, i) => [String(e.est._id), i]));
    }
    const ranks = this.ranks;
    return [...entries].sort((a, b) => (ranks.get(String(a.est._id)) ?? 0) - (ranks.get(String(b.est._id)) ?? 0));
  }
}

const directories = new WeakMap<Connection, Promise<ShopDirectory>>();

/** The latest penalty date within 12 months of each shop, from the records module. */
async function penaltiesOf(db: Connection, shops: EstablishmentDoc[], now: Date): Promise<Map<string, string>> {
  if (!shops.length) return new Map();
  return latestPenalties(
    db,
    shops.map((s) => s._id),
    addMonths(chinaDate(now), -12),
  );
}

/** This connection's directory, built from the database on first use (one read of the listed shops). */
export function directoryOf(db: Connection, now = new Date()): Promise<ShopDirectory> {
  let dir = directories.get(db);
  if (!dir) {
    dir = (async () => {
      const d = new ShopDirectory();
      const shops = await listedShops(db);
      const penalised = await penaltiesOf(db, shops, now);
      for (const s of shops) d.put(s, penalised.get(String(s._id)) ?? null);
      return d;
    })();
    directories.set(db, dir);
    dir.catch(() => directories.delete(db));
  }
  return dir;
}

/**
 * Brings the directory up to date after a change: one shop read by id (the database's fastest
 * read), or every listed shop when the change was many at once (an import). Does nothing before the
 * directory was first used.
 */
export async function refreshDirectory(db: Connection, shopId: string | null, now = new Date()): Promise<void> {
  const pending = directories.get(db);
  if (!pending) return;
  if (!shopId) {
    directories.delete(db);
    await directoryOf(db, now);
    return;
  }
  const dir = await pending;
  if (!/^[0-9a-f]{24}$/.test(shopId)) return;
  // By _id alone: the one filter the embedded database answers without reading every shop.
  const est = await listedShop(db, new Types.ObjectId(shopId));
  if (!est) {
    dir.remove(shopId);
    return;
  }
  const penalised = await penaltiesOf(db, [est], now);
  dir.put(est, penalised.get(shopId) ?? null);
}
