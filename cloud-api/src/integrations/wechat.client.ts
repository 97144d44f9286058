import { type MiniApp } from '@ygsa/shared';
import { z } from 'zod';
import { AppError } from '../http/app-error';
import type { Config } from '../config';

export interface WeChatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

export type ContentSuggest = 'pass' | 'review' | 'risky';

/** msgSecCheck scenes: 1 资料 (profile), 2 评论 (comment), 3 论坛 (forum), 4 社交日志 (social log). */
export type ContentScene = 1 | 2 | 3 | 4;

/** WeChat's server API, as far as we use it. Its base URL comes from config (a local stand-in in dev and test). */
export interface WeChatClient {
  code2Session(app: MiniApp, code: string): Promise<WeChatSession>;
  /** subscribeMessage.send: one message the user agreed to receive. Resolves with WeChat's errcode (0 = sent). */
  sendSubscribeMessage(
    app: MiniApp,
    message: { touser: string; templateId: string; page: string; data: Record<string, { value: string }> },
  ): Promise<{ errcode: number; errmsg: string }>;
  /** wxacode.getUnlimited: a mini-program code image (PNG/JPEG bytes) whose scene reaches `page`. */
  getUnlimitedWxacode(
    app: MiniApp,
    params: { scene: string; page: string; envVersion: 'release' | 'trial' | 'develop'; width?: number },
  ): Promise<Buffer>;
  /** security.msgSecCheck (v2): WeChat's verdict on a text a user wrote for others to see. */
  msgSecCheck(
    app: MiniApp,
    params: { openid: string; scene: ContentScene; content: string },
  ): Promise<{ suggest: ContentSuggest; label: number; traceId: string }>;
  /** security.mediaCheckAsync (v2): WeChat fetches the image and pushes its verdict later. */
  mediaCheckAsync(
    app: MiniApp,
    params: { openid: string; scene: ContentScene; mediaUrl: string },
  ): Promise<{ traceId: string }>;
  /** phonenumber.getPhoneNumber: the number behind a getPhoneNumber button's code. */
  getPhoneNumber(app: MiniApp, code: string): Promise<{ phoneNumber: string; purePhoneNumber: string }>;
}

/** A refusal WeChat gave for a well-formed call (its errcode), as opposed to WeChat being unreachable. */
export class WeChatError extends Error {
  override name = 'WeChatError';
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`${api}: ${errcode} ${errmsg}`);
  }
}

const TokenSchema = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
]);
const WxErrorSchema = z.object({ errcode: z.number().int(), errmsg: z.string().optional() }).loose();

const Code2SessionSchema = z.union([
  z.object({
    openid: z.string().min(1),
    session_key: z.string().min(1),
    unionid: z.string().optional(),
    errcode: z.literal(0).optional(),
  }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
]);

const SecCheckSchema = z.object({
  errcode: z.literal(0),
  trace_id: z.string().default(''),
  result: z.object({
    suggest: z.enum(['pass', 'review', 'risky']),
    // Seen both as a number and as a string.
    label: z.coerce.number(),
  }),
});
const MediaCheckSchema = z.object({ errcode: z.literal(0), trace_id: z.string().min(1) });
const PhoneSchema = z.object({
  errcode: z.literal(0),
  phone_info: z.object({ phoneNumber: z.string().min(1), purePhoneNumber: z.string().min(1) }),
});

// Codes that mean the user's code is bad (invalid, used, or the user is blocked as high-risk);
// any other error means we or WeChat are at fault.
const USER_CODE_ERRORS = new Set([40029, 40163, 40226]);
/** The access token was replaced or has expired: fetch one again, once. */
const TOKEN_ERRORS = new Set([40001, 42001]);
/** A kept token is renewed this long before WeChat says it expires (WeChat renews in its last five minutes). */
const TOKEN_MARGIN_S = 300;

export function createWeChatClient(
  config: Config['wechat'],
  fetchImpl: typeof fetch = globalThis.fetch,
  now: () => number = Date.now,
): WeChatClient {
  async function request(path: string, init: RequestInit, query: Record<string, string> = {}): Promise<Response> {
    const qs = new URLSearchParams(query).toString();
    try {
      return await fetchImpl(`${config.apiBase}${path}${qs ? `?${qs}` : ''}`, {
        ...init,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
  }

  async function json(res: Response, path: string): Promise<unknown> {
    if (!res.ok)
      throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`WeChat ${path} answered ${res.status}`) });
    try {
      return await res.json();
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
  }

  // stable_token gives every instance the same token while it is valid (cgi-bin/token would
  // replace the token other instances hold), so each instance may keep its own copy.
  const tokens = new Map<MiniApp, { token: string; renewAt: number }>();
  async function accessToken(app: MiniApp, stale?: string): Promise<string> {
    const kept = tokens.get(app);
    if (kept && kept.token !== stale && kept.renewAt > now()) return kept.token;
    const creds = config.apps[app];
    const fetchToken = async (forceRefresh: boolean) => {
      const res = await request('/cgi-bin/stable_token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: creds.appid,
          secret: creds.secret,
          force_refresh: forceRefresh,
        }),
      });
      const parsed = TokenSchema.safeParse(await json(res, '/cgi-bin/stable_token'));
      if (!parsed.success || !('access_token' in parsed.data)) {
        throw new AppError('WECHAT_UNAVAILABLE', {
          cause: new Error(`access token refused: ${JSON.stringify(parsed.data ?? parsed.error)}`),
        });
      }
      return parsed.data;
    };
    let got = await fetchToken(false);
    // WeChat still hands out the token it just refused: only then end it for everyone.
    if (stale && got.access_token === stale) got = await fetchToken(true);
    const ttl = Math.max(got.expires_in - TOKEN_MARGIN_S, Math.min(got.expires_in, 30));
    tokens.set(app, { token: got.access_token, renewAt: now() + ttl * 1000 });
    return got.access_token;
  }

  /**
   * POSTs JSON to a token-authorised API; a replaced or expired token is fetched again once.
   * Resolves with the raw response of the final attempt.
   */
  async function postWithToken(app: MiniApp, path: string, body: unknown): Promise<Response> {
    let stale: string | undefined;
    for (let attempt = 0; ; attempt += 1) {
      const token = await accessToken(app, stale);
      const res = await request(
        path,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
        { access_token: token },
      );
      if (attempt > 0 || !res.ok) return res;
      // Peek at a JSON error without consuming the response handed back.
      const isJson = !/^image\//.test(res.headers.get('content-type') ?? '');
      if (!isJson) return res;
      const copy = res.clone();
      const err = WxErrorSchema.safeParse(await copy.json().catch(() => ({})));
      if (err.success && TOKEN_ERRORS.has(err.data.errcode)) {
        stale = token;
        continue;
      }
      return res;
    }
  }

  /** A token API's JSON answer: `schema` on success, WeChatError on a refusal. */
  async function call<S extends z.ZodType>(app: MiniApp, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const raw = await json(await postWithToken(app, path, body), path);
    const ok = schema.safeParse(raw);
    if (ok.success) return ok.data;
    const err = WxErrorSchema.safeParse(raw);
    if (err.success && err.data.errcode !== 0) throw new WeChatError(err.data.errcode, err.data.errmsg ?? '', path);
    throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`unexpected answer from ${path}`) });
  }

  return {
    async sendSubscribeMessage(app, message) {
      const path = '/cgi-bin/message/subscribe/send';
      const res = await postWithToken(app, path, {
        touser: message.touser,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
        miniprogram_state: config.miniprogramState,
        lang: 'zh_CN',
      });
      const parsed = WxErrorSchema.safeParse(await json(res, path).catch(() => ({})));
      if (!parsed.success)
        throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`subscribe send answered ${res.status}`) });
      return { errcode: parsed.data.errcode, errmsg: parsed.data.errmsg ?? '' };
    },

    async getUnlimitedWxacode(app, params) {
      const path = '/wxa/getwxacodeunlimit';
      const res = await postWithToken(app, path, {
        scene: params.scene,
        page: params.page,
        // A released app must have the page; trial and develop builds are not checked by WeChat.
        check_path: params.envVersion === 'release',
        env_version: params.envVersion,
        width: params.width ?? 430,
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      // Success is an image; failure is a JSON error (with a 200 status, as WeChat does).
      if (res.ok && (bytes[0] === 0x89 || bytes[0] === 0xff)) return bytes;
      let detail: string = String(res.status);
      try {
        const err = WxErrorSchema.safeParse(JSON.parse(bytes.toString('utf8') || '{}'));
        if (err.success) detail = `${err.data.errcode} ${err.data.errmsg ?? ''}`;
      } catch {
        // not JSON either
      }
      throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`getwxacodeunlimit failed: ${detail}`) });
    },

    async msgSecCheck(app, params) {
      const r = await call(
        app,
        '/wxa/msg_sec_check',
        { version: 2, openid: params.openid, scene: params.scene, content: params.content },
        SecCheckSchema,
      );
      return { suggest: r.result.suggest, label: r.result.label, traceId: r.trace_id };
    },

    async mediaCheckAsync(app, params) {
      const r = await call(
        app,
        '/wxa/media_check_async',
        { media_url: params.mediaUrl, media_type: 2, version: 2, openid: params.openid, scene: params.scene },
        MediaCheckSchema,
      );
      return { traceId: r.trace_id };
    },

    async getPhoneNumber(app, code) {
      const r = await call(app, '/wxa/business/getuserphonenumber', { code }, PhoneSchema);
      return { phoneNumber: r.phone_info.phoneNumber, purePhoneNumber: r.phone_info.purePhoneNumber };
    },

    async code2Session(app, code) {
      const creds = config.apps[app];
      const path = '/sns/jscode2session';
      const res = await request(
        path,
        {},
        { appid: creds.appid, secret: creds.secret, js_code: code, grant_type: 'authorization_code' },
      );
      const parsed = Code2SessionSchema.safeParse(await json(res, path));
      if (!parsed.success) {
        throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error('unexpected jscode2session answer') });
      }
      const data = parsed.data;
      if ('openid' in data) {
        return {
          openid: data.openid,
          sessionKey: data.session_key,
          ...(data.unionid ? { unionid: data.unionid } : {}),
        };
      }
      if (USER_CODE_ERRORS.has(data.errcode)) throw new AppError('WECHAT_CODE_INVALID');
      throw new AppError('WECHAT_UNAVAILABLE', {
        cause: new Error(`jscode2session errcode ${data.errcode}: ${data.errmsg ?? ''}`),
      });
    },
  };
}
