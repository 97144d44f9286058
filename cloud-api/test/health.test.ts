import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ERROR_MESSAGES, HealthSchema } from '@ygsa/shared';
import { createTokenSigner } from '../src/http/tokens';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './helpers';

const LAUNCHER = join(__dirname, '..', '..', '.cache', 'bin', 'ferretdb-launcher');

/** A database process of this test's own, so it can be killed. */
async function ownDatabase(): Promise<{ uri: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ygsa-health-'));
  const child = spawn(LAUNCHER, ['-listen', '127.0.0.1:0', '-data', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`launcher exited ${code}`)));
  });
  return { uri, child, dir };
}

describe('GET /healthz', () => {
  it('when the database answers, then 200 with both parts ok', async () => {
    const api = await startTestApi();
    try {
      const res = await api.http.get('/healthz');
      expect(res.status).toBe(200);
      const health = HealthSchema.parse(res.body);
      expect(health.status).toBe('ok');
      expect(health.api.status).toBe('ok');
      expect(health.database.status).toBe('ok');
      expect(res.headers['cache-control']).toBe('no-store');
    } finally {
      await api.close();
    }
  });

  describe('when the database process is killed', () => {
    let db: Awaited<ReturnType<typeof ownDatabase>>;
    let api: TestApi;
    beforeAll(async () => {
      db = await ownDatabase();
      api = await startTestApi({ MONGODB_URI: db.uri });
      expect((await api.http.get('/healthz')).status).toBe(200);
      db.child.kill('SIGKILL');
      await new Promise((r) => db.child.once('exit', r));
    });
    afterAll(async () => {
      await api.close({ database: false });
      rmSync(db.dir, { recursive: true, force: true });
    });

    it('then /healthz answers 503, with the API up and the database down', async () => {
      const res = await api.http.get('/healthz');
      expect(res.status).toBe(503);
      const health = HealthSchema.parse(res.body);
      expect(health.status).toBe('degraded');
      expect(health.api.status).toBe('ok');
      expect(health.database.status).toBe('down');
    });

    it('then a route that needs the database answers DATABASE_UNAVAILABLE in the error shape', async () => {
      const { token } = createTokenSigner({ secret: TEST_JWT_SECRET, ttlSeconds: 60 }).sign(
        '0123456789abcdef01234567',
        ['diner'],
      );
      const res = await api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        error: { code: 'DATABASE_UNAVAILABLE', message: ERROR_MESSAGES.DATABASE_UNAVAILABLE },
      });
    });
  });
});
