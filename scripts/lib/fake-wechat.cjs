// @ts-check
// A stand-in for WeChat's server API, for development and tests only. It speaks WeChat's HTTP
// protocol for every call the product makes and enforces WeChat's documented rules with WeChat's
// error codes, so that what WeChat would refuse is refused here first:
//   login codes single-use and short-lived; access tokens (stable_token, and cgi-bin/token, which
//   invalidates the previous one); wxacode scene rules and pages that exist in the app's built
//   app.json; subscribe messages checked against the app's console templates, their keywords'
//   value rules, existing pages and the user's consent (one accept, one message); msgSecCheck and
//   mediaCheckAsync (v2) for users seen in the last two hours, the latter pushing its verdict to
//   the app's message-push URL, signed, and retried as WeChat retries; phone-number codes.
// Dev-only calls (under /__fake__/) play what happens on a phone: wx.login, the consent sheet of
// wx.requestSubscribeMessage, the getPhoneNumber button; and show what was delivered.
const { createHash, randomBytes } = require('node:crypto');
const { createServer } = require('node:http');
const { existsSync, readFileSync } = require('node:fs');
const QRCode = require('qrcode');
const { DEV_CONSOLE_APPS, DEV_PUSH_TOKEN, DEV_RISKY_WORDS, DEV_REVIEW_WORDS } = require('./wechat-console.cjs');

const CODE_TTL_MS = 5 * 60 * 1000; // wx.login and phone-number codes live five minutes and work once
const TOKEN_TTL_S = 7200;
const TOKEN_OVERLAP_MS = 5 * 60 * 1000; // a replaced token keeps working five minutes
const SEEN_WINDOW_MS = 2 * 3600 * 1000; // content checks need a user seen in the last two hours
const MAX_TEMPLATES_PER_REQUEST = 3; // requestSubscribeMessage (the stricter of the documented limits)
const FORCE_REFRESH_GAP_MS = 30_000;
const FORCE_REFRESH_PER_DAY = 20;

/** @param {string} s */
const digest = (s) => createHash('sha256').update(s).digest('base64url');
/** @param {string} s */
const sha1 = (s) => createHash('sha1').update(s).digest('hex');

/** The message-push signature: sha1 of token, timestamp and nonce sorted as strings. */
function pushSignature(/** @type {string} */ token, /** @type {string} */ timestamp, /** @type {string} */ nonce) {
  return sha1([token, timestamp, nonce].sort().join(''));
}

// ---------------------------------------------------------------- keyword value rules
// Written from WeChat's table 订阅消息参数值内容限制说明, apart from the product's own shaping code.

const HAN_ONLY = /^\p{Script=Han}+$/u;
const EMOJI = /\p{Extended_Pictographic}/u;
const DATE_PART = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}\/\d{1,2}\/\d{1,2})`;
const TIME_PART = String.raw`\d{1,2}:\d{2}(:\d{2})?`;
const TIME_ONE = new RegExp(`^(${DATE_PART} )?${TIME_PART}$`);
const DATE_ONE = new RegExp(`^${DATE_PART}( ${TIME_PART})?$`);
/** @param {RegExp} one @param {string} v */
const rangeOf = (one, v) => v.split('~').every((p) => one.test(p.trim())) && v.split('~').length <= 2;

/** @type {Record<string, (v: string) => boolean>} */
const VALUE_RULES = {
  thing: (v) => [...v].length <= 20 && !/[\r\n\t]/.test(v) && !EMOJI.test(v),
  number: (v) => v.length <= 32 && /^\d+(\.\d+)?$/.test(v),
  letter: (v) => v.length <= 32 && /^[A-Za-z]+$/.test(v),
  symbol: (v) => [...v].length <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  character_string: (v) => v.length <= 32 && /^[\x21-\x7e]+$/.test(v),
  time: (v) => rangeOf(TIME_ONE, v),
  date: (v) => rangeOf(DATE_ONE, v),
  amount: (v) => /^[¥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => v.length <= 17 && /^[\d+\-() ]+$/.test(v),
  car_number: (v) => [...v].length <= 8 && /^[\p{Script=Han}A-Z0-9]+$/u.test(v),
  name: (v) => (HAN_ONLY.test(v) ? [...v].length <= 10 : /^[A-Za-z .'·-]{1,20}$/.test(v)),
  phrase: (v) => HAN_ONLY.test(v) && [...v].length <= 5,
};

/** Pages of a built app.json: main pages and every subpackage's, each "root/page". */
function pagesOf(/** @type {string} */ appJsonPath) {
  if (!existsSync(appJsonPath)) return null;
  /** @type {{ pages?: string[], subPackages?: { root: string, pages: string[] }[], subpackages?: { root: string, pages: string[] }[] }} */
  const json = JSON.parse(readFileSync(appJsonPath, 'utf8'));
  const subs = json.subPackages ?? json.subpackages ?? [];
  return new Set([
    ...(json.pages ?? []),
    ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/+$/, '')}/${p}`)),
  ]);
}

/**
 * @typedef {import('./wechat-console.cjs').ConsoleApp & { pushUrl?: string | (() => string) }} FakeApp
 * @typedef {{
 *   apps?: FakeApp[],
 *   pushToken?: string,
 *   riskyWords?: string[],
 *   reviewWords?: string[],
 *   riskyImages?: string[],
 *   mediaDelayMs?: number,
 *   pushRetryMs?: number,
 *   now?: () => number,
 * }} FakeOptions
 */

/** @param {FakeOptions} [opts] */
function createFakeWeChat(opts = {}) {
  const now = opts.now ?? (() => Date.now());
  /** @type {Map<string, FakeApp>} */
  const apps = new Map((opts.apps ?? DEV_CONSOLE_APPS).map((a) => [a.appid, { ...a }]));
  const pushToken = opts.pushToken ?? DEV_PUSH_TOKEN;
  const riskyWords = opts.riskyWords ?? DEV_RISKY_WORDS;
  const reviewWords = opts.reviewWords ?? DEV_REVIEW_WORDS;
  const riskyImages = new Set(opts.riskyImages ?? []);
  const mediaDelayMs = opts.mediaDelayMs ?? 1500;
  /** @type {(() => void)[] | null} verdicts waiting for releaseMediaVerdicts */
  let heldVerdicts = null;
  const pushRetryMs = opts.pushRetryMs ?? 1000;

  /** @type {Map<string, { appid: string, user: string, issuedAt: number, used: boolean }>} */
  const codes = new Map();
  /** @type {Map<string, { appid: string, user: string, issuedAt: number, used: boolean }>} */
  const phoneCodes = new Map();
  /** openid → who and when last seen (a successful jscode2session). */
  /** @type {Map<string, { appid: string, user: string, seenAt: number }>} */
  const openids = new Map();
  /** A token works until it expires (42001), or until it was replaced (40001, "not latest"). */
  /** @type {Map<string, { appid: string, expiresAt: number, replacedAt: number, kind: 'stable' | 'basic' }>} */
  const tokens = new Map();
  /** appid → its current stable token and force-refresh history */
  /** @type {Map<string, { token: string, forced: number[] }>} */
  const stable = new Map();
  /** appid → its latest cgi-bin/token */
  /** @type {Map<string, string>} */
  const basic = new Map();
  /** `${appid}:${openid}:${templateId}` → messages the user has agreed to receive */
  /** @type {Map<string, number>} */
  const consents = new Map();
  /** @type {Record<string, unknown>[]} */
  const messages = [];
  /** @type {{ appid: string, openid: string, scene: number, content: string, suggest: string }[]} */
  const textChecks = [];
  /** @type {{ trace_id: string, appid: string, url: string, attempts: number, delivered: boolean, suggest: string | null, status?: number }[]} */
  const pushes = [];
  /** @type {Set<ReturnType<typeof setTimeout>>} */
  const timers = new Set();
  let closed = false;

  /** openid is per app and per person; unionid is per person across apps, as on WeChat. */
  const openidOf = (/** @type {string} */ appid, /** @type {string} */ user) =>
    'o' + digest(`${appid}:${user}`).slice(0, 27);
  const unionidOf = (/** @type {string} */ user) => 'u' + digest(`union:${user}`).slice(0, 27);
  /** The phone number a simulated user has bound to WeChat (stable per user). */
  const phoneOf = (/** @type {string} */ user) => {
    const n = parseInt(createHash('sha256').update(`phone:${user}`).digest('hex').slice(0, 12), 16);
    return `139${String(n % 100_000_000).padStart(8, '0')}`;
  };

  /**
   * @param {import('node:http').ServerResponse} res @param {unknown} body @param {number} [status]
   */
  function send(res, body, status = 200) {
    // WeChat answers JSON with a text/plain content type; clients must not depend on the header.
    res.writeHead(status, {
      'Content-Type': 'text/plain',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    });
    res.end(JSON.stringify(body));
  }
  const err = (/** @type {number} */ errcode, /** @type {string} */ errmsg) => ({
    errcode,
    errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}`,
  });

  /** @param {string | null} appid @param {string | null} secret */
  function checkApp(appid, secret) {
    const app = apps.get(appid ?? '');
    if (!app) return err(40013, 'invalid appid');
    if (app.secret !== secret) return err(40125, 'invalid appsecret');
    return null;
  }

  /** @param {import('node:http').IncomingMessage} req @returns {Promise<string>} */
  async function readBody(req) {
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > 100_000) throw new Error('too large');
    }
    return raw;
  }

  /** A JSON body, or null when it is not a JSON object (WeChat: 47001 data format error). */
  async function readJson(/** @type {import('node:http').IncomingMessage} */ req) {
    try {
      const parsed = JSON.parse((await readBody(req)) || 'null');
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  function issueToken(/** @type {string} */ appid, /** @type {'stable' | 'basic'} */ kind) {
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { appid, expiresAt: now() + TOKEN_TTL_S * 1000, replacedAt: Infinity, kind });
    return token;
  }
  /** Ends a replaced token: at once, or after WeChat's five-minute overlap. */
  function retire(/** @type {string | undefined} */ token, /** @type {boolean} */ atOnce) {
    const t = token ? tokens.get(token) : undefined;
    if (t) t.replacedAt = Math.min(t.replacedAt, now() + (atOnce ? 0 : TOKEN_OVERLAP_MS));
  }

  /** The app an access token belongs to, or WeChat's error. @param {URLSearchParams} q */
  function tokenApp(q) {
    const raw = q.get('access_token');
    if (!raw) return { error: err(41001, 'access_token missing') };
    const t = tokens.get(raw);
    if (!t || t.replacedAt <= now())
      return { error: err(40001, 'invalid credential, access_token is invalid or not latest') };
    if (t.expiresAt <= now()) return { error: err(42001, 'access_token expired') };
    return { appid: t.appid, app: /** @type {FakeApp} */ (apps.get(t.appid)) };
  }

  /** An openid of this app seen recently, or WeChat's error (content checks need one). */
  function recentUser(/** @type {string} */ appid, /** @type {unknown} */ openid) {
    if (typeof openid !== 'string' || !openid) return err(40003, 'invalid openid');
    const who = openids.get(openid);
    if (!who) return err(40003, 'invalid openid');
    if (who.appid !== appid) return err(43104, 'appid and openid not match');
    if (now() - who.seenAt > SEEN_WINDOW_MS) return err(61010, 'user access record timeout');
    return null;
  }

  /**
   * The common start of a token API call: POST, a valid access token, a JSON object body.
   * @param {import('node:http').IncomingMessage} req @param {URLSearchParams} q
   * @returns {Promise<{ error: Record<string, unknown> } | { error?: undefined, appid: string, app: FakeApp, body: Record<string, any> }>}
   */
  async function tokenCall(req, q) {
    if (req.method !== 'POST') return { error: err(43002, 'require POST method') };
    const t = tokenApp(q);
    if (t.error) return { error: t.error };
    const body = await readJson(req);
    if (!body) return { error: err(47001, 'data format error') };
    return { appid: /** @type {string} */ (t.appid), app: /** @type {FakeApp} */ (t.app), body };
  }

  /** What both content checks (v2) demand: version 2, a scene of 1–4, a user of this app seen lately. */
  function contentCheckRefusal(/** @type {Record<string, any>} */ body) {
    if (body.version !== 2) return err(47001, 'data format error');
    if (![1, 2, 3, 4].includes(body.scene)) return err(40129, 'invalid scene');
    return null;
  }

  function pageExists(/** @type {FakeApp} */ app, /** @type {string} */ page) {
    const pages = pagesOf(app.appJson);
    if (!pages) throw new Error(`the stand-in cannot check pages: ${app.appJson} is missing (build the weapp first)`);
    return pages.has(page);
  }

  // ---------------------------------------------------------------- media checks

  /**
   * Pushes a media check's verdict to the app's message-push URL, signed as WeChat signs it, and
   * tries again (three attempts in all) when the server does not answer "success" or "".
   */
  async function push(
    /** @type {FakeApp} */ app,
    /** @type {Record<string, unknown>} */ event,
    /** @type {typeof pushes[number]} */ record,
  ) {
    const base = typeof app.pushUrl === 'function' ? app.pushUrl() : app.pushUrl;
    if (!base) return;
    for (let attempt = 1; attempt <= 3 && !closed; attempt += 1) {
      record.attempts = attempt;
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const signature = pushSignature(pushToken, timestamp, nonce);
      const sep = base.includes('?') ? '&' : '?';
      const url = `${base}${sep}signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
      record.url = base;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(5000),
        });
        const text = (await res.text()).trim();
        record.status = res.status;
        if (res.ok && (text === 'success' || text === '')) {
          record.delivered = true;
          return;
        }
      } catch {
        record.status = 0;
      }
      await new Promise((r) => {
        const t = setTimeout(r, pushRetryMs);
        timers.add(t);
      });
    }
  }

  /** Fetches the media as WeChat would, decides, and pushes the verdict. */
  async function checkMedia(
    /** @type {FakeApp} */ app,
    /** @type {string} */ openid,
    /** @type {string} */ traceId,
    /** @type {string} */ mediaUrl,
  ) {
    /** @type {typeof pushes[number]} */
    const record = { trace_id: traceId, appid: app.appid, url: '', attempts: 0, delivered: false, suggest: null };
    pushes.push(record);
    let bytes;
    try {
      const res = await fetch(mediaUrl, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return; // a media WeChat cannot fetch gets no verdict
      bytes = Buffer.from(await res.arrayBuffer());
    } catch {
      return;
    }
    const isImage =
      (bytes[0] === 0xff && bytes[1] === 0xd8) || // jpeg
      bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) || // png
      bytes.toString('latin1', 0, 3) === 'GIF' ||
      bytes.toString('latin1', 0, 2) === 'BM';
    const hash = createHash('sha256').update(bytes).digest('hex');
    /** @type {Record<string, unknown>} */
    let event;
    const base = {
      ToUserName: `gh_${app.appid.slice(2, 14)}`,
      FromUserName: openid,
      CreateTime: Math.floor(now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: app.appid,
      trace_id: traceId,
      version: 2,
    };
    if (bytes.length > 10 * 1024 * 1024 || !isImage) {
      event = { ...base, errcode: 47001, errmsg: 'media format or size not supported' };
    } else {
      const suggest = riskyImages.has(hash) ? 'risky' : 'pass';
      const label = suggest === 'risky' ? 20002 : 100;
      record.suggest = suggest;
      event = {
        ...base,
        // As seen in real pushes: the label may arrive as a string.
        detail: [{ strategy: 'content_model', errcode: 0, suggest, label: String(label), prob: 90 }],
        errcode: 0,
        errmsg: 'ok',
        result: { suggest, label: String(label) },
      };
    }
    await push(app, event, record);
  }

  // ---------------------------------------------------------------- routes

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    const post = req.method === 'POST';
    try {
      if (req.method === 'OPTIONS') return send(res, {}, 204);

      if (url.pathname === '/sns/jscode2session') {
        if (req.method !== 'GET') return send(res, err(43001, 'require GET method'));
        const bad = checkApp(q.get('appid'), q.get('secret'));
        if (bad) return send(res, bad);
        if (q.get('grant_type') !== 'authorization_code') return send(res, err(40002, 'invalid grant_type'));
        const code = q.get('js_code') ?? '';
        const entry = codes.get(code);
        if (!entry || entry.appid !== q.get('appid') || now() - entry.issuedAt > CODE_TTL_MS) {
          return send(res, err(40029, 'invalid code'));
        }
        if (entry.used) return send(res, err(40163, 'code been used'));
        entry.used = true;
        const openid = openidOf(entry.appid, entry.user);
        openids.set(openid, { appid: entry.appid, user: entry.user, seenAt: now() });
        return send(res, {
          openid,
          unionid: unionidOf(entry.user),
          session_key: randomBytes(16).toString('base64'),
        });
      }

      // The older token call: every call replaces the app's previous token (five minutes' overlap).
      if (url.pathname === '/cgi-bin/token') {
        if (req.method !== 'GET') return send(res, err(43001, 'require GET method'));
        const bad = checkApp(q.get('appid'), q.get('secret'));
        if (bad) return send(res, bad);
        if (q.get('grant_type') !== 'client_credential') return send(res, err(40002, 'invalid grant_type'));
        const appid = /** @type {string} */ (q.get('appid'));
        retire(basic.get(appid), false);
        const token = issueToken(appid, 'basic');
        basic.set(appid, token);
        return send(res, { access_token: token, expires_in: TOKEN_TTL_S });
      }

      // stable_token: the same token to every caller while it is valid; renewed in its last five
      // minutes; force_refresh (at most 20 a day, 30 s apart) ends the old one at once.
      if (url.pathname === '/cgi-bin/stable_token') {
        if (!post) return send(res, err(43002, 'require POST method'));
        const body = await readJson(req);
        if (!body) return send(res, err(47001, 'data format error'));
        const bad = checkApp(
          typeof body.appid === 'string' ? body.appid : null,
          typeof body.secret === 'string' ? body.secret : null,
        );
        if (bad) return send(res, bad);
        if (body.grant_type !== 'client_credential') return send(res, err(40002, 'invalid grant_type'));
        const appid = /** @type {string} */ (body.appid);
        const state = stable.get(appid) ?? { token: '', forced: [] };
        stable.set(appid, state);
        const current = state.token ? tokens.get(state.token) : undefined;
        const day = now() - 24 * 3600 * 1000;
        state.forced = state.forced.filter((t) => t > day);
        const mayForce =
          body.force_refresh === true &&
          state.forced.length < FORCE_REFRESH_PER_DAY &&
          (state.forced.at(-1) ?? 0) + FORCE_REFRESH_GAP_MS <= now();
        if (mayForce || !current || current.expiresAt - now() < TOKEN_OVERLAP_MS) {
          if (mayForce) state.forced.push(now());
          retire(state.token, mayForce);
          state.token = issueToken(appid, 'stable');
        }
        const t = /** @type {{ expiresAt: number }} */ (tokens.get(state.token));
        return send(res, { access_token: state.token, expires_in: Math.floor((t.expiresAt - now()) / 1000) });
      }

      // wxacode.getUnlimited: an image on success, a JSON error otherwise (both with status 200).
      if (url.pathname === '/wxa/getwxacodeunlimit') {
        const t = await tokenCall(req, q);
        if (t.error) return send(res, t.error);
        const { body } = t;
        const scene = typeof body.scene === 'string' ? body.scene : '';
        if (scene.length < 1 || scene.length > 32)
          return send(res, err(40169, 'invalid length for scene, or the data is not json string'));
        if (!/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/.test(scene)) return send(res, err(40129, 'invalid scene'));
        const page = body.page === undefined ? 'pages/index/index' : body.page;
        if (typeof page !== 'string' || page.startsWith('/') || page.includes('?'))
          return send(res, err(41030, 'invalid page'));
        if (body.check_path !== false && !pageExists(t.app, page)) return send(res, err(41030, 'invalid page'));
        const envVersion = body.env_version ?? 'release';
        if (!['release', 'trial', 'develop'].includes(envVersion)) return send(res, err(47001, 'data format error'));
        const width = body.width ?? 430;
        if (typeof width !== 'number' || width < 280 || width > 1280) return send(res, err(47001, 'data format error'));
        // A real code is a round "sun code"; a QR of the same scene and page serves for development.
        const png = await QRCode.toBuffer(`wxacode:${t.appid}:${page}?scene=${scene}`, { width });
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end(png);
        return;
      }

      if (url.pathname === '/cgi-bin/message/subscribe/send') {
        const t = await tokenCall(req, q);
        if (t.error) return send(res, t.error);
        const { body } = t;
        const who = typeof body.touser === 'string' ? openids.get(body.touser) : undefined;
        if (!who || who.appid !== t.appid) return send(res, err(40003, 'invalid openid'));
        const template = typeof body.template_id === 'string' ? t.app.templates[body.template_id] : undefined;
        if (!template) return send(res, err(40037, 'invalid template_id'));
        if (body.page !== undefined) {
          const page = typeof body.page === 'string' ? body.page.split('?')[0] : '';
          if (!page || page.startsWith('/') || !pageExists(t.app, /** @type {string} */ (page)))
            return send(res, err(41030, 'invalid page'));
        }
        const state = body.miniprogram_state ?? 'formal';
        if (!['developer', 'trial', 'formal'].includes(state)) return send(res, err(47001, 'data format error'));
        if (body.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(body.lang))
          return send(res, err(47001, 'data format error'));
        const data = body.data;
        if (!data || typeof data !== 'object' || Array.isArray(data))
          return send(res, err(47003, 'argument invalid! data is empty'));
        for (const key of Object.keys(data)) {
          if (!template.keys.includes(key)) return send(res, err(47003, `argument invalid! data.${key} not exist`));
        }
        for (const key of template.keys) {
          const value = data[key]?.value;
          if (typeof value !== 'string' || value === '')
            return send(res, err(47003, `argument invalid! data.${key}.value is empty`));
          const rule = VALUE_RULES[key.replace(/\d+$/, '')];
          if (!rule || !rule(value)) return send(res, err(47003, `argument invalid! data.${key}.value invalid`));
        }
        const consentKey = `${t.appid}:${body.touser}:${body.template_id}`;
        const left = consents.get(consentKey) ?? 0;
        if (left <= 0) return send(res, err(43101, 'user refuse to accept the msg'));
        consents.set(consentKey, left - 1);
        const msgid = Number.parseInt(randomBytes(6).toString('hex'), 16);
        messages.push({
          appid: t.appid,
          touser: body.touser,
          template_id: body.template_id,
          title: template.title,
          page: body.page ?? '',
          data,
          miniprogram_state: state,
          at: new Date(now()).toISOString(),
          msgid,
        });
        return send(res, { errcode: 0, errmsg: 'ok', msgid });
      }

      if (url.pathname === '/wxa/msg_sec_check') {
        const t = await tokenCall(req, q);
        if (t.error) return send(res, t.error);
        const { body } = t;
        const refused = contentCheckRefusal(body);
        if (refused) return send(res, refused);
        if (typeof body.content !== 'string' || !body.content) return send(res, err(44002, 'empty post data'));
        if ([...body.content].length > 2500) return send(res, err(47001, 'data format error'));
        const notSeen = recentUser(t.appid, body.openid);
        if (notSeen) return send(res, notSeen);
        const text = [body.content, body.title, body.nickname, body.signature]
          .filter((x) => typeof x === 'string')
          .join('\n');
        const risky = riskyWords.find((w) => text.includes(w));
        const review = !risky && reviewWords.find((w) => text.includes(w));
        const suggest = risky ? 'risky' : review ? 'review' : 'pass';
        const label = risky ? 20008 : review ? 10001 : 100;
        textChecks.push({ appid: t.appid, openid: body.openid, scene: body.scene, content: body.content, suggest });
        return send(res, {
          errcode: 0,
          errmsg: 'ok',
          trace_id: randomBytes(12).toString('hex'),
          result: { suggest, label },
          detail: [
            { strategy: 'content_model', errcode: 0, suggest, label, prob: risky || review ? 90 : 0 },
            {
              strategy: 'keyword',
              errcode: 0,
              ...(risky || review ? { suggest, label, keyword: risky || review } : {}),
            },
          ],
        });
      }

      if (url.pathname === '/wxa/media_check_async') {
        const t = await tokenCall(req, q);
        if (t.error) return send(res, t.error);
        const { body } = t;
        const refused = contentCheckRefusal(body);
        if (refused) return send(res, refused);
        if (body.media_type !== 1 && body.media_type !== 2) return send(res, err(47001, 'data format error'));
        if (typeof body.media_url !== 'string' || !/^https?:\/\/\S+$/.test(body.media_url))
          return send(res, err(47001, 'data format error'));
        const notSeen = recentUser(t.appid, body.openid);
        if (notSeen) return send(res, notSeen);
        const traceId = randomBytes(12).toString('hex');
        const timer = setTimeout(() => {
          timers.delete(timer);
          const verdict = () => void checkMedia(t.app, body.openid, traceId, body.media_url);
          if (heldVerdicts) heldVerdicts.push(verdict);
          else verdict();
        }, mediaDelayMs);
        timers.add(timer);
        return send(res, { errcode: 0, errmsg: 'ok', trace_id: traceId });
      }

      if (url.pathname === '/wxa/business/getuserphonenumber') {
        const t = await tokenCall(req, q);
        if (t.error) return send(res, t.error);
        const { body } = t;
        const entry = typeof body.code === 'string' ? phoneCodes.get(body.code) : undefined;
        if (!entry || entry.appid !== t.appid || entry.used || now() - entry.issuedAt > CODE_TTL_MS)
          return send(res, err(40029, 'invalid code'));
        if (body.openid !== undefined && body.openid !== openidOf(entry.appid, entry.user))
          return send(res, err(40029, 'invalid code'));
        entry.used = true;
        const phone = phoneOf(entry.user);
        return send(res, {
          errcode: 0,
          errmsg: 'ok',
          phone_info: {
            phoneNumber: phone,
            purePhoneNumber: phone,
            countryCode: '86',
            watermark: { timestamp: Math.floor(now() / 1000), appid: t.appid },
          },
        });
      }

      // ---- dev-only: what a phone does, and what was delivered

      // wx.login: `user` names the simulated WeChat account.
      if (post && url.pathname === '/__fake__/login') {
        const body = (await readJson(req)) ?? {};
        const appid = typeof body.appid === 'string' ? body.appid : '';
        const user = typeof body.user === 'string' ? body.user : '';
        if (!apps.has(appid)) return send(res, err(40013, 'invalid appid'), 400);
        if (!/^[\w-]{1,64}$/.test(user)) return send(res, err(40001, 'invalid user'), 400);
        const code = randomBytes(16).toString('hex');
        codes.set(code, { appid, user, issuedAt: now(), used: false });
        return send(res, { code });
      }

      // wx.requestSubscribeMessage after the user answered WeChat's consent sheet. `decisions`
      // gives the user's choice per template (accept unless said otherwise).
      if (post && url.pathname === '/__fake__/subscribe') {
        const body = (await readJson(req)) ?? {};
        const app = apps.get(typeof body.appid === 'string' ? body.appid : '');
        const user = typeof body.user === 'string' ? body.user : '';
        if (!app || !user) return send(res, { errMsg: 'requestSubscribeMessage:fail invalid appid', errCode: 10002 });
        const ids = Array.isArray(body.tmplIds) ? body.tmplIds : [];
        if (!ids.length)
          return send(res, { errMsg: "requestSubscribeMessage:fail TmplIds can't be empty", errCode: 10001 });
        if (ids.length > MAX_TEMPLATES_PER_REQUEST)
          return send(res, {
            errMsg: 'requestSubscribeMessage:fail Templates count out of max bounds',
            errCode: 20003,
          });
        if (ids.some((/** @type {unknown} */ id) => typeof id !== 'string' || !app.templates[id]))
          return send(res, {
            errMsg: 'requestSubscribeMessage:fail No template data return, verify the template id exist',
            errCode: 20001,
          });
        const openid = openidOf(app.appid, user);
        /** @type {Record<string, string>} */
        const answer = { errMsg: 'requestSubscribeMessage:ok' };
        for (const id of ids) {
          const choice = body.decisions?.[id] === 'reject' ? 'reject' : 'accept';
          answer[id] = choice;
          if (choice === 'accept') {
            const key = `${app.appid}:${openid}:${id}`;
            consents.set(key, (consents.get(key) ?? 0) + 1);
          }
        }
        return send(res, answer);
      }

      // The getPhoneNumber button: a code for the phone number the user has bound to WeChat.
      if (post && url.pathname === '/__fake__/phone-code') {
        const body = (await readJson(req)) ?? {};
        const appid = typeof body.appid === 'string' ? body.appid : '';
        const user = typeof body.user === 'string' ? body.user : '';
        if (!apps.has(appid) || !/^[\w-]{1,64}$/.test(user))
          return send(res, { errMsg: 'getPhoneNumber:fail invalid user', errno: 1400002 }, 400);
        const code = randomBytes(16).toString('hex');
        phoneCodes.set(code, { appid, user, issuedAt: now(), used: false });
        return send(res, { errMsg: 'getPhoneNumber:ok', code });
      }

      if (req.method === 'GET' && url.pathname === '/__fake__/messages') {
        const touser = q.get('touser');
        return send(res, { messages: touser ? messages.filter((m) => m.touser === touser) : messages });
      }
      if (req.method === 'GET' && url.pathname === '/__fake__/pushes') return send(res, { pushes });
      if (req.method === 'GET' && url.pathname === '/__fake__/text-checks') return send(res, { checks: textChecks });

      return send(res, { errcode: 404, errmsg: 'not found' }, 404);
    } catch (e) {
      return send(res, { errcode: -1, errmsg: `system error: ${e instanceof Error ? e.message : e}` });
    }
  });

  return {
    server,
    /** Issues a login code directly (tests): what wx.login gives `user` on a phone. */
    issueCode(/** @type {string} */ appid, /** @type {string} */ user) {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { appid, user, issuedAt: now(), used: false });
      return code;
    },
    /** Records the user's consent to `count` messages of a template (what tapping 允许 does). */
    consent(/** @type {string} */ appid, /** @type {string} */ openid, /** @type {string} */ templateId, count = 1) {
      const key = `${appid}:${openid}:${templateId}`;
      consents.set(key, (consents.get(key) ?? 0) + count);
    },
    openidOf,
    phoneOf,
    pushSignature,
    /** Where an app's console sends message pushes (set once the API's address is known). */
    setPushUrl(/** @type {string} */ appid, /** @type {string | (() => string)} */ pushUrl) {
      const app = apps.get(appid);
      if (!app) throw new Error(`unknown appid ${appid}`);
      app.pushUrl = pushUrl;
    },
    /**
     * Holds media-check verdicts back until `releaseMediaVerdicts` (a test that must see the state
     * before the verdict, whatever the machine's load).
     */
    holdMediaVerdicts() {
      heldVerdicts = heldVerdicts ?? [];
    },
    releaseMediaVerdicts() {
      const held = heldVerdicts ?? [];
      heldVerdicts = null;
      for (const verdict of held) verdict();
    },
    /** An image (by its sha256) that content checks will call risky. */
    flagImage(/** @type {string} */ sha256) {
      riskyImages.add(sha256);
    },
    /**
     * What WeChat does when a push URL is saved in the console: a GET with signature, timestamp,
     * nonce and echostr, which the server must answer with echostr.
     */
    async verifyPushUrl(/** @type {string} */ appid) {
      const app = apps.get(appid);
      const base = app && (typeof app.pushUrl === 'function' ? app.pushUrl() : app.pushUrl);
      if (!base) throw new Error(`no push URL for ${appid}`);
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const echostr = randomBytes(8).toString('hex');
      const signature = pushSignature(pushToken, timestamp, nonce);
      const sep = base.includes('?') ? '&' : '?';
      const res = await fetch(
        `${base}${sep}signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${echostr}`,
      );
      return res.ok && (await res.text()) === echostr;
    },
    messages: () => messages,
    pushes: () => pushes,
    textChecks: () => textChecks,
    /** @param {number} port @param {string} [host] @returns {Promise<string>} the base URL */
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address();
          resolve(`http://${host}:${typeof addr === 'object' && addr ? addr.port : port}`);
        });
      });
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      });
    },
  };
}

module.exports = { createFakeWeChat, pushSignature, VALUE_RULES };
