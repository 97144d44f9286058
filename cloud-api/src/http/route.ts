import type Router from '@koa/router';
import type { Role, FieldIssue } from '@ygsa/shared';
import type { z } from 'zod';
import getRawBody from 'raw-body';
import { AppError } from './app-error';

const CSV_LIMIT = '5mb';
import type { AppContext, AppState, Caller, RegulatorScope } from './context';
import type { TokenSigner } from './tokens';
import { clientIdOf, type LimitKind, type RateLimiter } from './rate-limit';

/**
 * Who may call a route: anyone, any signed-in user, or only the listed roles.
 * Every route states this; a test walks the route table and proves the refusals.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Public routes may or may not know the caller; all others always do. */
type CallerOf<A extends Access> = A extends 'public' ? Caller | undefined : Caller;

export interface RouteInput<P, Q, B, C extends Caller | undefined = Caller | undefined> {
  params: P;
  query: Q;
  body: B;
  caller: C;
  ctx: AppContext;
}

interface RouteSpecBase<P, Q, B> {
  method: Method;
  path: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Status of a successful answer; 200 unless given. */
  status?: number;
  /** JSON unless given: a CSV upload arrives as text/csv and its body schema gets the text. */
  bodyType?: 'json' | 'csv';
  /** The abuse limit this route counts against (per user, client install and IP). */
  limit?: LimitKind;
  /**
   * The shared schema of a successful answer (the wire contract the apps parse). Checked on every
   * answer when the app is built with `checkAnswers` (the API tests), never in production.
   */
  output?: z.ZodType;
  summary: string;
  /**
   * For a regulator caller: where the resource named in the request is. It throws FORBIDDEN when the
   * resource lies outside the caller's jurisdiction (or their role may not act on it), before the
   * handler runs. Every regulator route names one, or says it is `cityWide` (it has no single
   * resource and its handler keeps to the caller's jurisdiction).
   */
  scope?: (input: RouteInput<P, Q, B, Caller>) => Promise<void> | void;
  cityWide?: true;
}

export type RouteSpec<A extends Access, P, Q, B> = RouteSpecBase<P, Q, B> & {
  access: A;
  handler: (input: RouteInput<P, Q, B, CallerOf<A>>) => Promise<unknown> | unknown;
};

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  hasBody: boolean;
  /** How a regulator route keeps to the caller's jurisdiction: by its resource, or inside its handler. */
  jurisdiction?: 'resource' | 'city-wide';
  limit?: LimitKind;
  output?: z.ZodType;
  mount(router: Router<AppState>, tokens: TokenSigner, limiter?: RateLimiter, opts?: MountOptions): void;
}

export interface MountOptions {
  /** Parse each successful answer with the route's output schema; a mismatch is a 500 naming the field. */
  checkAnswers?: boolean;
  /** A regulator's active account, or null (none, or ended): read on every regulator request. */
  regulatorScope?: (userId: string) => Promise<RegulatorScope | null>;
}

/** An answer that breaks its route's declared schema: a bug of ours, reported with the fields. */
function checkAnswer(spec: { method: string; path: string; output?: z.ZodType }, result: unknown): void {
  if (!spec.output) return;
  // A cached answer is already serialised JSON; anything else is compared as it will be sent.
  const sent: unknown = JSON.parse(typeof result === 'string' ? result : JSON.stringify(result));
  const parsed = spec.output.safeParse(sent);
  const problems = parsed.success
    ? undeclaredKeys(sent, parsed.data, '').map((path) => `${path}: not in the schema`)
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
  if (problems.length)
    throw new Error(`the answer of ${spec.method} ${spec.path} breaks its declared schema: ${problems.join('; ')}`);
}

/**
 * Keys an answer carries that its schema does not declare (zod drops them when parsing): what a
 * caller was never meant to receive, such as a field added to a document and leaked by a view.
 */
function undeclaredKeys(sent: unknown, declared: unknown, path: string): string[] {
  if (Array.isArray(sent) && Array.isArray(declared))
    return sent.flatMap((v, i) => undeclaredKeys(v, declared[i], `${path}[${i}]`));
  if (!sent || typeof sent !== 'object' || !declared || typeof declared !== 'object') return [];
  const known = declared as Record<string, unknown>;
  return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) =>
    k in known ? undeclaredKeys(v, known[k], path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k],
  );
}

/** One sentence per field (shared/src/zod.ts words it): a field's own problem before a rule about it. */
function issuesOf(error: z.ZodError, where: string): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [where, ...issue.path.map(String)].join('.');
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: issue.message });
  }
  return out;
}

/** Parses params, query and body, and reports every invalid field of all three at once. */
function parseInput<P, Q, B>(
  spec: Pick<RouteSpecBase<P, Q, B>, 'params' | 'query' | 'body'>,
  raw: { params: unknown; query: unknown; body: unknown },
): { params: P; query: Q; body: B } {
  const details: FieldIssue[] = [];
  const one = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
    if (!schema) return undefined as T;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    details.push(...issuesOf(result.error, where));
    return undefined as T;
  };
  const parsed = {
    params: one(spec.params, raw.params, 'params'),
    query: one(spec.query, raw.query, 'query'),
    body: one(spec.body, raw.body, 'body'),
  };
  if (details.length) throw new AppError('VALIDATION_FAILED', { details });
  return parsed;
}

function bearer(ctx: AppContext): string | undefined {
  const header = ctx.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', { message: '登录凭证格式错误' });
  return match[1];
}

/** Declares one route: its access rule, its input schemas and a handler that returns the body. */
export function defineRoute<A extends Access, P = undefined, Q = undefined, B = undefined>(
  spec: RouteSpec<A, P, Q, B>,
): RouteDef {
  return {
    method: spec.method,
    path: spec.path,
    access: spec.access,
    summary: spec.summary,
    hasBody: spec.body !== undefined,
    ...(spec.scope
      ? { jurisdiction: 'resource' as const }
      : spec.cityWide
        ? { jurisdiction: 'city-wide' as const }
        : {}),
    ...(spec.limit ? { limit: spec.limit } : {}),
    ...(spec.output ? { output: spec.output } : {}),
    mount(router, tokens, limiter, opts = {}) {
      router.register(spec.path, [spec.method], async (ctx: AppContext) => {
        // 1. Who is calling. Public routes never look at the token, so a stale one cannot break them.
        let caller: Caller | undefined;
        if (spec.access !== 'public') {
          const token = bearer(ctx);
          if (!token) throw new AppError('UNAUTHENTICATED');
          caller = tokens.verify(token);
          const access: Access = spec.access;
          if (access !== 'signed-in' && !caller.roles.some((r) => access.includes(r))) {
            throw new AppError('FORBIDDEN');
          }
          // A regulator acts through their account as it is now: ended or never bound, nothing of a
          // regulator's (elsewhere, e.g. a photo or a stream, they are treated as anyone signed in).
          if (caller.roles.includes('regulator')) {
            const scope = opts.regulatorScope ? await opts.regulatorScope(caller.userId) : null;
            if (scope) caller = { ...caller, regulator: scope };
            else if (access !== 'signed-in' && access.includes('regulator'))
              throw new AppError('FORBIDDEN', { message: '监管账号未开通或已停用，请联系管理员' });
          }
          ctx.state.caller = caller;
        }
        // 2. Not too often: counted before any work, so a flood costs little.
        if (spec.limit && limiter) {
          await limiter.consume(spec.limit, {
            ...(caller ? { userId: caller.userId } : {}),
            ...(clientIdOf(ctx.get('x-client-id')) ? { clientId: clientIdOf(ctx.get('x-client-id')) } : {}),
            ip: ctx.ip,
          });
        }
        // 3. Where: a regulator's resource must lie within their jurisdiction, before anything of the
        // request but the resource's id is looked at (a JSON body as it came; a file is not read yet).
        if (caller?.regulator && spec.scope) {
          const { params } = parseInput({ params: spec.params }, { params: ctx.params, query: {}, body: {} });
          const body = (ctx.request as { body?: unknown }).body;
          await spec.scope({ params, query: ctx.query, body, caller, ctx } as RouteInput<P, Q, B, Caller>);
        }
        // 4. What they sent.
        let rawBody: unknown = (ctx.request as { body?: unknown }).body;
        if (spec.bodyType === 'csv') {
          if (!ctx.is('text/csv', 'text/plain'))
            throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请上传 CSV 文件（text/csv）' });
          rawBody = await getRawBody(ctx.req, { limit: CSV_LIMIT, encoding: 'utf-8' });
        } else if (spec.body && ctx.request.length && !ctx.is('application/json')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以 JSON 格式提交' });
        }
        const input = {
          ...parseInput(spec, { params: ctx.params, query: ctx.query, body: rawBody }),
          caller,
          ctx,
        };
        // 5. The use case. Access was checked above, so a non-public handler always gets a caller.
        // The status is set first so that a handler may still choose another (a 503 health report).
        ctx.status = spec.status ?? 200;
        const result = await spec.handler(input as RouteInput<P, Q, B, CallerOf<A>>);
        if (opts.checkAnswers && result !== undefined && ctx.status < 300) checkAnswer(spec, result);
        if (result !== undefined) {
          const status = ctx.status;
          ctx.body = result;
          ctx.status = status;
        } else ctx.status = 204;
      });
    },
  };
}
