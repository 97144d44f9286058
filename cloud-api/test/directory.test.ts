import { Types } from 'mongoose';
import { ShopSearchResultSchema, distanceMeters } from '@ygsa/shared';
import { ShopDirectory } from '../src/modules/establishments/shop-directory';
import type { EstablishmentDoc } from '../src/modules/establishments/establishment.facts';
import pino from 'pino';
import supertest from 'supertest';
import { ShopProfileSchema } from '@ygsa/shared';
import { createApp } from '../src/app';
import { connectDatabase } from '../src/db';
import { changeLogModel, startChangeFeed, type ChangeFeed } from '../src/events/change-log';
import { applyRemoteChange } from '../src/events/wiring';
import { createRateLimiter } from '../src/http/rate-limit';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';

let serial = 0;
/** A listed shop as the directory holds it (the fields a public list shows). */
function shop(name: string, address: string, lng: number, lat: number, over: Partial<EstablishmentDoc> = {}) {
  serial += 1;
  return {
    _id: new Types.ObjectId(),
    code: `C${String(serial).padStart(7, '0')}`,
    licence: { number: `JY${String(serial).padStart(14, '0')}` },
    name,
    address,
    district: '示范区',
    status: 'open',
    location: { lng, lat, crs: 'GCJ02' },
    ...over,
  } as unknown as EstablishmentDoc;
}
const names = (entries: { est: EstablishmentDoc }[]) => entries.map((e) => e.est.name);

describe('the public directory (in memory)', () => {
  it('finds a shop by any part of its name or address, one character or many, and nothing else', () => {
    const d = new ShopDirectory();
    d.put(shop('阳光小厨', '示范路1号', 120.15, 30.27), null);
    d.put(shop('老王面馆', '阳光大道8号', 120.16, 30.27), null);
    d.put(shop('Cafe Mia', '湖滨路3号', 120.17, 30.27), null);
    expect(names(d.matching('阳光')).sort()).toEqual(['老王面馆', '阳光小厨'].sort());
    expect(names(d.matching('小厨'))).toEqual(['阳光小厨']);
    expect(names(d.matching('面'))).toEqual(['老王面馆']);
    expect(names(d.matching('cafe mia'))).toEqual(['Cafe Mia']);
    // Both pairs occur, but not together: no false match.
    expect(d.matching('阳厨')).toEqual([]);
    expect(d.matching('不存在的店')).toEqual([]);
  });

  it('answers nearby shops within the radius, nearest first', () => {
    const d = new ShopDirectory();
    const centre = { lng: 120.155, lat: 30.274 };
    d.put(shop('远', 'a', 120.17, 30.274), null); // ≈1.4 km
    d.put(shop('近', 'b', 120.1555, 30.274), null); // ≈50 m
    d.put(shop('中', 'c', 120.158, 30.274), null); // ≈290 m
    expect(names(d.near(centre.lng, centre.lat, 500))).toEqual(['近', '中']);
    const all = d.near(centre.lng, centre.lat, 2000);
    expect(names(all)).toEqual(['近', '中', '远']);
    const dist = all.map((e) => distanceMeters(centre, e.est.location));
    expect(dist).toEqual([...dist].sort((a, b) => a - b));
  });

  it('follows changes: a rename, a move, a closure', () => {
    const d = new ShopDirectory();
    const a = shop('旧名餐馆', '示范路1号', 120.155, 30.274);
    d.put(a, null);
    expect(d.near(120.155, 30.274, 100)).toHaveLength(1);
    const v = d.version;
    d.put({ ...a, name: '新名餐馆', location: { ...a.location, lng: 120.2 } } as EstablishmentDoc, null);
    expect(d.version).toBeGreaterThan(v);
    expect(d.matching('旧名')).toEqual([]);
    expect(names(d.matching('新名'))).toEqual(['新名餐馆']);
    expect(d.near(120.155, 30.274, 100)).toEqual([]);
    expect(names(d.near(120.2, 30.274, 100))).toEqual(['新名餐馆']);
    d.put({ ...a, status: 'closed' } as EstablishmentDoc, null);
    expect(d.size).toBe(0);
    expect(d.matching('新名')).toEqual([]);
    expect(d.near(120.2, 30.274, 100)).toEqual([]);
  });

  it('orders by name in Chinese collation', () => {
    const d = new ShopDirectory();
    for (const n of ['张记', '阿里', '白云']) d.put(shop(n, 'x', 120, 30), null);
    expect(names(d.byName([...d.all()]))).toEqual(['阿里', '白云', '张记']);
  });

  it('keeps every shop for codes and regulators, but lists only open and suspended ones to the public', () => {
    const d = new ShopDirectory();
    const open = shop('营业餐馆', '示范路1号', 120.155, 30.274);
    const closed = shop('注销餐馆', '示范路2号', 120.155, 30.274, { status: 'closed' });
    d.putAll([open, closed].map((est) => ({ est, penalisedOn: null })));
    expect(d.size).toBe(1);
    expect(d.total).toBe(2);
    expect(names([...d.all()])).toEqual(['营业餐馆']);
    expect(d.matching('注销')).toEqual([]);
    expect(names(d.near(120.155, 30.274, 100))).toEqual(['营业餐馆']);
    expect(d.idByCode(closed.code)).toBe(String(closed._id));
    expect(d.idByLicence(open.licence.number)).toBe(String(open._id));
    expect(names(d.regulatorList({ text: '注销' }))).toEqual(['注销餐馆']);
    expect(names(d.regulatorList({ text: closed.licence.number.slice(-6) }))).toEqual(['注销餐馆']);
    // A code that changed hands (a rotated licence number): the old one no longer finds the shop.
    d.put({ ...open, licence: { ...open.licence, number: 'JY-NEW' } } as EstablishmentDoc, null);
    expect(d.idByLicence(open.licence.number)).toBeUndefined();
    expect(d.idByLicence('JY-NEW')).toBe(String(open._id));
  });

  it("lists every shop in the regulators' order (district, then name), however shops come, change and go", () => {
    const d = new ShopDirectory();
    const a = shop('张记', 'x', 120, 30, { district: '西湖区' });
    const b = shop('阿里', 'x', 120, 30, { district: '西湖区' });
    const c = shop('白云', 'x', 120, 30, { district: '上城区' });
    d.putAll([a, b].map((est) => ({ est, penalisedOn: null })));
    d.put(c, null);
    const order = () => d.regulatorList({}).map((e) => `${e.est.district}/${e.est.name}`);
    expect(order()).toEqual(['上城区/白云', '西湖区/阿里', '西湖区/张记']);
    d.put({ ...a, name: '艾家' } as EstablishmentDoc, null);
    expect(order()).toEqual(['上城区/白云', '西湖区/阿里', '西湖区/艾家']);
    d.put({ ...c, district: '西湖区' } as EstablishmentDoc, null);
    expect(order()).toEqual(['西湖区/阿里', '西湖区/艾家', '西湖区/白云']);
    expect(names(d.regulatorList({ district: '上城区' }))).toEqual([]);
    d.remove(String(b._id));
    expect(order()).toEqual(['西湖区/艾家', '西湖区/白云']);
  });

  it('bumps only the changed district, and nothing for a copy that changes nothing a list shows', () => {
    const d = new ShopDirectory();
    const a = shop('甲', 'x', 120, 30, { district: '西湖区' });
    const b = shop('乙', 'x', 120, 30, { district: '上城区' });
    d.putAll([a, b].map((est) => ({ est, penalisedOn: null })));
    const west = d.versionOf('西湖区');
    const east = d.versionOf('上城区');
    d.put({ ...a } as EstablishmentDoc, null);
    expect([d.versionOf('西湖区'), d.versionOf('上城区')]).toEqual([west, east]);
    d.put({ ...a, name: '甲改' } as EstablishmentDoc, null);
    expect(d.versionOf('西湖区')).toBeGreaterThan(west);
    expect(d.versionOf('上城区')).toBe(east);
    d.put({ ...a, name: '甲改' } as EstablishmentDoc, '2026-11-01');
    expect(d.versionOf('上城区')).toBe(east);
  });
});

describe('search and the 红黑榜 follow every write at once', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());
  const search = async (query: Record<string, unknown>) =>
    ShopSearchResultSchema.parse((await api.http.get('/api/v1/public/shops').query(query).expect(200)).body);

  it('when a shop is created, renamed, moved and closed, then search and nearby say so in the next answer', async () => {
    const tag = key().slice(0, 6);
    // The directory is built before the shop exists: the event keeps it current.
    await search({ q: '任意' });
    const created = await createShop(api, {
      name: `目录餐馆${tag}`,
      location: { lng: 121.5, lat: 31.2, crs: 'GCJ02' },
    });
    expect((await search({ q: `目录餐馆${tag}` })).items.map((s) => s.id)).toEqual([created.id]);
    await api.http
      .patch(`/api/v1/regulator/establishments/${created.id}`)
      .set(asRegulator)
      .send({ name: `改名餐馆${tag}`, location: { lng: 121.6, lat: 31.2, crs: 'GCJ02' } })
      .expect(200);
    expect((await search({ q: `目录餐馆${tag}` })).total).toBe(0);
    expect((await search({ q: `改名餐馆${tag}` })).total).toBe(1);
    expect((await search({ lng: 121.5, lat: 31.2, radius: 500 })).items.map((s) => s.id)).not.toContain(created.id);
    expect((await search({ lng: 121.6, lat: 31.2, radius: 500 })).items.map((s) => s.id)).toContain(created.id);
    await api.http
      .patch(`/api/v1/regulator/establishments/${created.id}`)
      .set(asRegulator)
      .send({ status: 'closed' })
      .expect(200);
    expect((await search({ q: `改名餐馆${tag}` })).total).toBe(0);
  });
});

describe('two API instances on one database', () => {
  let api: TestApi;
  let second: Awaited<ReturnType<typeof connectDatabase>>;
  let b: ReturnType<typeof supertest>;
  let feeds: ChangeFeed[];
  beforeAll(async () => {
    api = await startTestApi();
    second = await connectDatabase(api.config.mongodb);
    const limiter = createRateLimiter(api.config.rateLimits.limits, api.config.rateLimits.redisUrl);
    b = supertest(createApp({ config: api.config, db: second, logger: pino({ level: 'silent' }), limiter }).callback());
    feeds = [
      await startChangeFeed(api.db, (c) => applyRemoteChange(api.db, c), { intervalMs: 100, origin: 'a' }),
      await startChangeFeed(second, (c) => applyRemoteChange(second, c), { intervalMs: 100, origin: 'b' }),
    ];
  });
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.stop()));
    await second.close();
    await api.close();
  });

  /** Polls an answer for up to `ms` (the feed's promise: within a second). */
  async function within<T>(ms: number, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const searchOn = async (http: ReturnType<typeof supertest>, q: string) =>
    ShopSearchResultSchema.parse((await http.get('/api/v1/public/shops').query({ q }).expect(200)).body);

  it('when a shop is written on one instance, then the other lists and shows it within a second', async () => {
    const tag = key().slice(0, 6);
    // Both directories and profile caches are warm before the writes.
    await searchOn(api.http, tag);
    await searchOn(b, tag);
    const created = await createShop(api, { name: `甲实例餐馆${tag}` });
    const seen = await within(
      1000,
      () => searchOn(b, `甲实例餐馆${tag}`),
      (r) => r.total === 1,
    );
    expect(seen.items.map((s) => s.id)).toEqual([created.id]);
    expect(ShopProfileSchema.parse((await b.get(`/api/v1/public/shops/${created.id}`).expect(200)).body).name).toBe(
      `甲实例餐馆${tag}`,
    );

    // Renamed through the second instance: the first instance's search and cached profile follow.
    await b
      .patch(`/api/v1/regulator/establishments/${created.id}`)
      .set(asRegulator)
      .send({ name: `乙实例改名${tag}` })
      .expect(200);
    const renamed = await within(
      1000,
      () => searchOn(api.http, `乙实例改名${tag}`),
      (r) => r.total === 1,
    );
    expect(renamed.items.map((s) => s.id)).toEqual([created.id]);
    expect((await searchOn(api.http, `甲实例餐馆${tag}`)).total).toBe(0);
    const profile = ShopProfileSchema.parse(
      (await api.http.get(`/api/v1/public/shops/${created.id}`).expect(200)).body,
    );
    expect(profile.name).toBe(`乙实例改名${tag}`);
  });

  it('each change takes its own place in the log, however many instances write at once', async () => {
    const tags = Array.from({ length: 6 }, () => key().slice(0, 6));
    await Promise.all(tags.map((t, i) => createShop(i % 2 ? api : { ...api, http: b }, { name: `并发${t}` })));
    for (const t of tags)
      expect(
        (
          await within(
            1000,
            () => searchOn(api.http, `并发${t}`),
            (r) => r.total === 1,
          )
        ).total,
      ).toBe(1);
    for (const t of tags)
      expect(
        (
          await within(
            1000,
            () => searchOn(b, `并发${t}`),
            (r) => r.total === 1,
          )
        ).total,
      ).toBe(1);
  });
});

describe('the change log between instances', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when entries an instance never read were removed, then it refreshes everything and goes on from the head', async () => {
    const seen: (string | null)[] = [];
    const feed = await startChangeFeed(api.db, (c) => void seen.push(c.shopId), { intervalMs: 60_000, origin: 'me' });
    try {
      const entry = (n: number, shopId: string) => ({
        _id: String(n).padStart(15, '0'),
        shopId,
        reason: 'profile',
        trigger: 'test',
        origin: 'other',
        at: new Date(),
      });
      await changeLogModel(api.db).create(entry(1, 'aaaaaaaaaaaaaaaaaaaaaaaa'));
      await feed.poll();
      expect(seen).toEqual(['aaaaaaaaaaaaaaaaaaaaaaaa']);
      // Entries 2 to 9 were removed before this instance read them.
      await changeLogModel(api.db).create(entry(10, 'bbbbbbbbbbbbbbbbbbbbbbbb'));
      for (let i = 0; i < 40; i += 1) await feed.poll();
      expect(seen).toEqual(['aaaaaaaaaaaaaaaaaaaaaaaa', null]);
      await changeLogModel(api.db).create(entry(11, 'cccccccccccccccccccccccc'));
      await feed.poll();
      expect(seen.at(-1)).toBe('cccccccccccccccccccccccc');
    } finally {
      await feed.stop();
    }
  });
});
