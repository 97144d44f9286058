import Koa from 'koa';
import Router from '@koa/router';
import pino from 'pino';
import supertest from 'supertest';
import { ERROR_CODES, ERROR_MESSAGES, ErrorBodySchema } from '@ygsa/shared';
import { AppError, STATUS_BY_CODE } from '../src/http/app-error';
import type { AppState } from '../src/http/context';
import { errorMiddleware } from '../src/http/error-middleware';
import { requestContext } from '../src/http/request-context';
import { startTestApi, type TestApi } from './helpers';

describe('error codes', () => {
  it.each(ERROR_CODES)('%s has an HTTP status and a Chinese message', (code) => {
    expect(STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_MESSAGES[code]).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('error middleware', () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const app = new Koa<AppState>();
  app.silent = true;
  const router = new Router<AppState>();
  router.get('/boom', () => {
    throw new Error('secret internals at /srv/app.js:42');
  });
  router.get('/conflict', () => {
    throw new AppError('CONFLICT', { details: [{ path: 'body.x', message: '已存在' }] });
  });
  app.use(requestContext(logger));
  app.use(errorMiddleware());
  app.use(router.routes());
  const http = supertest(app.callback());

  it('when a handler throws an unknown error, then the client gets a 500 INTERNAL without internals, and it is logged', async () => {
    const res = await http.get('/boom');
    expect(res.status).toBe(500);
    expect(ErrorBodySchema.parse(res.body)).toEqual({ error: { code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL } });
    expect(res.text).not.toContain('secret internals');
    expect(lines.some((l) => l.includes('secret internals') && l.includes('"level":50'))).toBe(true);
  });

  it('when a service throws an AppError, then its code, status and details are answered', async () => {
    const res = await http.get('/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { code: 'CONFLICT', message: ERROR_MESSAGES.CONFLICT, details: [{ path: 'body.x', message: '已存在' }] },
    });
  });

  it('when no route matches, then ROUTE_NOT_FOUND in the same shape, with a request id header', async () => {
    const res = await http.get('/nowhere').set('X-Request-Id', 'trace-12345678');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.headers['x-request-id']).toBe('trace-12345678');
  });

  it('when the request id header is unsafe, then a fresh id is used instead', async () => {
    const res = await http.get('/nowhere').set('X-Request-Id', 'bad id\twith tabs');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors through the real app', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('when the body is not JSON, then BAD_JSON', async () => {
    const res = await api.http.post('/api/v1/auth/wechat').set('Content-Type', 'application/json').send('{"code":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_JSON');
  });

  it('when the body is sent as a form, then UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await api.http.post('/api/v1/auth/wechat').type('form').send('code=abc&app=public');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the body is larger than the limit, then PAYLOAD_TOO_LARGE', async () => {
    const res = await api.http
      .post('/api/v1/auth/wechat')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'x'.repeat(200_000), app: 'public' }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a route is called with the wrong method, then METHOD_NOT_ALLOWED', async () => {
    const res = await api.http.delete('/api/v1/auth/wechat');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('when fields are invalid, then VALIDATION_FAILED lists each field in Chinese', async () => {
    const res = await api.http.post('/api/v1/auth/wechat').send({ code: 'a b', app: 'admin', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.error.details as { path: string; message: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['body', 'body.app', 'body.code']);
    for (const d of res.body.error.details) expect(d.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
