import type { ApiClient } from './api-client.js';
import type { LoginResponse, MiniApp } from './auth.js';
import { createFetchTransport, type Transport } from './transport.js';
import { ApiError } from './api-client.js';
import { ErrorBodySchema } from './errors.js';
import { UploadResultSchema, type UploadResult } from './selfcheck.js';

/** The part of Taro.request / wx.request the transport uses, so this package needs no Taro import. */
export type MiniRequest = (options: {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  header: Record<string, string>;
  data?: string;
  timeout: number;
  dataType: 'json' | 'text';
  responseType: 'text';
}) => Promise<{ statusCode: number; data: unknown }>;

/** A transport on the mini-program request API (Taro.request in WeChat). */
export function createMiniRequestTransport(request: MiniRequest): Transport {
  return async (req) => {
    const res = await request({
      url: req.url,
      method: req.method,
      header: req.headers,
      data: req.body,
      timeout: req.timeoutMs,
      dataType: 'text',
      responseType: 'text',
    });
    let body: unknown = res.data;
    if (typeof body === 'string') {
      try {
        body = body ? JSON.parse(body) : undefined;
      } catch {
        body = undefined;
      }
    }
    return { status: res.statusCode, body };
  };
}

/** Synchronous key-value storage (Taro.getStorageSync and friends, or localStorage). */
export interface KeyValueStorage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export interface SessionOptions {
  app: MiniApp;
  /** Gets a one-time login code: wx.login on a phone, the fake WeChat server in H5 dev builds. */
  login: () => Promise<string>;
  storage: KeyValueStorage;
  now?: () => number;
}

/** A token this close to expiry is renewed rather than used. */
const RENEW_MARGIN_MS = 60_000;

/** The signed-in state of one mini-program: a stored token, renewed by a fresh login when due. */
export function createSession(options: SessionOptions) {
  const now = options.now ?? (() => Date.now());
  // Keyed by app: both H5 builds share one origin's storage in development.
  const storageKey = `ygsa.session.${options.app}`;
  let current: LoginResponse | undefined;
  const stored = options.storage.get(storageKey);
  if (stored) {
    try {
      current = JSON.parse(stored) as LoginResponse;
    } catch {
      options.storage.remove(storageKey);
    }
  }
  const valid = (s: LoginResponse | undefined): s is LoginResponse =>
    !!s && Date.parse(s.expiresAt) - RENEW_MARGIN_MS > now();

  return {
    token: (): string | undefined => (valid(current) ? current.token : undefined),
    user: () => (valid(current) ? current.user : undefined),
    /** Signs in with WeChat unless a valid token is kept; `force` discards it first. */
    async signIn(api: Pick<ApiClient, 'loginWithWeChat'>, force = false): Promise<LoginResponse> {
      if (!force && valid(current)) return current;
      const code = await options.login();
      current = await api.loginWithWeChat(code, options.app);
      options.storage.set(storageKey, JSON.stringify(current));
      return current;
    },
    signOut(): void {
      current = undefined;
      options.storage.remove(storageKey);
    },
  };
}

export type Session = ReturnType<typeof createSession>;

/** The part of the Taro API a mini-program's platform layer uses (passed in: no Taro import here). */
export interface TaroLike {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  removeStorageSync(key: string): void;
  login(): Promise<{ code?: string }>;
  request: unknown;
  uploadFile?: (options: {
    url: string;
    filePath: string;
    name: string;
    header: Record<string, string>;
  }) => Promise<{ statusCode: number; data: string }>;
  downloadFile?: (options: {
    url: string;
    header: Record<string, string>;
  }) => Promise<{ statusCode: number; tempFilePath: string }>;
  requestSubscribeMessage?: (options: { tmplIds: string[]; entityIds: string[] }) => Promise<unknown>;
  showModal?: (options: {
    title: string;
    content: string;
    confirmText: string;
    cancelText: string;
  }) => Promise<{ confirm: boolean }>;
}

/** What wx.requestSubscribeMessage refuses with outside a user's tap (WeChat's own wording). */
export const SUBSCRIBE_NEEDS_TAP = 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.';

export interface PlatformOptions {
  /** process.env.TARO_ENV of the build. */
  env: 'weapp' | 'h5';
  app: MiniApp;
  appid: string;
  /** Base URL of the fake WeChat server (H5 dev builds only). */
  fakeWeChatBase: string;
}

const DEV_USER_KEY = 'ygsa.devWeChatUser';
/** A random id of this install (not of the person): the API's abuse limits count per install. */
const CLIENT_ID_KEY = 'ygsa.clientId';
/** Templates the simulated user chose to always allow (WeChat's 总是保持以上选择). */
const DEV_ALWAYS_KEY = 'ygsa.devSubscribeAlways';

/** Storage, transport and login for one build: WeChat's APIs in weapp, fetch and a fake WeChat in H5. */
export function createMiniPlatform(taro: TaroLike, options: PlatformOptions) {
  const storage: KeyValueStorage = {
    get: (key) => {
      const value = taro.getStorageSync(key);
      return typeof value === 'string' && value ? value : undefined;
    },
    set: (key, value) => taro.setStorageSync(key, value),
    remove: (key) => taro.removeStorageSync(key),
  };

  // H5 builds exist for development and tests, where no WeChat is on the page: the browser plays
  // one simulated WeChat user (kept in storage) and asks the WeChat stand-in for what a phone's
  // WeChat would give (a login code, a consent answer, a phone-number code), which the API then
  // uses exactly as it would a phone's.
  function devUser(): string {
    let user = storage.get(DEV_USER_KEY);
    if (!user) {
      user = `h5-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      storage.set(DEV_USER_KEY, user);
    }
    return user;
  }

  async function standIn(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      const res = await fetch(`${options.fakeWeChatBase}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ appid: options.appid, user: devUser(), ...body }),
      });
      return (await res.json()) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  async function fakeWeChatLoginCode(): Promise<string> {
    const data = await standIn('/__fake__/login', {});
    if (typeof data.code !== 'string') throw new Error('开发环境登录服务不可用');
    return data.code;
  }

  async function wechatLoginCode(): Promise<string> {
    if (options.env === 'h5') return fakeWeChatLoginCode();
    const { code } = await taro.login();
    if (!code) throw new Error('微信登录失败，请重试');
    return code;
  }

  const transport: Transport =
    options.env === 'h5'
      ? createFetchTransport((input, init) => fetch(input, init))
      : createMiniRequestTransport(taro.request as MiniRequest);

  /** Uploads a picked photo (uploadFile: multipart field "file") and returns its stored id. */
  async function uploadImage(url: string, filePath: string, token: string | undefined): Promise<UploadResult> {
    if (!taro.uploadFile) throw new ApiError('NETWORK_ERROR', '当前环境不支持上传图片', 0);
    let res: { statusCode: number; data: string };
    try {
      res = await taro.uploadFile({
        url,
        filePath,
        name: 'file',
        header: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'X-Client-Id': clientId() },
      });
    } catch {
      throw new ApiError('NETWORK_ERROR', '图片上传失败，请检查网络后重试', 0);
    }
    let body: unknown;
    try {
      body = JSON.parse(res.data);
    } catch {
      body = undefined;
    }
    const ok = UploadResultSchema.safeParse(body);
    if (res.statusCode < 300 && ok.success) return ok.data;
    const err = ErrorBodySchema.safeParse(body);
    if (err.success) throw new ApiError(err.data.error.code, err.data.error.message, res.statusCode);
    throw new ApiError('BAD_RESPONSE', `图片上传失败（${res.statusCode}）`, res.statusCode);
  }

  /**
   * A stored photo as something an <Image> can show: photos need the bearer token, which an image
   * address cannot carry, so they are fetched first (downloadFile in WeChat; fetch + blob in H5).
   */
  async function imageSource(url: string, token: string | undefined): Promise<string> {
    const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (options.env === 'h5') {
      const res = await fetch(url, { headers: header });
      if (!res.ok) throw new ApiError('BAD_RESPONSE', `图片加载失败（${res.status}）`, res.status);
      return URL.createObjectURL(await res.blob());
    }
    if (!taro.downloadFile) throw new ApiError('NETWORK_ERROR', '当前环境不支持下载图片', 0);
    const res = await taro.downloadFile({ url, header });
    if (res.statusCode !== 200) throw new ApiError('BAD_RESPONSE', `图片加载失败（${res.statusCode}）`, res.statusCode);
    return res.tempFilePath;
  }

  /**
   * wx.requestSubscribeMessage: WeChat's consent sheet for these templates, answered with
   * { [templateId]: 'accept' | 'reject' | …, errMsg }. WeChat allows it only inside a tap, and so
   * does the H5 build (the browser's user activation), which shows a sheet of its own and tells
   * the stand-in what the user chose (remembering "always allow" as WeChat's checkbox does).
   */
  async function requestSubscribe(tmplIds: string[], titles: string[]): Promise<Record<string, unknown>> {
    if (options.env !== 'h5') {
      if (!taro.requestSubscribeMessage) throw { errMsg: 'requestSubscribeMessage:fail not supported' };
      return (await taro.requestSubscribeMessage({ tmplIds, entityIds: [] })) as Record<string, unknown>;
    }
    const activation = (globalThis as { navigator?: { userActivation?: { isActive: boolean } } }).navigator
      ?.userActivation;
    if (activation && !activation.isActive) throw { errMsg: SUBSCRIBE_NEEDS_TAP, errCode: 10005 };
    let always: Record<string, string> = {};
    try {
      always = JSON.parse(storage.get(DEV_ALWAYS_KEY) ?? '{}') as Record<string, string>;
    } catch {
      always = {};
    }
    let accept = tmplIds.every((id) => always[id] === 'accept');
    if (!accept && taro.showModal) {
      const answer = await taro.showModal({
        title: '是否允许发送以下消息',
        content: `${titles.join('、')}（网页版模拟微信订阅消息，允许后将记住选择）`,
        confirmText: '允许',
        cancelText: '取消',
      });
      accept = answer.confirm;
      if (accept) {
        for (const id of tmplIds) always[id] = 'accept';
        storage.set(DEV_ALWAYS_KEY, JSON.stringify(always));
      }
    }
    const decisions = Object.fromEntries(tmplIds.map((id) => [id, accept ? 'accept' : 'reject']));
    const result = await standIn('/__fake__/subscribe', { tmplIds, decisions });
    if (typeof result.errCode === 'number') throw result;
    return result;
  }

  /** H5 only: the code a getPhoneNumber button gives (on a phone it comes with the button's event). */
  async function devPhoneNumberCode(): Promise<string> {
    const data = await standIn('/__fake__/phone-code', {});
    if (typeof data.code !== 'string') throw new Error('开发环境手机号服务不可用');
    return data.code;
  }

  function clientId(): string {
    let id = storage.get(CLIENT_ID_KEY);
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      id = Array.from(
        { length: 24 },
        () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)],
      ).join('');
      storage.set(CLIENT_ID_KEY, id);
    }
    return id;
  }

  return {
    storage,
    transport,
    wechatLoginCode,
    uploadImage,
    imageSource,
    requestSubscribe,
    devPhoneNumberCode,
    clientId,
  };
}

/** What a getPhoneNumber button's event carries (e.detail). */
export interface PhoneNumberEventDetail {
  code?: string;
  errMsg?: string;
  errno?: number;
}

/**
 * Reads a getPhoneNumber button's event: the code to exchange on the server, nothing when the user
 * declined, or a message when WeChat could not give one (the form keeps typed entry as fallback).
 */
export function phoneCodeOf(detail: PhoneNumberEventDetail | null | undefined): {
  code?: string;
  message?: string;
} {
  if (detail?.code) return { code: detail.code };
  const msg = detail?.errMsg ?? '';
  if (/deny|cancel/i.test(msg)) return {};
  if (detail?.errno === 1400001) return { message: '微信手机号快速验证次数已用完，请直接填写手机号' };
  return { message: '暂时无法获取微信绑定的手机号，请直接填写' };
}
