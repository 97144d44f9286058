import type { ApiClientOptions, LoginResponse } from '@ygsa/shared';
import { createMiniClient, newIdempotencyKey, type ClientPlatform } from './create-mini-client';

const login = {
  token: 't1',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', roles: ['diner'] },
} as unknown as LoginResponse;

function setUp() {
  const data = new Map<string, string>();
  const platform = {
    storage: { get: (k: string) => data.get(k), set: (k: string, v: string) => void data.set(k, v), remove: jest.fn() },
    transport: jest.fn(),
    wechatLoginCode: jest.fn(() => Promise.resolve('code-1')),
    clientId: () => 'install-1',
    uploadImage: jest.fn((url: string, path: string, token?: string) =>
      Promise.resolve({ id: `${url}|${path}|${token}` }),
    ),
    imageSource: jest.fn((url: string, token?: string) => Promise.resolve(`${url}|${token}`)),
  } as unknown as ClientPlatform;
  let given: ApiClientOptions | undefined;
  const loginWithWeChat = jest.fn(() => Promise.resolve(login));
  const createApi = (options: ApiClientOptions) => {
    given = options;
    return { loginWithWeChat, ping: () => 'pong' };
  };
  const client = createMiniClient({ app: 'public', baseUrl: 'https://api.test', platform, createApi });
  return { client, platform, loginWithWeChat, given: () => given, data };
}

describe('createMiniClient', () => {
  it("builds the app's own API over the platform, with the session's token", async () => {
    const { client, given, loginWithWeChat } = setUp();
    expect(client.api.ping()).toBe('pong');
    expect(given()?.baseUrl).toBe('https://api.test');
    expect(given()?.clientId?.()).toBe('install-1');
    expect(given()?.getToken?.()).toBeUndefined();
    await client.signedIn();
    expect(loginWithWeChat).toHaveBeenCalledWith('code-1', 'public');
    expect(given()?.getToken?.()).toBe('t1');
  });

  it('signs in once and keeps the session; signIn(true) signs in again', async () => {
    const { client, loginWithWeChat, data } = setUp();
    await client.signedIn();
    await client.signedIn();
    expect(loginWithWeChat).toHaveBeenCalledTimes(1);
    expect(data.has('ygsa.session.public')).toBe(true);
    await client.signIn(true);
    expect(loginWithWeChat).toHaveBeenCalledTimes(2);
  });

  it('uploads a photo and shows a stored one after signing in, with the token', async () => {
    const { client } = setUp();
    expect(await client.uploadPhoto('/tmp/a.jpg')).toBe('https://api.test/api/v1/uploads|/tmp/a.jpg|t1');
    expect(await client.photoSource('p9')).toBe('https://api.test/api/v1/uploads/p9|t1');
  });

  it('makes a new idempotency key each time', () => {
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
