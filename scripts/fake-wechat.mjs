// @ts-check
// A local stand-in for WeChat's server API, for development and tests only. It speaks the same
// HTTP protocol as the real one for the calls we make (jscode2session, access tokens), and adds
// one dev-only call that plays the part of wx.login on a phone: POST /__fake__/login.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import QRCode from 'qrcode';
import { DEV_WECHAT_APPS } from './lib/dev-config.mjs';

const CODE_TTL_MS = 5 * 60 * 1000; // wx.login codes live five minutes and work once
const TOKEN_TTL_S = 7200;

/** @param {string} s */
const digest = (s) => createHash('sha256').update(s).digest('base64url');

/**
 * @param {{ apps?: { appid: string, secret: string }[] }} [opts]
 */
export function createFakeWeChat(opts = {}) {
  const apps = new Map((opts.apps ?? Object.values(DEV_WECHAT_APPS)).map((a) => [a.appid, a.secret]));
  /** @type {Map<string, { appid: string, user: string, issuedAt: number, used: boolean }>} */
  const codes = new Map();
  /** @type {Map<string, { appid: string, expiresAt: number }>} */
  const tokens = new Map();
  /** Subscribe messages "delivered", newest last (dev and tests read them at /__fake__/messages). */
  /** @type {{ appid: string, touser: string, template_id: string, page: string, data: unknown, at: string }[]} */
  const messages = [];

  /** openid is per app and per person; unionid is per person across apps, as on WeChat. */
  const openidOf = (/** @type {string} */ appid, /** @type {string} */ user) =>
    'o' + digest(`${appid}:${user}`).slice(0, 27);
  const unionidOf = (/** @type {string} */ user) => 'u' + digest(`union:${user}`).slice(0, 27);

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

  /** @param {URLSearchParams} q */
  function checkApp(q) {
    const appid = q.get('appid') ?? '';
    if (!apps.has(appid)) return { errcode: 40013, errmsg: 'invalid appid' };
    if (apps.get(appid) !== q.get('secret')) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return null;
  }

  /** @param {import('node:http').IncomingMessage} req */
  async function readJson(req) {
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > 10_000) throw new Error('too large');
    }
    return raw ? JSON.parse(raw) : {};
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    try {
      if (req.method === 'OPTIONS') return send(res, {}, 204);

      if (req.method === 'GET' && url.pathname === '/sns/jscode2session') {
        const bad = checkApp(q);
        if (bad) return send(res, bad);
        if (q.get('grant_type') !== 'authorization_code')
          return send(res, { errcode: 40002, errmsg: 'invalid grant_type' });
        const code = q.get('js_code') ?? '';
        const entry = codes.get(code);
        if (!entry || entry.appid !== q.get('appid') || Date.now() - entry.issuedAt > CODE_TTL_MS) {
          return send(res, { errcode: 40029, errmsg: 'invalid code' });
        }
        if (entry.used) return send(res, { errcode: 40163, errmsg: 'code been used' });
        entry.used = true;
        return send(res, {
          openid: openidOf(entry.appid, entry.user),
          unionid: unionidOf(entry.user),
          session_key: randomBytes(16).toString('base64'),
        });
      }

      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
        const bad = checkApp(q);
        if (bad) return send(res, bad);
        if (q.get('grant_type') !== 'client_credential')
          return send(res, { errcode: 40002, errmsg: 'invalid grant_type' });
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, {
          appid: /** @type {string} */ (q.get('appid')),
          expiresAt: Date.now() + TOKEN_TTL_S * 1000,
        });
        return send(res, { access_token: token, expires_in: TOKEN_TTL_S });
      }

      // wxacode.getUnlimited: an image on success, a JSON error otherwise (both with status 200).
      if (req.method === 'POST' && url.pathname === '/wxa/getwxacodeunlimit') {
        const token = tokens.get(q.get('access_token') ?? '');
        if (!token || token.expiresAt < Date.now())
          return send(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        const body = await readJson(req);
        const scene = typeof body.scene === 'string' ? body.scene : '';
        if (!/^[A-Za-z0-9!#$&'()*+,/:;=?@._~-]{1,32}$/.test(scene))
          return send(res, { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' });
        if (typeof body.page !== 'string' || body.page.startsWith('/'))
          return send(res, { errcode: 41030, errmsg: 'invalid page rule' });
        // A real code is a round "sun code"; a QR of the same scene and page serves for development.
        const png = await QRCode.toBuffer(`wxacode:${token.appid}:${body.page}?scene=${scene}`, {
          width: Number(body.width) || 430,
        });
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end(png);
        return;
      }

      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') {
        const token = tokens.get(q.get('access_token') ?? '');
        if (!token || token.expiresAt < Date.now()) return send(res, { errcode: 40001, errmsg: 'invalid credential' });
        const body = await readJson(req);
        if (typeof body.touser !== 'string' || !body.touser)
          return send(res, { errcode: 40003, errmsg: 'invalid openid' });
        if (typeof body.template_id !== 'string' || !body.template_id)
          return send(res, { errcode: 40037, errmsg: 'invalid template_id' });
        if (typeof body.data !== 'object' || !body.data)
          return send(res, { errcode: 47003, errmsg: 'argument invalid! data is empty' });
        messages.push({
          appid: token.appid,
          touser: body.touser,
          template_id: body.template_id,
          page: body.page,
          data: body.data,
          at: new Date().toISOString(),
        });
        return send(res, { errcode: 0, errmsg: 'ok' });
      }

      // Dev-only: the messages sent, as a phone would have shown them.
      if (req.method === 'GET' && url.pathname === '/__fake__/messages') {
        const touser = q.get('touser');
        return send(res, { messages: touser ? messages.filter((m) => m.touser === touser) : messages });
      }

      // Dev-only: what wx.login does on a phone. `user` names the simulated WeChat account.
      if (req.method === 'POST' && url.pathname === '/__fake__/login') {
        const body = await readJson(req);
        const appid = typeof body.appid === 'string' ? body.appid : '';
        const user = typeof body.user === 'string' ? body.user : '';
        if (!apps.has(appid)) return send(res, { errcode: 40013, errmsg: 'invalid appid' }, 400);
        if (!/^[\w-]{1,64}$/.test(user)) return send(res, { errcode: 40001, errmsg: 'invalid user' }, 400);
        const code = randomBytes(16).toString('hex');
        codes.set(code, { appid, user, issuedAt: Date.now(), used: false });
        return send(res, { code });
      }

      return send(res, { errcode: 404, errmsg: 'not found' }, 404);
    } catch {
      return send(res, { errcode: -1, errmsg: 'system error' }, 400);
    }
  });

  return {
    server,
    /** Issues a login code directly (tests). */
    issueCode(/** @type {string} */ appid, /** @type {string} */ user) {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { appid, user, issuedAt: Date.now(), used: false });
      return code;
    },
    openidOf,
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
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      });
    },
  };
}

// Run on its own: node scripts/fake-wechat.mjs [port]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fake = createFakeWeChat();
  const url = await fake.listen(Number(process.argv[2] ?? 0));
  process.stdout.write(`LISTENING ${url}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
