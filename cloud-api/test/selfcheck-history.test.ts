import { Types } from 'mongoose';
import { ChainVerificationSchema } from '@ygsa/shared';
import { importSelfCheckHistory, type HistoricRecord } from '../src/modules/selfchecks/history.service';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop } from './shops';

describe("a shop's self-check history brought in at once", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const days = (n: number): HistoricRecord[] =>
    Array.from({ length: n }, (_, i) => {
      const at = new Date(Date.UTC(2026, 0, 1 + i, 2));
      return {
        kind: 'daily',
        period: at.toISOString().slice(0, 10),
        content: { zeroRisk: true, items: [] },
        submittedBy: '65a000000000000000000009',
        role: 'owner',
        submittedAt: at,
        late: false,
      };
    });

  it('when a year is imported, then it is the start of an intact chain, and a second import is refused', async () => {
    const shop = await createShop(api);
    const id = new Types.ObjectId(shop.id);
    // Given out of order: the chain follows the time each was made.
    expect(await importSelfCheckHistory(api.db, id, days(365).reverse())).toBe(365);
    const verify = await api.http
      .get(`/api/v1/regulator/establishments/${shop.id}/self-checks/verify`)
      .set(asRegulator)
      .expect(200);
    expect(ChainVerificationSchema.parse(verify.body)).toEqual({ records: 365, intact: true, breaks: [] });
    await expect(importSelfCheckHistory(api.db, id, days(3))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
