import {
  decodeRepeatedly,
  enterKey,
  fitsWxacodeScene,
  parseQueryString,
  sameShopEntry,
  shopEntryFromQuery,
  shopEntryFromScan,
  shopReentry,
} from './entry';

// A real-shaped payload: shop code, code version, 12 characters of signature.
const P = 'K7M2QH9X.3.Ab-_9zYx0Qw1';
const P2 = 'ZZ23ABCD.1.abcdefghijkl';
const PRINTED = `https://ygsa.example.cn/public/?c=${P}`;

describe('the payload fits a 小程序码 scene', () => {
  it('is at most 32 characters of the allowed set, also at the longest code version', () => {
    expect(fitsWxacodeScene(P)).toBe(true);
    expect(fitsWxacodeScene('K7M2QH9X.9999.Ab-_9zYx0Qw1')).toBe(true);
    expect(fitsWxacodeScene('A'.repeat(33))).toBe(false);
    expect(fitsWxacodeScene('a%20b')).toBe(false);
    expect(fitsWxacodeScene('')).toBe(false);
  });
});

describe('shopEntryFromQuery: what a page query names', () => {
  it.each([
    [
      'cold start from a 小程序码 (scene, as WeChat gives it)',
      { scene: P },
      { kind: 'code', payload: P, via: 'scene' },
    ],
    ['a scene URI-encoded once', { scene: encodeURIComponent(P) }, { kind: 'code', payload: P, via: 'scene' }],
    [
      'a scene encoded twice (a link that encoded it again)',
      { scene: encodeURIComponent(encodeURIComponent(P)) },
      { kind: 'code', payload: P, via: 'scene' },
    ],
    [
      'a printed code (q = the encoded URL, with scancode_time)',
      { q: encodeURIComponent(PRINTED), scancode_time: '1763800000' },
      { kind: 'code', payload: P, via: 'q' },
    ],
    [
      'a printed code whose address has a hash route',
      { q: encodeURIComponent(`https://ygsa.example.cn/public/#/pages/shop/index?c=${P}`) },
      { kind: 'code', payload: P, via: 'q' },
    ],
    ['a link with c', { c: P }, { kind: 'code', payload: P, via: 'c' }],
    [
      'a shop opened inside the app',
      { id: '65a0000000000000000000aa' },
      { kind: 'id', id: '65a0000000000000000000aa' },
    ],
    [
      'scene wins over id (the code is what was scanned)',
      { scene: P, id: '65a0000000000000000000aa' },
      {
        kind: 'code',
        payload: P,
        via: 'scene',
      },
    ],
    ['a tampered scene', { scene: 'K7M2QH9X.3.<script>' }, { kind: 'invalid', via: 'scene' }],
    ['garbage in q', { q: '%E0%A4%A' }, { kind: 'invalid', via: 'q' }],
    [
      'a printed URL without c',
      { q: encodeURIComponent('https://ygsa.example.cn/public/') },
      { kind: 'invalid', via: 'q' },
    ],
    ['c that is not ours', { c: 'hello' }, { kind: 'invalid', via: 'c' }],
    ['an id that is not an id', { id: '../../etc' }, { kind: 'invalid', via: 'id' }],
    ['a very long scene', { scene: 'A'.repeat(5000) }, { kind: 'invalid', via: 'scene' }],
    ['nothing', {}, { kind: 'none' }],
    ['no query at all', undefined, { kind: 'none' }],
    ['values of the wrong type', { scene: { x: 1 }, q: ['a'] }, { kind: 'none' }],
  ])('%s', (_what, query, expected) => {
    expect(shopEntryFromQuery(query as Record<string, unknown> | undefined)).toEqual(expected);
  });
});

describe('shopEntryFromScan: what the in-app scanner read', () => {
  it.each([
    [
      'a 小程序码 of the shop page (path with an encoded scene, as iOS gives it)',
      { scanType: 'WX_CODE', path: `pages/shop/index?scene=${encodeURIComponent(P)}`, result: '' },
      { kind: 'code', payload: P, via: 'scan' },
    ],
    [
      'a 小程序码 read on Android (scene unencoded, leading slash)',
      { scanType: 'WX_CODE', path: `/pages/shop/index?scene=${P}` },
      { kind: 'code', payload: P, via: 'scan' },
    ],
    ['a printed QR code', { scanType: 'QR_CODE', result: PRINTED }, { kind: 'code', payload: P, via: 'scan' }],
    ['a bare payload', { scanType: 'QR_CODE', result: ` ${P} ` }, { kind: 'code', payload: P, via: 'scan' }],
    [
      'a 小程序码 of another page',
      { scanType: 'WX_CODE', path: 'pages/index/index' },
      { kind: 'invalid', via: 'scan' },
    ],
    ['a payment code', { scanType: 'QR_CODE', result: 'wxp://f2f0abcdef' }, { kind: 'invalid', via: 'scan' }],
    ['a barcode', { scanType: 'EAN_13', result: '6901234567892' }, { kind: 'invalid', via: 'scan' }],
    ['nothing read', {}, { kind: 'invalid', via: 'scan' }],
  ])('%s', (_what, res, expected) => {
    expect(shopEntryFromScan(res)).toEqual(expected);
  });
});

describe('hot re-entry', () => {
  const launch = { path: 'pages/shop/index', query: { scene: P }, scene: 1047 };

  it('when the page is shown again with the entry it already saw, then nothing changes', () => {
    const seen = enterKey(launch);
    expect(shopReentry(seen, launch)).toEqual({ key: seen, entry: null });
  });

  it("when WeChat enters the app anew on the shop page with another shop's scene, then that shop", () => {
    const hot = { path: 'pages/shop/index', query: { scene: P2 }, scene: 1047 };
    expect(shopReentry(enterKey(launch), hot).entry).toEqual({ kind: 'code', payload: P2, via: 'scene' });
  });

  it('when a printed code re-enters (q), then its shop', () => {
    const hot = {
      path: 'pages/shop/index',
      query: { q: encodeURIComponent(PRINTED), scancode_time: '1' },
      scene: 1011,
    };
    expect(shopReentry(enterKey(launch), hot).entry).toMatchObject({ kind: 'code', payload: P });
  });

  it('when the app is entered anew on another page, or with no shop, then the shown shop stays', () => {
    expect(shopReentry(enterKey(launch), { path: 'pages/index/index', query: {}, scene: 1001 }).entry).toBeNull();
    expect(shopReentry(enterKey(launch), { path: '/pages/shop/index', query: {}, scene: 1001 }).entry).toBeNull();
    expect(shopReentry('', null)).toEqual({ key: '', entry: null });
  });

  it('a tampered re-entry is reported as such (the page refuses it)', () => {
    const hot = { path: 'pages/shop/index', query: { scene: 'not-a-code' }, scene: 1047 };
    expect(shopReentry(enterKey(launch), hot).entry).toEqual({ kind: 'invalid', via: 'scene' });
  });

  it('the same shop by the same code is the same entry; codes and ids are compared by value', () => {
    expect(sameShopEntry({ kind: 'code', payload: P, via: 'scene' }, { kind: 'code', payload: P, via: 'q' })).toBe(
      true,
    );
    expect(sameShopEntry({ kind: 'code', payload: P, via: 'scene' }, { kind: 'code', payload: P2, via: 'scene' })).toBe(
      false,
    );
    expect(sameShopEntry({ kind: 'id', id: 'a' }, { kind: 'id', id: 'a' })).toBe(true);
  });
});

describe('decoding helpers (no URL API in WeChat)', () => {
  it('decodes as often as needed, and leaves broken encodings alone', () => {
    expect(decodeRepeatedly('%2541')).toBe('A');
    expect(decodeRepeatedly('%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('parses a query string with or without ?, with + as a space', () => {
    expect(parseQueryString('?a=1&b=%E4%B8%AD&c=x+y&d')).toEqual({ a: '1', b: '中', c: 'x y', d: '' });
  });
});
