import { z, type MiniApp } from '@ygsa/shared';
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
}

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

  return {
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
