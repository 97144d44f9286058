import { SUBSCRIBE_MESSAGES, type MessageKind, type MiniApp } from '@ygsa/shared';

/** The WeChat stand-in of scripts/lib/fake-wechat.cjs, as tests drive it. */
export interface FakeWeChat {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  issueCode(appid: string, user: string): string;
  consent(appid: string, openid: string, templateId: string, count?: number): void;
  openidOf(appid: string, user: string): string;
  phoneOf(user: string): string;
  setPushUrl(appid: string, url: string | (() => string)): void;
  flagImage(sha256: string): void;
  holdMediaVerdicts(): void;
  releaseMediaVerdicts(): void;
  verifyPushUrl(appid: string): Promise<boolean>;
  messages(): StandInMessage[];
  pushes(): { trace_id: string; appid: string; attempts: number; delivered: boolean; suggest: string | null }[];
  textChecks(): { appid: string; openid: string; scene: number; content: string; suggest: string }[];
}

export interface StandInMessage {
  appid: string;
  touser: string;
  template_id: string;
  title: string;
  page: string;
  data: Record<string, { value: string }>;
  miniprogram_state: string;
}

export interface FakeOptions {
  riskyWords?: string[];
  reviewWords?: string[];
  riskyImages?: string[];
  mediaDelayMs?: number;
  pushRetryMs?: number;
  pushToken?: string;
  now?: () => number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const impl = require('../../scripts/lib/fake-wechat.cjs') as {
  createFakeWeChat(opts?: FakeOptions): FakeWeChat;
  pushSignature(token: string, timestamp: string, nonce: string): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const devConsole = require('../../scripts/lib/wechat-console.cjs') as {
  DEV_WECHAT_APPS: Record<MiniApp, { appid: string; secret: string }>;
  DEV_PUSH_TOKEN: string;
};

export const createFakeWeChat = impl.createFakeWeChat;
export const pushSignature = impl.pushSignature;
export const DEV_PUSH_TOKEN = devConsole.DEV_PUSH_TOKEN;

/** A stand-in of its own, listening; the URL is its base. */
export async function startStandIn(opts: FakeOptions = {}) {
  const fake = createFakeWeChat({ mediaDelayMs: 30, pushRetryMs: 100, ...opts });
  const url = await fake.listen();
  const appid = (app: MiniApp) => devConsole.DEV_WECHAT_APPS[app].appid;
  return {
    fake,
    url,
    appid,
    /** What a phone's wx.login gives `user`. */
    async loginCode(app: MiniApp, user: string): Promise<string> {
      const res = await fetch(`${url}/__fake__/login`, {
        method: 'POST',
        body: JSON.stringify({ appid: appid(app), user }),
      });
      const body = (await res.json()) as { code?: string };
      if (!body.code) throw new Error(`the stand-in gave no code: ${JSON.stringify(body)}`);
      return body.code;
    },
    /**
     * The user taps 允许 on WeChat's consent sheet for these kinds (what the app's request does),
     * `times` times: each accept allows one message.
     */
    async consent(app: MiniApp, user: string, kinds: MessageKind[], times = 1): Promise<Record<string, string>> {
      let answer: Record<string, string> = {};
      for (let i = 0; i < times; i += 1) {
        const res = await fetch(`${url}/__fake__/subscribe`, {
          method: 'POST',
          body: JSON.stringify({
            appid: appid(app),
            user,
            tmplIds: kinds.map((k) => SUBSCRIBE_MESSAGES[k].devTemplateId),
          }),
        });
        answer = (await res.json()) as Record<string, string>;
      }
      return answer;
    },
    /** Messages delivered to an openid. */
    inboxOf(openid: string): StandInMessage[] {
      return fake.messages().filter((m) => m.touser === openid);
    },
    /** Messages delivered to a user of an app. */
    inbox(app: MiniApp, user: string): StandInMessage[] {
      const openid = fake.openidOf(appid(app), user);
      return fake.messages().filter((m) => m.touser === openid);
    },
  };
}

export type StandIn = Awaited<ReturnType<typeof startStandIn>>;
