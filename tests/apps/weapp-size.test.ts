import { existsSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MAIN_PACKAGE_LIMIT, weappSizes } = require('../../scripts/lib/weapp-size.cjs') as {
  MAIN_PACKAGE_LIMIT: number;
  weappSizes: (dir: string) => { main: number; total: number };
};

describe.each(['miniprogram-public', 'miniprogram-operator', 'miniprogram-regulator'])('%s weapp build', (app) => {
  const dist = join(__dirname, '..', '..', app, 'dist', 'weapp');

  it('exists (npm test builds it first)', () => {
    expect(existsSync(join(dist, 'app.json'))).toBe(true);
  });

  it("keeps its main package under WeChat's 2 MB limit", () => {
    const { main } = weappSizes(dist);
    expect(main).toBeGreaterThan(10_000); // a real build, not an empty folder
    expect(main).toBeLessThan(MAIN_PACKAGE_LIMIT);
  });
});
