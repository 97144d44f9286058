import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/db';
import { cameraModel, committeeModel, cameraViewModel } from '../src/modules/live/camera.model';
import { signedHlsUrl } from '../src/modules/live/live.service';
import { signIn, testEnv } from './helpers';
import { asRegulator, createShop, key } from './shops';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const media = require('../../scripts/lib/media.cjs') as {
  freePort(): Promise<number>;
  startMediaServer(o: {
    dataDir: string;
    callbackUrl: string;
    callbackToken: string;
    secret: string;
    httpPort?: number;
  }): Promise<{
    rtmpUrl: string;
    hlsUrl: string;
    stop(): Promise<void>;
  }>;
  startSimulatedCamera(o: { rtmpUrl: string; cameraId: string; streamKey: string; label: string }): {
    child: { exitCode: number | null; once(e: 'exit', f: (code: number | null) => void): void };
    stop(): void;
  };
};

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const until = async (check: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
};

describe('live kitchen streams through a real nginx-rtmp', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-media-'));
  let server: Server;
  let mediaServer: Awaited<ReturnType<typeof media.startMediaServer>>;
  let http: import('supertest').Agent;
  let db: Awaited<ReturnType<typeof connectDatabase>>;
  let config: ReturnType<typeof loadConfig>;
  const cameras: ReturnType<typeof media.startSimulatedCamera>[] = [];

  beforeAll(async () => {
    const httpPort = await media.freePort();
    config = loadConfig(
      testEnv({
        MEDIA_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
        MEDIA_SECRET: 'test-media-secret-0123456789',
        MEDIA_CALLBACK_TOKEN: 'test-media-callback-0123456789',
      }),
    );
    db = await connectDatabase(config.mongodb);
    const app = createApp({ config, db, logger: pino({ level: 'silent' }) });
    server = createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    mediaServer = await media.startMediaServer({
      dataDir,
      callbackUrl: `${apiUrl}/api/v1/media`,
      callbackToken: config.media.callbackToken,
      secret: config.media.secret,
      httpPort,
    });
    const supertest = (await import('supertest')).default;
    http = supertest.agent(server);
  }, 30_000);

  afterAll(async () => {
    for (const c of cameras) c.stop();
    await mediaServer?.stop();
    await new Promise((r) => server?.close(r));
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unknown stream key; lets the right one publish, serves only signed, unexpired addresses', async () => {
    const shop = await createShop({ http } as never, { name: '直播餐馆', openingHours: '00:00-24:00' });
    const cam = await http
      .post(`/api/v1/regulator/establishments/${shop.id}/cameras`)
      .set(asRegulator)
      .send({ name: '后厨1', zone: 'cooking' });
    expect(cam.status).toBe(201);

    const intruder = media.startSimulatedCamera({
      rtmpUrl: mediaServer.rtmpUrl,
      cameraId: cam.body.id,
      streamKey: 'wrong-key',
      label: 'x',
    });
    cameras.push(intruder);
    const code = await new Promise<number | null>((r) => intruder.child.once('exit', r));
    expect(code).not.toBe(0);

    cameras.push(
      media.startSimulatedCamera({
        rtmpUrl: mediaServer.rtmpUrl,
        cameraId: cam.body.id,
        streamKey: cam.body.streamKey,
        label: '烹饪区',
      }),
    );
    expect(await until(async () => !!(await cameraModel(db).findById(cam.body.id).lean())?.online)).toBe(true);

    const viewer = await signIn({ http } as never, 'public', `viewer-${key()}`);
    const url = await http.get(`/api/v1/live/cameras/${cam.body.id}/url`).set(auth(viewer.token));
    expect(url.status).toBe(200);
    expect(url.body.url).not.toContain(cam.body.streamKey);
    expect(await until(async () => (await fetch(url.body.url)).status === 200)).toBe(true);
    expect(await (await fetch(url.body.url)).text()).toContain('#EXTM3U');
    expect(await cameraViewModel(db).countDocuments({ cameraId: cam.body.id })).toBeGreaterThan(0);

    const tampered = url.body.url.replace(
      /\/hls\/(\d+)\/(.)/,
      (_m: string, e: string, c: string) => `/hls/${e}/${c === 'A' ? 'B' : 'A'}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    const expired = signedHlsUrl(
      config.media,
      cam.body.id,
      new Date(Date.now() - 2 * config.media.urlTtlSeconds * 1000),
    );
    expect((await fetch(expired.url)).status).toBe(403);
  }, 60_000);

  it('applies the policy: outside hours refused; school streams for committee members and regulators only', async () => {
    const shop = await createShop({ http } as never, { name: '早餐铺', openingHours: '00:00-00:01' });
    const school = await createShop({ http } as never, {
      name: '实验小学食堂',
      businessType: 'school_canteen',
      dinersPerMeal: 600,
    });
    const shopCam = await http
      .post(`/api/v1/regulator/establishments/${shop.id}/cameras`)
      .set(asRegulator)
      .send({ name: '前台后厨', zone: 'prep' });
    const schoolCam = await http
      .post(`/api/v1/regulator/establishments/${school.id}/cameras`)
      .set(asRegulator)
      .send({ name: '食堂后厨', zone: 'cooking' });
    await cameraModel(db).updateMany({}, { $set: { online: true } });
    const parent = await signIn({ http } as never, 'public', `parent-${key()}`);
    const stranger = await signIn({ http } as never, 'public', `stranger-${key()}`);

    const closed = await http.get(`/api/v1/live/cameras/${shopCam.body.id}/url`).set(auth(stranger.token));
    expect(closed.status).toBe(403);
    expect(closed.body.error.message).toContain('不在营业时间');

    const refused = await http.get(`/api/v1/live/cameras/${schoolCam.body.id}/url`).set(auth(stranger.token));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('学校食堂直播仅向本校家委会成员开放');

    await committeeModel(db).create({
      establishmentId: school.id,
      userId: parent.user.id,
      joinedAt: new Date(),
      revokedAt: null,
    });
    const allowed = await http.get(`/api/v1/live/cameras/${schoolCam.body.id}/url`).set(auth(parent.token));
    expect(allowed.status).toBe(200);
    expect(allowed.body.watermark).toContain('家委会');

    await committeeModel(db).updateOne({ userId: parent.user.id }, { $set: { revokedAt: new Date() } });
    expect((await http.get(`/api/v1/live/cameras/${schoolCam.body.id}/url`).set(auth(parent.token))).status).toBe(403);
    expect((await http.get(`/api/v1/live/cameras/${schoolCam.body.id}/url`).set(asRegulator)).status).toBe(200);
  });

  it('refuses media callbacks without the shared token', async () => {
    const res = await http
      .post('/api/v1/media/on-publish?token=wrong')
      .type('form')
      .send('name=cam_0123456789abcdef01234567&key=x');
    expect(res.status).toBe(403);
  });
});

describe("parents' committee", () => {
  it("when the school's owner invites a parent, then the parent joins from the public app; the school can remove them", async () => {
    const { startTestApi } = await import('./helpers');
    const api = await startTestApi();
    try {
      const school = await createShop(api, {
        name: '第一小学食堂',
        businessType: 'school_canteen',
        dinersPerMeal: 900,
      });
      const ownerCode = await api.http
        .post(`/api/v1/regulator/establishments/${school.id}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner' });
      const owner = await signIn(api, 'operator', `school-owner-${key()}`);
      await api.http
        .post('/api/v1/operator/bind')
        .set(auth(owner.token))
        .send({ code: ownerCode.body.code })
        .expect(200);
      const inv = await api.http
        .post(`/api/v1/operator/shops/${school.id}/committee-invitations`)
        .set(auth(owner.token))
        .send({ maxUses: 2 });
      expect(inv.status).toBe(201);
      expect(inv.body.roleLabel).toBe('家委会成员');
      // A parent code cannot make someone staff of the school.
      const staffTry = await signIn(api, 'operator', `sneaky-${key()}`);
      expect(
        (await api.http.post('/api/v1/operator/bind').set(auth(staffTry.token)).send({ code: inv.body.code })).status,
      ).toBe(409);

      const parent = await signIn(api, 'public', `parent-${key()}`);
      const joined = await api.http
        .post('/api/v1/committee/join')
        .set(auth(parent.token))
        .send({ code: inv.body.code.toLowerCase() });
      expect(joined.status).toBe(200);
      expect(joined.body.name).toBe('第一小学食堂');
      expect((await api.http.get('/api/v1/committee/mine').set(auth(parent.token))).body).toEqual([
        expect.objectContaining({ id: school.id, name: '第一小学食堂' }),
      ]);
      const list = await api.http.get(`/api/v1/operator/shops/${school.id}/committee`).set(auth(owner.token));
      expect(list.body).toEqual([expect.objectContaining({ userId: parent.user.id, revoked: false })]);
      await api.http
        .delete(`/api/v1/operator/shops/${school.id}/committee/${parent.user.id}`)
        .set(auth(owner.token))
        .expect(204);
      expect((await api.http.get('/api/v1/committee/mine').set(auth(parent.token))).body).toEqual([]);

      const restaurant = await createShop(api, { name: '普通餐馆' });
      const rCode = await api.http
        .post(`/api/v1/regulator/establishments/${restaurant.id}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner' });
      const rOwner = await signIn(api, 'operator', `r-owner-${key()}`);
      await api.http.post('/api/v1/operator/bind').set(auth(rOwner.token)).send({ code: rCode.body.code }).expect(200);
      expect(
        (
          await api.http
            .post(`/api/v1/operator/shops/${restaurant.id}/committee-invitations`)
            .set(auth(rOwner.token))
            .send({})
        ).status,
      ).toBe(409);
    } finally {
      await api.close();
    }
  });
});
