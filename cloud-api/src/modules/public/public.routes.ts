import { ObjectIdSchema, ShopSearchQuerySchema } from '@ygsa/shared';
import { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { AppContext } from '../../http/context';
import type { AppDeps } from '../../deps';
import { findEstablishment } from '../establishments/establishment.service';
import { resolvePayload } from '../qr/qr.service';
import { honourBoard, searchShops, shopProfile } from './public.service';

/** Public reads may be cached briefly by clients and proxies; ETags make revalidation cheap. */
const cacheable = (ctx: AppContext) => ctx.set('Cache-Control', 'public, max-age=30');

export function publicRoutes(deps: AppDeps) {
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/by-code/:payload',
      access: 'public',
      summary: 'Resolve a scanned code to the shop profile; forged, altered or revoked codes are refused',
      params: z.object({ payload: z.string().max(64) }).strict(),
      async handler({ params, ctx }) {
        // The form is checked by the service, so a malformed scan gets QR_INVALID rather than a field error.
        const est = await resolvePayload(deps.db, deps.config.qr.secret, params.payload);
        cacheable(ctx);
        return shopProfile(g, est);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/:id',
      access: 'public',
      summary: 'A shop profile (一户一档) by id',
      params: z.object({ id: ObjectIdSchema }).strict(),
      async handler({ params, ctx }) {
        const profile = await shopProfile(g, await findEstablishment(deps.db, params.id));
        cacheable(ctx);
        return profile;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops',
      access: 'public',
      summary: 'Nearby and keyword search of open shops, paged',
      query: ShopSearchQuerySchema,
      async handler({ query, ctx }) {
        const result = await searchShops(g, query);
        cacheable(ctx);
        return result;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/districts/:district/board',
      access: 'public',
      summary: '红黑榜 of a district, derived from grades',
      params: z.object({ district: z.string().trim().min(2).max(30) }).strict(),
      async handler({ params, ctx }) {
        const board = await honourBoard(g, params.district);
        cacheable(ctx);
        return board;
      },
    }),
  ];
}
