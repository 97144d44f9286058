import { Types } from 'mongoose';
import { DEFAULT_DAILY_CHECKLIST, DashboardSchema, ShopProfileSchema, addDays, chinaDate } from '@ygsa/shared';
import { buildAllLedgers, ledgerOf } from '../src/modules/selfchecks/ledger';
import { selfCheckLedgerModel } from '../src/modules/selfchecks/selfcheck.model';
import { buildAllRecordLedgers, recordLedgerOf } from '../src/modules/records/record.ledger';
import { recordLedgerModel } from '../src/modules/records/record.models';
import { buildAllRosters, offRoster } from '../src/modules/members/member.roster';
import { rosterModel } from '../src/modules/members/member.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, inspect, key } from './shops';

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const today = chinaDate(new Date());

/**
 * The per-shop ledgers (self-checks, records) are read models: whatever happens to them, what the
 * pages show is what the records say — a lost ledger is rebuilt, a database that had records before
 * ledgers existed gets them built once at start.
 */
describe('per-shop ledgers', () => {
  let api: TestApi;
  let shopId: string;
  let owner: { token: string };
  beforeAll(async () => {
    api = await startTestApi();
    shopId = (await createShop(api, { name: '台账小店' })).id;
    owner = await signIn(api, 'operator', `ledger-owner-${key()}`);
    const inv = await api.http
      .post(`/api/v1/regulator/establishments/${shopId}/invitations`)
      .set(asRegulator)
      .send({ role: 'owner' });
    await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
    const items = DEFAULT_DAILY_CHECKLIST.map((c) => ({ code: c.code, result: 'pass' }));
    await api.http
      .post(`/api/v1/operator/shops/${shopId}/self-checks/daily`)
      .set(auth(owner.token))
      .send({ idempotencyKey: key(), date: today, zeroRisk: true, items: items.filter((i) => !i.code) })
      .expect(201);
    await inspect(api, shopId, addDays(today, -3), 92, ['后厨地面湿滑']);
  });
  afterAll(() => api.close());

  const dashboard = async () =>
    DashboardSchema.parse(
      (await api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(owner.token)).expect(200)).body,
    );
  const profile = async () =>
    ShopProfileSchema.parse((await api.http.get(`/api/v1/public/shops/${shopId}`).expect(200)).body);

  it('when a ledger is lost, then the pages still say what the records say, and the ledger is back', async () => {
    const before = { tasks: (await dashboard()).tasks, inspections: (await profile()).inspections };
    expect(before.tasks[0]).toMatchObject({ kind: 'daily', done: true });
    expect(before.inspections[0]).toMatchObject({ score: 92, keyFindings: ['后厨地面湿滑'] });
    const id = new Types.ObjectId(shopId);
    await selfCheckLedgerModel(api.db).deleteOne({ _id: id });
    await recordLedgerModel(api.db).deleteOne({ _id: id });
    expect((await dashboard()).tasks).toEqual(before.tasks);
    expect((await selfCheckLedgerModel(api.db).exists({ _id: id })) !== null).toBe(true);
    await api.http.patch(`/api/v1/regulator/establishments/${shopId}`).set(asRegulator).send({ name: '台账小店2' });
    expect((await profile()).inspections).toEqual(before.inspections);
    expect((await recordLedgerModel(api.db).exists({ _id: id })) !== null).toBe(true);
  });

  it('when the API starts on a database whose records predate the ledgers, then each shop gets its ledgers once', async () => {
    const id = new Types.ObjectId(shopId);
    const selfChecks = await ledgerOf(api.db, id);
    const records = await recordLedgerOf(api.db, id);
    await selfCheckLedgerModel(api.db).deleteMany({});
    await recordLedgerModel(api.db).deleteMany({});
    expect(await buildAllLedgers(api.db)).toBeGreaterThanOrEqual(1);
    expect(await buildAllRecordLedgers(api.db)).toBeGreaterThanOrEqual(1);
    expect(await ledgerOf(api.db, id)).toEqual(selfChecks);
    expect(await recordLedgerOf(api.db, id)).toEqual(records);
    // Done once: from now on a shop without a ledger has no records, and nothing is searched.
    expect(await buildAllLedgers(api.db)).toBe(0);
    const fresh = new Types.ObjectId();
    expect(await ledgerOf(api.db, fresh)).toEqual({ _id: fresh, chain: {}, recent: {}, periods: {} });
  });

  it('the roster answers who may act; a lost or half-written roster never grants more than the memberships', async () => {
    const id = new Types.ObjectId(shopId);
    const stranger = await signIn(api, 'operator', `ledger-stranger-${key()}`);
    const asOwner = () => api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(owner.token));
    const asStranger = () => api.http.get(`/api/v1/operator/shops/${shopId}/dashboard`).set(auth(stranger.token));
    expect((await asOwner()).status).toBe(200);
    expect((await asStranger()).status).toBe(403);
    // Lost: the memberships answer, and the roster is back.
    await rosterModel(api.db).deleteMany({});
    expect((await asOwner()).status).toBe(200);
    expect((await asStranger()).status).toBe(403);
    const ownerId = (await rosterModel(api.db).findById(id).lean())?.members ?? {};
    expect(Object.values(ownerId)).toEqual(['owner']);
    // A writer stopped after taking someone off the roster: the membership still stands, so do they.
    await offRoster(api.db, id, new Types.ObjectId(Object.keys(ownerId)[0]));
    expect((await asOwner()).status).toBe(200);
    // Built once at start for a database older than the rosters.
    await rosterModel(api.db).deleteMany({});
    expect(await buildAllRosters(api.db)).toBeGreaterThanOrEqual(1);
    expect(Object.values((await rosterModel(api.db).findById(id).lean())?.members ?? {})).toEqual(['owner']);
  });
});
