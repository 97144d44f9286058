import { nextSerial } from '../src/data/serials';
import { startTestApi, type TestApi } from './helpers';

describe('document numbers: the day’s sequence per kind', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when fifty numbers are taken at once, then they are the day’s first fifty, each once', async () => {
    const day = new Date('2026-12-06T04:00:00Z');
    const numbers = await Promise.all(Array.from({ length: 50 }, () => nextSerial(api.db, 'TS', day)));
    expect(new Set(numbers).size).toBe(50);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `TS20261206${String(i + 1).padStart(5, '0')}`),
    );
  });

  it('when another kind or another day asks, then its own sequence starts; a separator goes between date and sequence', async () => {
    expect(await nextSerial(api.db, 'ZG', new Date('2026-12-06T04:00:00Z'), '-')).toBe('ZG20261206-00001');
    // 00:30 in China (16:30 UTC) is the next day: its first number.
    expect(await nextSerial(api.db, 'TS', new Date('2026-12-06T16:30:00Z'))).toBe('TS2026120700001');
  });
});
