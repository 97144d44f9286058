import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/db';
import { cameraModel, cameraViewModel } from '../src/modules/live/camera.model';
import { committeeModel } from '../src/modules/members/committee.model';
import { signedHlsUrl } from '../src/modules/live/live.service';
import { TEST_REGULATOR_ID, signIn, testEnv } from './helpers';
import { ensureRegulatorAccount } from '../src/modules/regulators/regulator.service';
import { startStandIn, type StandIn } from './wechat-stand-in';
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
    heartbeatSeconds?: number;
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
  let wechat: StandIn;

  beforeAll(async () => {
    const httpPort = await media.freePort();
    wechat = await startStandIn();
    config = loadConfig(
      testEnv({
        WECHAT_API_BASE: wechat.url,
        MEDIA_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
        MEDIA_SECRET: 'test-media-secret-0123456789',
        MEDIA_CALLBACK_TOKEN: 'test-media-callback-0123456789',
      }),
    );
    db = await connectDatabase(config.mongodb);
    await ensureRegulatorAccount(db, TEST_REGULATOR_ID, { name: '测试管理员', role: 'city_admin' });
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
      heartbeatSeconds: 2,
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
    await wechat?.fake.close();
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

    const viewer = await signIn({ http, wechat } as never, 'public', `viewer-${key()}`);
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
    const parent = await signIn({ http, wechat } as never, 'public', `parent-${key()}`);
    const stranger = await signIn({ http, wechat } as never, 'public', `stranger-${key()}`);

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

  it('drops a stream whose key was rotated, marks the camera offline and lists its recording on a signed address', async () => {
    const shop = await createShop({ http } as never, { name: '录像餐馆', openingHours: '00:00-24:00' });
    const cam = await http
      .post(`/api/v1/regulator/establishments/${shop.id}/cameras`)
      .set(asRegulator)
      .send({ name: '洗消间', zone: 'washing' });
    const camera = media.startSimulatedCamera({
      rtmpUrl: mediaServer.rtmpUrl,
      cameraId: cam.body.id,
      streamKey: cam.body.streamKey,
      label: '洗消区',
    });
    cameras.push(camera);
    const exited = new Promise<number | null>((r) => camera.child.once('exit', r));
    expect(await until(async () => !!(await cameraModel(db).findById(cam.body.id).lean())?.online)).toBe(true);
    const seen = (await cameraModel(db).findById(cam.body.id).lean())?.lastSeenAt?.getTime() ?? 0;
    // Heartbeats (on_update every 2 s here) keep "last seen" fresh while it publishes.
    expect(
      await until(
        async () => ((await cameraModel(db).findById(cam.body.id).lean())?.lastSeenAt?.getTime() ?? 0) > seen,
      ),
    ).toBe(true);

    await http.post(`/api/v1/regulator/cameras/${cam.body.id}/rotate-key`).set(asRegulator).expect(200);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise((r) => (timer = setTimeout(() => r(false), 15_000)));
    expect(await Promise.race([exited.then(() => true), gaveUp])).toBe(true);
    clearTimeout(timer);
    expect(await until(async () => (await cameraModel(db).findById(cam.body.id).lean())?.online === false)).toBe(true);

    let recordings: { file: string; url: string; startedAt: string }[] = [];
    await until(async () => {
      const res = await http.get(`/api/v1/regulator/cameras/${cam.body.id}/recordings`).set(asRegulator);
      recordings = res.body as typeof recordings;
      return recordings.length > 0;
    });
    expect(recordings).toHaveLength(1);
    expect(recordings[0]?.file).toMatch(new RegExp(`^cam_${cam.body.id}-\\d{8}-\\d{6}\\.flv$`));
    expect(Math.abs(Date.parse(recordings[0]?.startedAt ?? '') - Date.now())).toBeLessThan(120_000);
    const file = await fetch(recordings[0]?.url ?? '');
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 3)
        .toString(),
    ).toBe('FLV');
    expect((await fetch((recordings[0]?.url ?? '').replace(/\/rec\/\d+/, '/rec/1'))).status).toBe(403);
    const viewer = await signIn({ http, wechat } as never, 'public', `rec-${key()}`);
    expect((await http.get(`/api/v1/regulator/cameras/${cam.body.id}/recordings`).set(auth(viewer.token))).status).toBe(
      403,
    );
  }, 60_000);

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
      const nameless = await api.http
        .post('/api/v1/committee/join')
        .set(auth(parent.token))
        .send({ code: inv.body.code });
      expect(nameless.status).toBe(400);
      const joined = await api.http
        .post('/api/v1/committee/join')
        .set(auth(parent.token))
        .send({ code: inv.body.code.toLowerCase(), name: '张家长', grade: '三年级二班' });
      expect(joined.status).toBe(200);
      expect(joined.body.name).toBe('第一小学食堂');
      expect((await api.http.get('/api/v1/committee/mine').set(auth(parent.token))).body).toEqual([
        expect.objectContaining({ id: school.id, name: '第一小学食堂' }),
      ]);
      const list = await api.http.get(`/api/v1/operator/shops/${school.id}/committee`).set(auth(owner.token));
      expect(list.body.members).toEqual([
        expect.objectContaining({ userId: parent.user.id, name: '张家长', grade: '三年级二班', revoked: false }),
      ]);
      expect(list.body.summary).toEqual({ active: 1, grades: ['三年级二班'], hasConvener: false, formed: false });
      const convener = await api.http
        .post(`/api/v1/operator/shops/${school.id}/committee/${parent.user.id}/convener`)
        .set(auth(owner.token));
      expect(convener.body.members[0].convener).toBe(true);
      expect(convener.body.summary).toMatchObject({ hasConvener: true, formed: false }); // 7 members are needed
      // A parent cannot see the list.
      expect((await api.http.get(`/api/v1/operator/shops/${school.id}/committee`).set(auth(parent.token))).status).toBe(
        403,
      );
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

describe('camera health', () => {
  it('raises an alert after 10 minutes offline in opening hours, a rectification reminder after 2 hours, and closes it when the camera is back', async () => {
    const { startTestApi } = await import('./helpers');
    const { createWeChatClient } = await import('../src/integrations/wechat.client');
    const { checkCameraHealth } = await import('../src/modules/live/camera-health.service');
    const { userModel } = await import('../src/modules/auth/user.model');
    const api = await startTestApi({ MEDIA_CALLBACK_TOKEN: 'test-media-callback-0123456789' });
    try {
      const shop = await createShop(api, { name: '午市餐馆', openingHours: '10:00-14:00' });
      const inv = await api.http
        .post(`/api/v1/regulator/establishments/${shop.id}/invitations`)
        .set(asRegulator)
        .send({ role: 'owner' });
      const ownerName = `cam-owner-${key()}`;
      const owner = await signIn(api, 'operator', ownerName);
      await api.http.post('/api/v1/operator/bind').set(auth(owner.token)).send({ code: inv.body.code }).expect(200);
      await api.wechat.consent('operator', ownerName, ['cameraAlert'], 2);
      const cam = await api.http
        .post(`/api/v1/regulator/establishments/${shop.id}/cameras`)
        .set(asRegulator)
        .send({ name: '热菜灶台', zone: 'cooking' });
      const at = (china: string) => new Date(`2026-11-20T${china}:00+08:00`);
      // Went offline the evening before, while the shop was closed.
      await cameraModel(api.db).updateOne(
        { _id: cam.body.id },
        { $set: { online: false, lastSeenAt: new Date('2026-11-19T21:00:00+08:00') } },
      );
      const deps = { db: api.db, wechat: createWeChatClient(api.config.wechat), config: api.config };

      expect((await checkCameraHealth(deps, at('09:00'))).opened).toBe(0); // closed
      expect((await checkCameraHealth(deps, at('10:05'))).opened).toBe(0); // open 5 minutes: grace
      expect(await checkCameraHealth(deps, at('10:11'))).toMatchObject({ opened: 1, notified: 1 });
      expect(await checkCameraHealth(deps, at('10:20'))).toMatchObject({ opened: 0, notified: 0 });

      const list = await api.http.get(`/api/v1/operator/shops/${shop.id}/camera-alerts`).set(auth(owner.token));
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        expect.objectContaining({ cameraId: cam.body.id, cameraName: '热菜灶台', zoneLabel: '烹饪区', level: 'alert' }),
      ]);

      expect(await checkCameraHealth(deps, at('12:12'))).toMatchObject({ escalated: 1, notified: 1 });
      const openid = (await userModel(api.db).findById(owner.user.id).lean())?.openid as string;
      const inbox = { messages: api.wechat.inboxOf(openid) };
      expect(inbox.messages.map((m) => m.data.thing3?.value)).toEqual([
        '营业时间摄像头离线，请检查',
        '长时间离线，请立即整改',
      ]);
      expect(inbox.messages[0]?.page).toBe(`more/cameras/index?shop=${shop.id}`);
      expect(inbox.messages[0]?.data.time4?.value).toBe('2026-11-19 21:00');
      const { noticeModel } = await import('../src/modules/enforcement/enforcement.models');
      const notices = await noticeModel(api.db).find({ establishmentId: shop.id }).lean();
      expect(notices).toEqual([expect.objectContaining({ topic: 'camera_offline', source: 'camera', status: 'open' })]);
      expect(notices[0]?.reason).toContain('热菜灶台');
      const regulatorView = await api.http.get('/api/v1/regulator/camera-alerts').set(asRegulator);
      expect(regulatorView.body).toEqual([expect.objectContaining({ shopName: '午市餐馆', level: 'rectify' })]);

      // Someone else's operator cannot read this shop's alerts.
      const stranger = await signIn(api, 'operator', `cam-stranger-${key()}`);
      expect(
        (await api.http.get(`/api/v1/operator/shops/${shop.id}/camera-alerts`).set(auth(stranger.token))).status,
      ).toBe(403);

      // The camera publishes again: nginx's heartbeat closes the alert.
      await api.http
        .post(`/api/v1/media/on-update?token=${api.config.media.callbackToken}`)
        .type('form')
        .send(`call=update_publish&name=cam_${cam.body.id}&key=${cam.body.streamKey}`)
        .expect(200);
      const after = await api.http.get(`/api/v1/operator/shops/${shop.id}/camera-alerts`).set(auth(owner.token));
      expect(after.body).toEqual([expect.objectContaining({ level: 'resolved' })]);

      // A camera whose heartbeats stopped (nginx died without saying so) is marked offline.
      await cameraModel(api.db).updateOne(
        { _id: cam.body.id },
        { $set: { online: true, lastSeenAt: new Date(at('13:00').getTime() - 5 * 60_000) } },
      );
      expect((await checkCameraHealth(deps, at('13:00'))).silenced).toBe(1);
      expect((await cameraModel(api.db).findById(cam.body.id).lean())?.online).toBe(false);
    } finally {
      await api.close();
    }
  });
});
