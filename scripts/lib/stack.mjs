// @ts-check
// The whole product on one machine: the database (embedded FerretDB unless MONGODB_URI is set),
// the fake WeChat server, the API, the media server with its simulated cameras and the web server
// of the H5 builds. `npm start` and the end-to-end tests both start it through here. Every child
// process runs under supervise(): one that dies is started again, on the same port and data.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeWeChat } from '../fake-wechat.mjs';
import { startApi, seedDemo } from './api-process.mjs';
import { DEV_WECHAT_APPS } from './dev-config.mjs';
import { pagePath } from '@ygsa/shared';
import { startFerretDB } from './ferretdb.mjs';
import { freePort, startMediaServer, startSimulatedCamera } from './media.cjs';
import { ROOT } from './paths.mjs';
import { supervise } from './supervise.cjs';
import { startWebServer } from './web-server.mjs';

/** A secret made once per data folder, so tokens survive restarts but no two installs share one. */
function localSecret(/** @type {string} */ dataDir, /** @type {string} */ name) {
  const file = join(dataDir, 'secrets.json');
  /** @type {Record<string, string>} */
  const secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString('base64url');
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets[name];
}

/**
 * @param {{
 *   dataDir: string,
 *   mongodbUri?: string,
 *   dbName?: string,
 *   apiPort?: number,
 *   webPort?: number,
 *   host?: string,
 *   seed?: boolean,
 *   logLevel?: string,
 *   media?: boolean,
 *   apiEnv?: Record<string, string>,
 *   apiInstances?: number,
 *   wechat?: import('./fake-wechat.cjs').FakeOptions,
 *   log?: (m: string) => void,
 * }} opts
 */
export async function startStack(opts) {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  // Aborted first thing on stop: from then on an exit is expected (Ctrl-C reaches every child at
  // once), so nothing restarts while the children are stopped one by one.
  const halt = new AbortController();
  const stop = async () => {
    halt.abort();
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  /**
   * @template {import('./supervise.cjs').Child} C
   * @param {string} name @param {() => Promise<C>} start
   */
  const supervised = async (name, start) => {
    const s = await supervise({ name, start, log, signal: halt.signal });
    stops.push(() => s.stop());
    return s;
  };

  try {
    let mongodbUri = opts.mongodbUri;
    let database;
    if (!mongodbUri) {
      // One port for the life of the stack, so a restarted database is where the API looks.
      const listen = `127.0.0.1:${await freePort()}`;
      const dataDir = join(opts.dataDir, 'db');
      database = await supervised('database', () => startFerretDB({ dataDir, listen }));
      mongodbUri = /** @type {NonNullable<typeof database.current>} */ (database.current).uri;
      log(`database: FerretDB (embedded) at ${mongodbUri}, data in ${dataDir}`);
    } else {
      log(`database: ${mongodbUri.replace(/\/\/[^@/]*@/, '//***@')}`);
    }

    const fake = createFakeWeChat(opts.wechat);
    const fakeWeChatUrl = await fake.listen(0, host);
    stops.push(() => fake.close());

    let apiUrl = '';
    /** Every API instance's address: the web server hands requests to them in turn. */
    /** @type {string[]} */
    const apiUrls = [];
    let turn = 0;
    let mediaUrl = '';
    const web = await startWebServer({
      host,
      port: opts.webPort ?? 0,
      apps: {
        public: join(ROOT, 'miniprogram-public', 'dist', 'h5'),
        operator: join(ROOT, 'miniprogram-operator', 'dist', 'h5'),
        regulator: join(ROOT, 'miniprogram-regulator', 'dist', 'h5'),
      },
      // The API starts after the web server (it needs the public URL for its QR codes).
      apiUrl: () => (apiUrls.length > 1 ? (apiUrls[(turn += 1) % apiUrls.length] ?? apiUrl) : apiUrl),
      mediaUrl: () => mediaUrl,
      fakeWeChatUrl,
      printedCodes: { app: 'public', page: pagePath('public', 'shop') },
    });
    stops.push(() => web.close());

    // nginx calls the API when a camera publishes, so the API's port is chosen before either starts.
    const apiPort = opts.apiPort || /** @type {number} */ (await freePort());
    const mediaSecret = localSecret(opts.dataDir, 'media');
    const callbackToken = localSecret(opts.dataDir, 'mediaCallback');
    let mediaServer;
    let rtmpUrl = '';
    const hasMediaTools = existsSync('/usr/lib/nginx/modules/ngx_rtmp_module.so') && existsSync('/usr/bin/ffmpeg');
    if (opts.media !== false && !hasMediaTools) {
      log(
        'live video is off: install nginx, libnginx-mod-rtmp, ffmpeg and fonts-noto-cjk (Debian packages; .ci/run does) to turn it on',
      );
    }
    if (opts.media !== false && hasMediaTools) {
      const media = {
        dataDir: opts.dataDir,
        callbackUrl: `http://${host}:${apiPort}/api/v1/media`,
        callbackToken,
        secret: mediaSecret,
        // Chosen once: cameras publish to, and the web server forwards to, the same ports after a restart.
        rtmpPort: /** @type {number} */ (await freePort()),
        httpPort: /** @type {number} */ (await freePort()),
      };
      mediaServer = await supervised('media server', () => startMediaServer(media));
      const m = /** @type {NonNullable<typeof mediaServer.current>} */ (mediaServer.current);
      rtmpUrl = m.rtmpUrl;
      mediaUrl = m.hlsUrl;
      log(`media server: nginx-rtmp, RTMP ${m.rtmpUrl}, HLS ${m.hlsUrl}`);
    }

    // The WeChat stand-in's console pushes content-check verdicts to this API, which it also fetches photos from.
    const apiBase = `http://${host}:${apiPort}`;
    for (const app of /** @type {const} */ (['public', 'operator', 'regulator']))
      fake.setPushUrl(DEV_WECHAT_APPS[app].appid, `${apiBase}/api/v1/wechat/push/${app}`);

    /** @type {NodeJS.ProcessEnv} */
    const apiEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: host,
      PORT: String(apiPort),
      LOG_LEVEL: opts.logLevel ?? 'info',
      MONGODB_URI: mongodbUri,
      MONGODB_DB: opts.dbName ?? 'ygsa',
      JWT_SECRET: localSecret(opts.dataDir, 'jwt'),
      QR_SECRET: localSecret(opts.dataDir, 'qr'),
      PUBLIC_APP_URL: `${web.url}/public/`,
      API_PUBLIC_URL: apiBase,
      // Messages open the development build (WeChat DevTools) rather than a released one.
      WECHAT_MINIPROGRAM_STATE: 'developer',
      UPLOAD_DIR: join(opts.dataDir, 'uploads'),
      ...opts.apiEnv,
      MEDIA_SECRET: mediaSecret,
      MEDIA_CALLBACK_TOKEN: callbackToken,
      // Players fetch HLS through the web server (same origin as the H5 pages).
      MEDIA_PUBLIC_URL: web.url,
      WECHAT_API_BASE: fakeWeChatUrl,
      WECHAT_PUBLIC_APPID: DEV_WECHAT_APPS.public.appid,
      WECHAT_PUBLIC_SECRET: DEV_WECHAT_APPS.public.secret,
      WECHAT_OPERATOR_APPID: DEV_WECHAT_APPS.operator.appid,
      WECHAT_OPERATOR_SECRET: DEV_WECHAT_APPS.operator.secret,
      WECHAT_REGULATOR_APPID: DEV_WECHAT_APPS.regulator.appid,
      WECHAT_REGULATOR_SECRET: DEV_WECHAT_APPS.regulator.secret,
    };

    /** @type {{ name: string, grade: string, url: string, printed: string }[]} */
    let demoShops = [];
    /** @type {string | undefined} */
    let regulatorToken;
    /** @type {{ id: string, streamKey: string, label: string }[]} */
    let cameras = [];
    /** @type {{ shop: string, code: string } | null} */
    let demoOwner = null;
    /** @type {{ code: string, expiresAt: string } | null} */
    let bootstrap = null;
    if (opts.seed !== false) {
      const result =
        /** @type {{ applied: string[], shops: { name: string, grade: string, scene: string, printed: string }[], regulatorToken?: string }} */ (
          await seedDemo(apiEnv)
        );
      regulatorToken = result.regulatorToken;
      cameras = /** @type {{ cameras?: typeof cameras }} */ (result).cameras ?? [];
      demoOwner = /** @type {{ owner?: typeof demoOwner }} */ (result).owner ?? null;
      bootstrap = /** @type {{ bootstrap?: typeof bootstrap }} */ (result).bootstrap ?? null;
      log(result.applied.length ? `demo data loaded: ${result.applied.join(', ')}` : 'demo data: already loaded');
      // Each demo link enters the shop page the way a 小程序码 does: its page with `scene`.
      demoShops = result.shops.map((s) => ({
        name: s.name,
        grade: s.grade,
        url: `${web.url}/public/#/${pagePath('public', 'shop', { scene: s.scene })}`,
        printed: s.printed,
      }));
    }

    const logFile = join(opts.dataDir, 'logs', 'api.log');
    const api = await supervised('cloud-api', () => startApi({ env: apiEnv, logFile }));
    // A restarted API listens on the same port (PORT above), so its URL never changes.
    apiUrl = /** @type {NonNullable<typeof api.current>} */ (api.current).url;
    apiUrls.push(apiUrl);
    // More instances on the same database (a city's deployment runs several behind its proxy).
    /** @type {{ name: string, pid: number | undefined, restarts: number }[]} */
    const moreApis = [];
    for (let i = 2; i <= (opts.apiInstances ?? 1); i += 1) {
      const env = { ...apiEnv, PORT: String(await freePort()) };
      const more = await supervised(`cloud-api ${i}`, () =>
        startApi({ env, logFile: join(opts.dataDir, 'logs', `api-${i}.log`) }),
      );
      apiUrls.push(/** @type {NonNullable<typeof more.current>} */ (more.current).url);
      moreApis.push(more);
    }

    // One simulated kitchen camera (ffmpeg test pattern with its name and a clock) per demo camera.
    /** @type {{ name: string, pid: number | undefined, restarts: number }[]} */
    const cameraProcesses = [];
    if (mediaServer) {
      for (const c of cameras) {
        const o = { rtmpUrl, cameraId: c.id, streamKey: c.streamKey, label: c.label };
        cameraProcesses.push(await supervised(`camera ${c.label}`, async () => startSimulatedCamera(o)));
      }
      if (cameras.length) log(`simulated cameras: ${cameras.map((c) => c.label).join(', ')}`);
    }

    /** @param {{ name: string, pid: number | undefined, restarts: number }} s */
    const view = (s) => ({
      name: s.name,
      /** The current process id (undefined while it is being restarted). */
      get pid() {
        return s.pid;
      },
      get restarts() {
        return s.restarts;
      },
    });

    return {
      urls: {
        public: `${web.url}/public/`,
        operator: `${web.url}/operator/`,
        regulator: `${web.url}/regulator/`,
        web: web.url,
        api: apiUrl,
        apis: apiUrls,
        fakeWeChat: fakeWeChatUrl,
        mongodb: mongodbUri,
        /** nginx's HLS address ('' when live video is off). */
        media: mediaUrl,
      },
      demoShops,
      demoOwner: /** @type {{ shop: string, code: string } | null} */ (demoOwner),
      /** The demo's one-time code for the first city administrator (regulators' app). */
      bootstrap: /** @type {{ code: string, expiresAt: string } | null} */ (bootstrap),
      /** The demo administrator's token, for the local tools (benchmarks, tests); never printed. */
      regulatorToken,
      /** The supervised child processes; `database` and `media` are absent when not started here. */
      processes: {
        ...(database ? { database: view(database) } : {}),
        api: view(api),
        moreApis: moreApis.map(view),
        ...(mediaServer ? { media: view(mediaServer) } : {}),
        cameras: cameraProcesses.map(view),
      },
      fake,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
