import {
  createSession,
  type ApiClient,
  type ApiClientOptions,
  type MiniApp,
  type createMiniPlatform,
} from '@ygsa/shared';

type MiniPlatform = ReturnType<typeof createMiniPlatform>;

/** What of the platform the client needs (the app's createMiniPlatform result; a stub in tests). */
export type ClientPlatform = Pick<
  MiniPlatform,
  'storage' | 'transport' | 'wechatLoginCode' | 'clientId' | 'uploadImage' | 'imageSource'
>;

/**
 * An app's session and API client over its platform, and the calls every screen needs around them.
 * `createApi` is the app's own (createPublicApi or createOperatorApi): each app's package carries
 * only the schemas of its own calls.
 */
export function createMiniClient<Api extends Pick<ApiClient, 'loginWithWeChat'>>(options: {
  app: MiniApp;
  baseUrl: string;
  platform: ClientPlatform;
  createApi: (options: ApiClientOptions) => Api;
}) {
  const { app, baseUrl, platform } = options;
  const session = createSession({ app, login: platform.wechatLoginCode, storage: platform.storage });
  const api = options.createApi({
    baseUrl,
    transport: platform.transport,
    getToken: session.token,
    clientId: platform.clientId,
  });

  /** Signs in with WeChat unless a valid token is kept; `force` discards it first. */
  const signIn = (force = false) => session.signIn(api, force);

  /** Signs in (or keeps the session) first: the app's calls need the token. */
  async function signedIn(): Promise<void> {
    await signIn();
  }

  /** Uploads a picked photo and returns its id; photos go up before what uses them. */
  async function uploadPhoto(filePath: string): Promise<string> {
    await signedIn();
    return (await platform.uploadImage(`${baseUrl}/api/v1/uploads`, filePath, session.token())).id;
  }

  /** A stored photo (by id) as an address an <Image> can show. */
  async function photoSource(id: string): Promise<string> {
    await signedIn();
    return platform.imageSource(`${baseUrl}/api/v1/uploads/${id}`, session.token());
  }

  return { api, session, signIn, signedIn, uploadPhoto, photoSource };
}

/** A key that makes a retried submission land once (kept with the draft). */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
