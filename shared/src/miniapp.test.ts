import type { ApiClient } from './api-client';
import type { LoginResponse } from './auth';
import { createMiniRequestTransport, createSession, type KeyValueStorage } from './miniapp';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) };
}

const login = (token: string, expiresAt: string): LoginResponse => ({
  token,
  expiresAt,
  user: { id: 'u1', app: 'public', roles: ['diner'], createdAt: expiresAt, lastLoginAt: expiresAt },
});

describe('session', () => {
  const now = Date.parse('2026-11-22T08:00:00Z');

  function setup(storage = memoryStorage()) {
    let n = 0;
    const codes: string[] = [];
    const api = {
      loginWithWeChat: jest.fn(async (code: string) => {
        codes.push(code);
        n += 1;
        return login(`t${n}`, new Date(now + 3600_000).toISOString());
      }),
    } as unknown as ApiClient;
    const session = createSession({
      app: 'public',
      login: async () => `code${codes.length + 1}`,
      storage,
      now: () => now,
    });
    return { api, session, storage, codes };
  }

  it('when signing in, then the token is kept in storage and reused without a new WeChat login', async () => {
    const { api, session, storage, codes } = setup();
    await session.signIn(api);
    await session.signIn(api);
    expect(codes).toEqual(['code1']);
    expect(session.token()).toBe('t1');
    expect(JSON.parse(storage.data.get('ygsa.session.public') ?? '{}').token).toBe('t1');
  });

  it('when a stored token is about to expire, then signing in gets a new one', async () => {
    const storage = memoryStorage();
    storage.set('ygsa.session.public', JSON.stringify(login('old', new Date(now + 30_000).toISOString())));
    const { api, session, codes } = setup(storage);
    expect(session.token()).toBeUndefined();
    await session.signIn(api);
    expect(codes).toHaveLength(1);
    expect(session.token()).toBe('t1');
  });

  it('when forced, then a fresh login replaces a valid token', async () => {
    const { api, session } = setup();
    await session.signIn(api);
    await session.signIn(api, true);
    expect(session.token()).toBe('t2');
  });

  it('when storage holds garbage, then it is dropped', () => {
    const storage = memoryStorage();
    storage.set('ygsa.session.public', '{not json');
    const { session } = setup(storage);
    expect(session.token()).toBeUndefined();
    expect(storage.data.has('ygsa.session.public')).toBe(false);
  });

  it('when signing out, then the token is gone', async () => {
    const { api, session, storage } = setup();
    await session.signIn(api);
    session.signOut();
    expect(session.token()).toBeUndefined();
    expect(storage.data.size).toBe(0);
  });
});

describe('mini-program request transport', () => {
  it('passes the request through and parses a JSON text answer', async () => {
    const request = jest.fn(async () => ({ statusCode: 201, data: '{"ok":true}' }));
    const transport = createMiniRequestTransport(request);
    const res = await transport({ method: 'POST', url: 'https://a/b', headers: { X: '1' }, body: '{}', timeoutMs: 5 });
    expect(res).toEqual({ status: 201, body: { ok: true } });
    expect(request).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'https://a/b', method: 'POST', header: { X: '1' }, data: '{}', timeout: 5 }),
    );
  });

  it('when the answer is not JSON, then the body is undefined', async () => {
    const transport = createMiniRequestTransport(async () => ({ statusCode: 502, data: '<html>' }));
    expect(await transport({ method: 'GET', url: 'u', headers: {}, timeoutMs: 1 })).toEqual({
      status: 502,
      body: undefined,
    });
  });
});
