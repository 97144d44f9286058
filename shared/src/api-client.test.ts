import { ApiError, createApiClient } from './api-client';
import type { HttpRequest, HttpResponse, Transport } from './transport';

const health = {
  status: 'ok',
  time: '2026-11-22T00:00:00.000Z',
  api: { status: 'ok', version: '0.1.0', uptimeSeconds: 3 },
  database: { status: 'ok', latencyMs: 2 },
};

function clientAnswering(answer: HttpResponse | Error, token?: string) {
  const sent: HttpRequest[] = [];
  const transport: Transport = async (req) => {
    sent.push(req);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { api: createApiClient({ baseUrl: 'https://api.example', transport, getToken: () => token }), sent };
}

describe('api client', () => {
  it('when the API answers a valid document, then it is returned typed, and the token is sent', async () => {
    const { api, sent } = clientAnswering({ status: 200, body: health }, 'tok');
    await expect(api.health()).resolves.toEqual(health);
    expect(sent[0]).toMatchObject({ method: 'GET', url: 'https://api.example/healthz' });
    expect(sent[0]?.headers.Authorization).toBe('Bearer tok');
  });

  it('when the database is down (503 with a health report), then the report is returned', async () => {
    const degraded = { ...health, status: 'degraded', database: { status: 'down', error: 'x' } };
    const { api } = clientAnswering({ status: 503, body: degraded });
    await expect(api.health()).resolves.toMatchObject({ database: { status: 'down' } });
  });

  it('when the API answers the error shape, then an ApiError with its code, message and details', async () => {
    const { api } = clientAnswering({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: '提交的内容有误',
          details: [{ path: 'body.code', message: '缺少' }],
        },
      },
    });
    const err = await api.loginWithWeChat('c', 'public').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, message: '提交的内容有误' });
    expect((err as ApiError).details).toEqual([{ path: 'body.code', message: '缺少' }]);
  });

  it('when the network fails, then NETWORK_ERROR with a Chinese message', async () => {
    const { api } = clientAnswering(new Error('socket hang up'));
    await expect(api.me()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      message: expect.stringMatching(/网络/),
    });
  });

  it('when a 200 body does not match the contract, then BAD_RESPONSE', async () => {
    const { api } = clientAnswering({ status: 200, body: { id: 1 } });
    await expect(api.me()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('when an error body is not the error shape (a proxy page), then BAD_RESPONSE with the status', async () => {
    const { api } = clientAnswering({ status: 502, body: undefined });
    await expect(api.me()).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
  });

  it('sends the login body as JSON', async () => {
    const { api, sent } = clientAnswering({ status: 500, body: undefined });
    await api.loginWithWeChat('abc', 'operator').catch(() => undefined);
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ code: 'abc', app: 'operator' });
  });

  it('when a licence file is checked or imported, then it is sent as CSV text, the import asking to be written in the background', async () => {
    const { api, sent } = clientAnswering({ status: 200, body: { total: 1, toCreate: 1, toUpdate: 0, unchanged: 0 } });
    const csv = 'name,licence\n阳光小厨,JY1';
    await expect(api.checkImport(csv)).resolves.toEqual({ total: 1, toCreate: 1, toUpdate: 0, unchanged: 0 });
    expect(sent[0]).toMatchObject({ method: 'POST', body: csv });
    expect(sent[0]?.url).toBe('https://api.example/api/v1/regulator/establishments/import?mode=check');
    expect(sent[0]?.headers['Content-Type']).toBe('text/csv; charset=utf-8');
    await api.startImport(csv).catch(() => undefined);
    expect(sent[1]?.headers.Prefer).toBe('respond-async');
    expect(sent[1]?.body).toBe(csv);
  });
});
