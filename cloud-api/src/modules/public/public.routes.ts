import {
  HonourBoardSchema,
  ObjectIdSchema,
  OpenGradesSchema,
  ShopLiveSchema,
  ShopProfileSchema,
  ShopSearchQuerySchema,
  ShopSearchResultSchema,
} from '@ygsa/shared';
import { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { AppContext } from '../../http/context';
import type { AppDeps } from '../../deps';
import { findEstablishment } from '../establishments/establishment.service';
import { resolvePayload, verifyPayload } from '../qr/qr.service';
import { cachedPayload, cachedProfile, storePayload, storeProfile, type CachedBody } from './profile-cache';
import { honourBoard, openGrades, searchShops, shopLive, shopProfile } from './public.service';

/** Public reads may be cached briefly by clients and proxies; ETags make revalidation cheap. */
const cacheable = (ctx: AppContext) => ctx.set('Cache-Control', 'public, max-age=30');

/** Answers a serialised profile with its ETag (koa-etag and conditional-get then leave it, or 304). */
function sendCached(ctx: AppContext, body: CachedBody): string {
  cacheable(ctx);
  ctx.type = 'application/json';
  ctx.etag = body.etag;
  return body.json;
}

export function publicRoutes(deps: AppDeps) {
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/by-code/:payload',
      access: 'public',
      summary: 'Resolve a scanned code to the shop profile; forged, altered or revoked codes are refused',
      output: ShopProfileSchema,
      params: z.object({ payload: z.string().max(64) }).strict(),
      async handler({ params, ctx }) {
        // The form is checked by the service, so a malformed scan gets QR_INVALID rather than a field error.
        verifyPayload(deps.config.qr.secret, params.payload);
        const knownId = cachedPayload(params.payload);
        const hit = knownId && cachedProfile(knownId);
        if (hit) return sendCached(ctx, hit);
        const est = await resolvePayload(deps.db, deps.config.qr.secret, params.payload);
        const id = String(est._id);
        const profile = await shopProfile(g, est);
        storePayload(params.payload, id);
        return sendCached(ctx, storeProfile(id, profile, profile.grade.validUntil));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/:id',
      access: 'public',
      summary: 'A shop profile (一户一档) by id',
      output: ShopProfileSchema,
      params: z.object({ id: ObjectIdSchema }).strict(),
      async handler({ params, ctx }) {
        const hit = cachedProfile(params.id);
        if (hit) return sendCached(ctx, hit);
        const profile = await shopProfile(g, await findEstablishment(deps.db, params.id));
        return sendCached(ctx, storeProfile(params.id, profile, profile.grade.validUntil));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops',
      access: 'public',
      summary: 'Nearby and keyword search of open shops, paged',
      output: ShopSearchResultSchema,
      query: ShopSearchQuerySchema,
      async handler({ query, ctx }) {
        const result = await searchShops(g, query);
        cacheable(ctx);
        return result;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/:id/live',
      access: 'public',
      summary: "看后厨: the shop's cameras, whether it is open now, and whether only its parents' committee may watch",
      output: ShopLiveSchema,
      params: z.object({ id: ObjectIdSchema }).strict(),
      async handler({ params, ctx }) {
        ctx.set('Cache-Control', 'no-cache');
        return shopLive(deps.db, await findEstablishment(deps.db, params.id));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open/grades.json',
      access: 'public',
      summary: "Open data: every shop's grade and standing as its public file shows them, paged",
      output: OpenGradesSchema,
      query: z
        .object({
          district: z.string().trim().max(30).optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(100),
        })
        .strict(),
      async handler({ query, ctx }) {
        cacheable(ctx);
        return openGrades(g, query);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/districts/:district/board',
      access: 'public',
      summary: '红黑榜 of a district, derived from grades',
      output: HonourBoardSchema,
      params: z.object({ district: z.string().trim().min(2).max(30) }).strict(),
      async handler({ params, ctx }) {
        const board = await honourBoard(g, params.district);
        cacheable(ctx);
        return board;
      },
    }),
  ];
}
