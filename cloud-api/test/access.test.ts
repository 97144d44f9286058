import Koa from 'koa';
import Router from '@koa/router';
import pino from 'pino';
import supertest from 'supertest';
import { ROLES, type Role } from '@ygsa/shared';
import { z } from 'zod';
import type { AppState } from '../src/http/context';
import { errorMiddleware } from '../src/http/error-middleware';
import { requestContext } from '../src/http/request-context';
import { defineRoute } from '../src/http/route';
import { createTokenSigner } from '../src/http/tokens';
import { allRoutes } from '../src/modules';
import type { AppDeps } from '../src/deps';
import { jsonBody } from '../src/app';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './helpers';

const tokens = createTokenSigner({ secret: TEST_JWT_SECRET, ttlSeconds: 600 });
const tokenFor = (role: Role) => tokens.sign('0123456789abcdef01234567', [role]).token;

/** Fills a path's :params with a plausible id so the request reaches the access check. */
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '0123456789abcdef01234567');

describe('every route refuses those it does not admit', () => {
  let api: TestApi;
  let routes: ReturnType<typeof allRoutes>;
  beforeAll(async () => {
    api = await startTestApi();
    routes = allRoutes({ config: api.config, db: api.db } as AppDeps);
  });
  afterAll(() => api.close());

  it('has routes to check, each stating its access', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes)
      expect(r.access === 'public' || r.access === 'signed-in' || Array.isArray(r.access)).toBe(true);
  });

  it('every public read declares the shared schema of its answer (checked on each answer in the API tests)', () => {
    const undeclared = routes
      .filter((r) => r.access === 'public' && r.method === 'GET' && r.path.startsWith('/api/v1/public/'))
      .filter((r) => !r.output)
      .map((r) => r.path);
    expect(undeclared).toEqual([]);
  });

  it('when a protected route is called without a token, then 401 UNAUTHENTICATED', async () => {
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const res = await api.http[route.method.toLowerCase() as 'get'](concrete(route.path));
      expect([route.path, res.status, res.body.error?.code]).toEqual([route.path, 401, 'UNAUTHENTICATED']);
    }
  });

  it('when a role-restricted route is called with any other role, then 403 FORBIDDEN', async () => {
    for (const route of routes.filter((r) => Array.isArray(r.access))) {
      for (const role of ROLES.filter((x) => !(route.access as readonly Role[]).includes(x))) {
        const res = await api.http[route.method.toLowerCase() as 'get'](concrete(route.path)).set(
          'Authorization',
          `Bearer ${tokenFor(role)}`,
        );
        expect([route.path, role, res.status]).toEqual([route.path, role, 403]);
      }
    }
  });
});

describe('defineRoute access rules', () => {
  const app = new Koa<AppState>();
  app.silent = true;
  const router = new Router<AppState>();
  defineRoute({
    method: 'POST',
    path: '/inspect/:id',
    access: ['regulator'],
    summary: 'test route',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    body: z.object({ score: z.number().int().min(0).max(100) }),
    handler: ({ params, body, caller }) => ({ id: params.id, score: body.score, by: caller.userId }),
  }).mount(router, tokens, undefined, {
    // The one regulator with an active account; any other regulator token has none.
    regulatorScope: async (userId) =>
      userId === '0123456789abcdef01234567'
        ? { userId, name: '测试', role: 'city_admin', jurisdiction: { city: true, districts: [], offices: [] } }
        : null,
  });
  app.use(requestContext(pino({ level: 'silent' })));
  app.use(errorMiddleware());
  app.use(jsonBody());
  app.use(router.routes());
  const http = supertest(app.callback());

  it('when a regulator calls a regulator route, then the handler runs with the caller', async () => {
    const res = await http
      .post('/inspect/7')
      .set('Authorization', `Bearer ${tokenFor('regulator')}`)
      .send({ score: 91 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '7', score: 91, by: '0123456789abcdef01234567' });
  });

  it.each(['diner', 'parent', 'operator'] as const)(
    'when a %s calls a regulator route, then 403 before the input is read',
    async (role) => {
      const res = await http
        .post('/inspect/x')
        .set('Authorization', `Bearer ${tokenFor(role)}`)
        .send({ score: 'bad' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    },
  );

  it('when a regulator token has no active account behind it, then 403 before the input is read', async () => {
    const res = await http
      .post('/inspect/7')
      .set('Authorization', `Bearer ${tokens.sign('65a0000000000000000000ff', ['regulator']).token}`)
      .send({ score: 'bad' });
    expect([res.status, res.body.error.message]).toEqual([403, '监管账号未开通或已停用，请联系管理员']);
  });

  it('when the Authorization header is not a Bearer token, then 401', async () => {
    const res = await http.post('/inspect/7').set('Authorization', 'Basic abc').send({ score: 1 });
    expect(res.status).toBe(401);
  });

  it('when params and body are invalid, then VALIDATION_FAILED lists both', async () => {
    const res = await http
      .post('/inspect/x')
      .set('Authorization', `Bearer ${tokenFor('regulator')}`)
      .send({ score: 101 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['params.id', 'body.score']);
  });
});
