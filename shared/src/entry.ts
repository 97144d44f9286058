import { PAGES } from './pages.js';
import { QrPayloadSchema } from './shop.js';

/**
 * How a diner arrives at a shop's page, read the way WeChat delivers it. One function serves every
 * path a phone takes (a 小程序码's scene, a printed code's URL, an in-app scan, a shared link, a hot
 * re-entry), so each is table-tested here rather than only on a phone.
 *
 * No URL / URLSearchParams here: WeChat's JavaScript engine does not have them on every base library.
 */

/** wxacode.getUnlimited: a scene is 1–32 characters of this set (WeChat's documented rule). */
export const WXACODE_SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

export function fitsWxacodeScene(scene: string): boolean {
  return WXACODE_SCENE_PATTERN.test(scene);
}

export type ShopEntry =
  /** A signed shop code (verified by the API). */
  | { kind: 'code'; payload: string; via: 'scene' | 'q' | 'c' | 'scan' }
  /** A shop id from inside the app (lists, shared links). */
  | { kind: 'id'; id: string }
  /** Something was given, but it is not one of our codes: the page says so and offers the way home. */
  | { kind: 'invalid'; via: 'scene' | 'q' | 'c' | 'id' | 'scan' }
  /** Nothing that names a shop. */
  | { kind: 'none' };

export type LaunchQuery = Record<string, unknown>;

const MAX_RAW = 2048;

/** Decodes a value that may have been URI-encoded once or more (WeChat encodes scene and q; links may add one more). */
export function decodeRepeatedly(value: string): string {
  let text = value;
  for (let i = 0; i < 3 && /%[0-9A-Fa-f]{2}/.test(text); i += 1) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return text;
}

/** A query string ("a=1&b=2", with or without "?") as an object; no URL API needed. */
export function parseQueryString(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of search.replace(/^[?#]/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      out[key] = value;
    }
  }
  return out;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > MAX_RAW ? value.slice(0, MAX_RAW) : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const payloadOf = (raw: string): string | undefined => {
  const parsed = QrPayloadSchema.safeParse(decodeRepeatedly(raw).trim());
  return parsed.success ? parsed.data : undefined;
};

/** The `c` of a printed code's URL ("https://…/public/?c=PAYLOAD", also after a # route). */
function payloadOfUrl(url: string): string | undefined {
  const decoded = decodeRepeatedly(url).trim();
  const q = decoded.indexOf('?');
  if (q < 0) return undefined;
  // The last query wins: a hash route may carry its own after the page's.
  const queries = decoded.slice(q + 1).split('?');
  for (const part of queries.reverse()) {
    const c = parseQueryString(part.split('#')[0] ?? '').c;
    if (c) return payloadOf(c);
  }
  return undefined;
}

/**
 * The shop a page query names: `scene` (a 小程序码), `q` (a printed code's URL, WeChat passes it
 * encoded with `scancode_time`), `c` (a payload in a link) or `id` (inside the app), in that order.
 */
export function shopEntryFromQuery(query: LaunchQuery | undefined | null): ShopEntry {
  const q = query ?? {};
  const scene = text(q.scene);
  if (scene) {
    const payload = payloadOf(scene);
    return payload ? { kind: 'code', payload, via: 'scene' } : { kind: 'invalid', via: 'scene' };
  }
  const url = text(q.q);
  if (url) {
    const payload = payloadOfUrl(url);
    return payload ? { kind: 'code', payload, via: 'q' } : { kind: 'invalid', via: 'q' };
  }
  const c = text(q.c);
  if (c) {
    const payload = payloadOf(c);
    return payload ? { kind: 'code', payload, via: 'c' } : { kind: 'invalid', via: 'c' };
  }
  const id = text(q.id);
  if (id) return /^[0-9a-f]{24}$/.test(id.trim()) ? { kind: 'id', id: id.trim() } : { kind: 'invalid', via: 'id' };
  return { kind: 'none' };
}

/** What wx.scanCode resolves with (the fields we read). */
export interface ScanResult {
  result?: string;
  scanType?: string;
  /** For a 小程序码 of this mini-program: the page it opens with its query ("pages/shop/index?scene=…"). */
  path?: string;
}

/**
 * The shop a scan names: a 小程序码 of our shop page (its path carries the scene), a printed code
 * (a URL with ?c=), or a bare payload. Anything else is not one of our codes.
 */
export function shopEntryFromScan(res: ScanResult): ShopEntry {
  const path = text(res.path);
  if (path) {
    const bare = path.replace(/^\//, '');
    const q = bare.indexOf('?');
    const page = q < 0 ? bare : bare.slice(0, q);
    if (page !== PAGES.public.shop) return { kind: 'invalid', via: 'scan' };
    const entry = shopEntryFromQuery(parseQueryString(q < 0 ? '' : bare.slice(q + 1)));
    return entry.kind === 'code' ? { ...entry, via: 'scan' } : { kind: 'invalid', via: 'scan' };
  }
  const result = text(res.result)?.trim();
  if (!result) return { kind: 'invalid', via: 'scan' };
  const payload = payloadOf(result) ?? payloadOfUrl(result);
  return payload ? { kind: 'code', payload, via: 'scan' } : { kind: 'invalid', via: 'scan' };
}

/** wx.getEnterOptionsSync() / App.onShow options (the fields we read). */
export interface EnterOptions {
  path?: string;
  query?: LaunchQuery;
  scene?: number;
}

/** Identifies one entry into the app, so a page can tell a new entry from one it has already seen. */
export function enterKey(options: EnterOptions | undefined | null): string {
  if (!options) return '';
  const query = options.query ?? {};
  const keys = Object.keys(query).sort();
  return JSON.stringify([
    options.scene ?? null,
    (options.path ?? '').replace(/^\//, ''),
    keys.map((k) => [k, query[k]]),
  ]);
}

/**
 * On a hot start (the app was in the background) WeChat shows the page again with new enter
 * options, and getLaunchOptionsSync still answers the first launch. When the shop page is shown,
 * this says whether the app was entered anew onto it with a shop: then the page shows that shop.
 */
export function shopReentry(
  seenKey: string,
  current: EnterOptions | undefined | null,
): { key: string; entry: ShopEntry | null } {
  const key = enterKey(current);
  if (!current || key === seenKey) return { key, entry: null };
  if ((current.path ?? '').replace(/^\//, '') !== PAGES.public.shop) return { key, entry: null };
  const entry = shopEntryFromQuery(current.query);
  return { key, entry: entry.kind === 'none' ? null : entry };
}

/** The same entry (so a page already showing it need not load again). */
export function sameShopEntry(a: ShopEntry, b: ShopEntry): boolean {
  if (a.kind === 'code' && b.kind === 'code') return a.payload === b.payload;
  if (a.kind === 'id' && b.kind === 'id') return a.id === b.id;
  return a.kind === b.kind && a.kind !== 'code' && a.kind !== 'id';
}
