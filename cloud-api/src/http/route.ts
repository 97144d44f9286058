import type Router from '@koa/router';
import type { Role, FieldIssue } from '@ygsa/shared';
import type { z } from '@ygsa/shared';
import { AppError } from './app-error';
import type { AppContext, AppState, Caller } from './context';
import type { TokenSigner } from './tokens';

/**
 * Who may call a route: anyone, any signed-in user, or only the listed roles.
 * Every route states this; a test walks the route table and proves the refusals.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller | undefined;
  ctx: AppContext;
}

export interface SignedInRouteInput<P, Q, B> extends RouteInput<P, Q, B> {
  caller: Caller;
}

interface RouteSpecBase<P, Q, B> {
  method: Method;
  path: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Status of a successful answer; 200 unless given. */
  status?: number;
  summary: string;
}

export type RouteSpec<P, Q, B> =
  | (RouteSpecBase<P, Q, B> & {
      access: 'public';
      handler: (input: RouteInput<P, Q, B>) => Promise<unknown> | unknown;
    })
  | (RouteSpecBase<P, Q, B> & {
      access: 'signed-in' | readonly Role[];
      handler: (input: SignedInRouteInput<P, Q, B>) => Promise<unknown> | unknown;
    });

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  hasBody: boolean;
  mount(router: Router<AppState>, tokens: TokenSigner): void;
}

function issuesOf(error: z.ZodError, where: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('VALIDATION_FAILED', { details: issuesOf(result.error, where) });
  return result.data;
}

function bearer(ctx: AppContext): string | undefined {
  const header = ctx.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', { message: '登录凭证格式错误' });
  return match[1];
}

/** Declares one route: its access rule, its input schemas and a handler that returns the body. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): RouteDef {
  return {
    method: spec.method,
    path: spec.path,
    access: spec.access,
    summary: spec.summary,
    hasBody: spec.body !== undefined,
    mount(router, tokens) {
      router.register(spec.path, [spec.method], async (ctx: AppContext) => {
        // 1. Who is calling. Public routes never look at the token, so a stale one cannot break them.
        let caller: Caller | undefined;
        if (spec.access !== 'public') {
          const token = bearer(ctx);
          if (!token) throw new AppError('UNAUTHENTICATED');
          caller = tokens.verify(token);
          if (spec.access !== 'signed-in' && !caller.roles.some((r) => spec.access.includes(r))) {
            throw new AppError('FORBIDDEN');
          }
          ctx.state.caller = caller;
        }
        // 2. What they sent.
        if (spec.body && ctx.request.length && !ctx.is('application/json')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以 JSON 格式提交' });
        }
        const input = {
          params: parse(spec.params, ctx.params, 'params'),
          query: parse(spec.query, ctx.query, 'query'),
          body: parse(spec.body, (ctx.request as { body?: unknown }).body, 'body'),
          caller,
          ctx,
        };
        // 3. The use case. Access was checked above, so the signed-in handler gets a caller.
        // The status is set first so that a handler may still choose another (a 503 health report).
        ctx.status = spec.status ?? 200;
        const result = await (spec.handler as (i: typeof input) => unknown)(input);
        if (result !== undefined) {
          const status = ctx.status;
          ctx.body = result;
          ctx.status = status;
        } else ctx.status = 204;
      });
    },
  };
}
