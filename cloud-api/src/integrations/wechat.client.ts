import { type MiniApp } from '@ygsa/shared';
import { z } from 'zod';
import { AppError } from '../http/app-error';
import type { Config } from '../config';

export interface WeChatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

/** WeChat's server API, as far as we use it. Its base URL comes from config (a local fake in dev and test). */
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
}

const TokenSchema = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
]);
const WxErrorSchema = z.object({ errcode: z.number().int(), errmsg: z.string().optional() });

const Code2SessionSchema = z.union([
  z.object({
    openid: z.string().min(1),
    session_key: z.string().min(1),
    unionid: z.string().optional(),
    errcode: z.literal(0).optional(),
  }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
]);

// Codes that mean the user's code is bad (invalid, used, or the user is blocked as high-risk);
// any other error means we or WeChat are at fault.
const USER_CODE_ERRORS = new Set([40029, 40163, 40226]);

export function createWeChatClient(config: Config['wechat'], fetchImpl: typeof fetch = globalThis.fetch): WeChatClient {
  async function getJson(path: string, query: Record<string, string>): Promise<unknown> {
    const url = `${config.apiBase}${path}?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: AbortSignal.timeout(config.timeoutMs) });
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
    if (!res.ok)
      throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`WeChat ${path} answered ${res.status}`) });
    try {
      return await res.json();
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
  }

  // Access tokens are per app, live two hours, and are rate-limited by WeChat: keep and reuse them.
  const tokens = new Map<MiniApp, { token: string; expiresAt: number }>();
  async function accessToken(app: MiniApp, refresh = false): Promise<string> {
    const kept = tokens.get(app);
    if (!refresh && kept && kept.expiresAt > Date.now()) return kept.token;
    const creds = config.apps[app];
    const parsed = TokenSchema.safeParse(
      await getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: creds.appid, secret: creds.secret }),
    );
    if (!parsed.success || !('access_token' in parsed.data)) {
      throw new AppError('WECHAT_UNAVAILABLE', {
        cause: new Error(`access token refused: ${JSON.stringify(parsed.data ?? parsed.error)}`),
      });
    }
    // Renew five minutes early.
    tokens.set(app, { token: parsed.data.access_token, expiresAt: Date.now() + (parsed.data.expires_in - 300) * 1000 });
    return parsed.data.access_token;
  }

  return {
    async sendSubscribeMessage(app, message) {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const token = await accessToken(app, attempt > 0);
        let res: Response;
        try {
          res = await fetchImpl(
            `${config.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({
                touser: message.touser,
                template_id: message.templateId,
                page: message.page,
                data: message.data,
                miniprogram_state: 'formal',
                lang: 'zh_CN',
              }),
              signal: AbortSignal.timeout(config.timeoutMs),
            },
          );
        } catch (cause) {
          throw new AppError('WECHAT_UNAVAILABLE', { cause });
        }
        const parsed = WxErrorSchema.safeParse(await res.json().catch(() => ({})));
        if (!parsed.success)
          throw new AppError('WECHAT_UNAVAILABLE', { cause: new Error(`subscribe send answered ${res.status}`) });
        if ((parsed.data.errcode === 40001 || parsed.data.errcode === 42001) && attempt === 0) continue;
        return { errcode: parsed.data.errcode, errmsg: parsed.data.errmsg ?? '' };
      }
      throw new AppError('WECHAT_UNAVAILABLE');
    },

    async getUnlimitedWxacode(app, params) {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const token = await accessToken(app, attempt > 0);
        let res: Response;
        try {
          res = await fetchImpl(`${config.apiBase}/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              scene: params.scene,
              page: params.page,
              check_path: false,
              env_version: params.envVersion,
              width: params.width ?? 430,
            }),
            signal: AbortSignal.timeout(config.timeoutMs),
          });
        } catch (cause) {
          throw new AppError('WECHAT_UNAVAILABLE', { cause });
        }
        const bytes = Buffer.from(await res.arrayBuffer());
        // Success is an image; failure is a JSON error (with a 200 status, as WeChat does).
        if (res.ok && (bytes[0] === 0x89 || bytes[0] === 0xff)) return bytes;
        const err = WxErrorSchema.safeParse(JSON.parse(bytes.toString('utf8') || '{}'));
        // 40001/42001: the kept token was revoked or expired early; fetch a new one once.
        if (err.success && (err.data.errcode === 40001 || err.data.errcode === 42001) && attempt === 0) continue;
        throw new AppError('WECHAT_UNAVAILABLE', {
          cause: new Error(
            `getwxacodeunlimit failed: ${err.success ? `${err.data.errcode} ${err.data.errmsg ?? ''}` : res.status}`,
          ),
        });
      }
      throw new AppError('WECHAT_UNAVAILABLE');
    },

    async code2Session(app, code) {
      const creds = config.apps[app];
      const raw = await getJson('/sns/jscode2session', {
        appid: creds.appid,
        secret: creds.secret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const parsed = Code2SessionSchema.safeParse(raw);
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
