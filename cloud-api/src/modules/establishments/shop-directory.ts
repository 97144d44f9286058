import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { Types, type Connection } from 'mongoose';
import { addMonths, chinaDate } from '@ygsa/shared';
import { LISTED_STATUSES, everyShop, shopForLists, type EstablishmentDoc } from './establishment.facts';
import { latestPenalties } from '../records/record.facts';

/**
 * The shop directory: every shop in memory, so that keyword search, nearby search and the 红黑榜
 * (listed shops: open or suspended), a scanned code, and the regulators' list of shops (every shop)
 * read no collection and do not grow with the city. Built from the database on first use (at the
 * API's start); kept current by shop events (this instance's writes) and by the change log other
 * instances append to (src/events/change-log.ts).
 *
 * Indexes: n-grams (each character and each pair of characters) of listed shops' names and
 * addresses for keyword search — Chinese has no spaces to split words on, and a pair of characters
 * narrows 20,000 shops to a handful; a static k-d tree (kdbush) of listed shops' positions for
 * nearby search, rebuilt when a position changes; the name order (Chinese collation) kept as ranks;
 * codes and licence numbers; every shop in the regulators' order (district, then name), kept sorted
 * as shops come and go. A change bumps the version of the shop's district only, and a write that
 * changed nothing a list shows (a self-check) bumps nothing, so a district's board is rebuilt only
 * when that district changed.
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

const isListed = (est: EstablishmentDoc) => LISTED_STATUSES.includes(est.status);

/** The regulators' order: district, then name (Chinese collation), then id. */
function regulatorOrder(a: EstablishmentDoc, b: EstablishmentDoc): number {
  return (
    collator.compare(a.district, b.district) ||
    collator.compare(a.name, b.name) ||
    (String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0)
  );
}

export class ShopDirectory {
  /** Every shop, listed or not. */
  private readonly entries = new Map<string, DirectoryEntry>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly codes = new Map<string, string>();
  private readonly licences = new Map<string, string>();
  /** Every shop's id in the regulators' order. */
  private readonly order: string[] = [];
  private listedCount = 0;
  private geo: { index: KDBush; ids: string[] } | null = null;
  private ranks: Map<string, number> | null = null;
  private readonly districtVersions = new Map<string, number>();
  /** Bumped on every change that a list shows. */
  version = 0;

  /** How many shops are listed (open or suspended). */
  get size(): number {
    return this.listedCount;
  }

  /** Every shop, listed or not. */
  get total(): number {
    return this.entries.size;
  }

  /** The version of one district: what is derived from a district (its board) is kept per version. */
  versionOf(district: string): number {
    return this.districtVersions.get(district) ?? 0;
  }

  /** Puts a shop in (any state), or replaces it; a copy that changes nothing bumps no version. */
  put(est: EstablishmentDoc, penalisedOn: string | null): void {
    const id = String(est._id);
    const before = this.entries.get(id);
    if (before && before.penalisedOn === penalisedOn && JSON.stringify(before.est) === JSON.stringify(est)) return;
    if (before) this.unindex(id, before);
    const entry = { est, penalisedOn };
    this.entries.set(id, entry);
    this.codes.set(est.code, id);
    this.licences.set(est.licence.number, id);
    this.order.splice(this.insertionPoint(est), 0, id);
    if (isListed(est)) {
      this.listedCount += 1;
      for (const g of grams(`${est.name}\n${est.address}`)) {
        let set = this.postings.get(g);
        if (!set) this.postings.set(g, (set = new Set()));
        set.add(id);
      }
    }
    const wasListed = !!before && isListed(before.est);
    const moved =
      !before || before.est.location.lat !== est.location.lat || before.est.location.lng !== est.location.lng;
    if (wasListed !== isListed(est) || moved) this.geo = null;
    if (wasListed !== isListed(est) || before?.est.name !== est.name) this.ranks = null;
    this.bump(est.district);
    if (before && before.est.district !== est.district) this.bump(before.est.district);
  }

  /** Puts many shops in at once (the build): one sort instead of an insertion each. */
  putAll(shops: { est: EstablishmentDoc; penalisedOn: string | null }[]): void {
    const fresh = shops.filter(({ est }) => !this.entries.has(String(est._id)));
    for (const { est, penalisedOn } of shops) if (this.entries.has(String(est._id))) this.put(est, penalisedOn);
    if (!fresh.length) return;
    for (const entry of fresh) {
      const { est } = entry;
      const id = String(est._id);
      this.entries.set(id, entry);
      this.codes.set(est.code, id);
      this.licences.set(est.licence.number, id);
      this.order.push(id);
      if (!isListed(est)) continue;
      this.listedCount += 1;
      for (const g of grams(`${est.name}\n${est.address}`)) {
        let set = this.postings.get(g);
        if (!set) this.postings.set(g, (set = new Set()));
        set.add(id);
      }
    }
    const entries = this.entries;
    this.order.sort((a, b) =>
      regulatorOrder((entries.get(a) as DirectoryEntry).est, (entries.get(b) as DirectoryEntry).est),
    );
    this.geo = null;
    this.ranks = null;
    for (const district of new Set(fresh.map((e) => e.est.district))) this.bump(district);
  }

  remove(id: string): void {
    const before = this.entries.get(id);
    if (!before) return;
    this.unindex(id, before);
    this.entries.delete(id);
    if (isListed(before.est)) {
      this.geo = null;
      this.ranks = null;
    }
    this.bump(before.est.district);
  }

  get(id: string): DirectoryEntry | undefined {
    return this.entries.get(id);
  }

  /** The shop's id for a public code (any state). */
  idByCode(code: string): string | undefined {
    return this.codes.get(code);
  }

  /** The shop's id for a licence number (any state). */
  idByLicence(number: string): string | undefined {
    return this.licences.get(number);
  }

  /** Every shop, listed or not. */
  every(): IterableIterator<DirectoryEntry> {
    return this.entries.values();
  }

  /** Every listed shop. */
  *all(): IterableIterator<DirectoryEntry> {
    for (const e of this.entries.values()) if (isListed(e.est)) yield e;
  }

  /**
   * Every shop (any state) in the regulators' order, of one district if given (and only of the
   * districts `within`, a regulator's jurisdiction, if given), whose name, address or licence number
   * contains `text` if given.
   */
  regulatorList(q: { district?: string; text?: string; within?: readonly string[] }): DirectoryEntry[] {
    const text = q.text?.toLowerCase();
    const within = q.within ? new Set(q.within) : null;
    const out: DirectoryEntry[] = [];
    for (const id of this.order) {
      const e = this.entries.get(id) as DirectoryEntry;
      if (q.district && e.est.district !== q.district) continue;
      if (within && !within.has(e.est.district)) continue;
      if (text && !`${e.est.name}\n${e.est.address}\n${e.est.licence.number}`.toLowerCase().includes(text)) continue;
      out.push(e);
    }
    return out;
  }

  private bump(district: string): void {
    this.version += 1;
    this.districtVersions.set(district, (this.districtVersions.get(district) ?? 0) + 1);
  }

  /** Where a shop goes in the regulators' order (binary search). */
  private insertionPoint(est: EstablishmentDoc): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = (this.entries.get(this.order[mid] as string) as DirectoryEntry).est;
      if (regulatorOrder(other, est) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private unindex(id: string, before: DirectoryEntry): void {
    const { est } = before;
    const at = this.insertionPoint(est);
    // The entry's old position: found by its old sort key (the map still holds the old entry).
    for (let i = Math.max(0, at - 1); i < this.order.length; i += 1) {
      if (this.order[i] === id) {
        this.order.splice(i, 1);
        break;
      }
    }
    if (this.codes.get(est.code) === id) this.codes.delete(est.code);
    if (this.licences.get(est.licence.number) === id) this.licences.delete(est.licence.number);
    if (!isListed(est)) return;
    this.listedCount -= 1;
    for (const g of grams(`${est.name}\n${est.address}`)) {
      const set = this.postings.get(g);
      set?.delete(id);
      if (set && !set.size) this.postings.delete(g);
    }
  }

  /** Listed shops whose name or address contains `text` (as typed, case-insensitive for Latin letters). */
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

  /** Listed shops within `radiusM` of a point, nearest first. */
  near(lng: number, lat: number, radiusM: number): DirectoryEntry[] {
    if (!this.geo) {
      const ids = [...this.all()].map((e) => String(e.est._id));
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

  /** Orders entries by name in Chinese collation (ranks computed once per change of listed names). */
  byName(entries: DirectoryEntry[]): DirectoryEntry[] {
    if (!this.ranks) {
      const sorted = [...this.all()].sort((a, b) => collator.compare(a.est.name, b.est.name));
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

/** This connection's directory, built from the database on first use (one read of every shop). */
export function directoryOf(db: Connection, now = new Date()): Promise<ShopDirectory> {
  let dir = directories.get(db);
  if (!dir) {
    dir = (async () => {
      const d = new ShopDirectory();
      const shops = await everyShop(db);
      const penalised = await penaltiesOf(db, shops.filter(isListed), now);
      d.putAll(shops.map((est) => ({ est, penalisedOn: penalised.get(String(est._id)) ?? null })));
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
  const est = await shopForLists(db, new Types.ObjectId(shopId));
  if (!est) {
    dir.remove(shopId);
    return;
  }
  const penalised = isListed(est) ? await penaltiesOf(db, [est], now) : new Map<string, string>();
  dir.put(est, penalised.get(shopId) ?? null);
}

/** A shop's district (the directory's, or the shop's own when the directory does not know it yet), or null. */
export async function districtOfShop(db: Connection, id: Types.ObjectId | string): Promise<string | null> {
  const known = (await directoryOf(db)).get(String(id));
  if (known) return known.est.district;
  if (!/^[0-9a-f]{24}$/.test(String(id))) return null;
  return (await shopForLists(db, new Types.ObjectId(String(id))))?.district ?? null;
}

/** The ids of every shop in these districts (a regulator's jurisdiction). */
export async function shopIdsInDistricts(db: Connection, districts: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(districts);
  const ids = new Set<string>();
  for (const e of (await directoryOf(db)).every()) if (wanted.has(e.est.district)) ids.add(String(e.est._id));
  return ids;
}
