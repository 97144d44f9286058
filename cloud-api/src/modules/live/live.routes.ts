import { z } from 'zod';
import { ObjectIdSchema } from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import { AppError } from '../../http/app-error';
import type { AppDeps } from '../../deps';
import { requireRole } from '../members/member.service';
import { CAMERA_ZONES } from './camera.model';
import { addCamera, authorizePublish, camerasOf, playableUrl, publishDone, rotateStreamKey } from './live.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
/** nginx-rtmp posts form fields; only the ones we read are checked, the rest are allowed. */
const PublishForm = z.object({ name: z.string().max(64), key: z.string().max(128).optional() }).passthrough();
const TokenQuery = z.object({ token: z.string().max(200) }).strict();

export function liveRoutes(deps: AppDeps) {
  const media = deps.config.media;
  const checkToken = (token: string) => {
    if (token !== media.callbackToken) throw new AppError('FORBIDDEN', { message: 'bad media callback token' });
  };
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/cameras',
      access: ['regulator'],
      status: 201,
      summary: 'Register a kitchen camera (zones: 切配, 烹饪, 专间, 洗消 — never the dining room)',
      params: IdParams,
      body: z.object({ name: z.string().trim().min(2).max(30), zone: z.enum(CAMERA_ZONES) }).strict(),
      handler: ({ params, body }) => addCamera(deps.db, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/cameras/:id/rotate-key',
      access: ['regulator'],
      summary: 'Give a camera a new stream key (the old one can no longer publish)',
      params: IdParams,
      handler: ({ params }) => rotateStreamKey(deps.db, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/cameras',
      access: ['operator'],
      summary: "The shop's cameras, status and last seen (stream keys for the owner)",
      params: IdParams,
      async handler({ params, caller }) {
        const role = await requireRole(deps.db, params.id, caller.userId, ['owner', 'director', 'safety_officer']);
        return camerasOf(deps.db, params.id, role === 'owner');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/:id/cameras',
      access: 'public',
      summary: "A shop's kitchen cameras by zone, online or not (no addresses)",
      params: IdParams,
      handler: ({ params }) => camerasOf(deps.db, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/live/cameras/:id/url',
      access: 'signed-in',
      summary: 'A signed, short-lived HLS address, after the access policy; each view is logged',
      params: IdParams,
      handler: ({ params, caller }) => playableUrl(deps.db, media, params.id, caller),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/media/on-publish',
      access: 'public',
      summary: 'nginx-rtmp on_publish: 2xx lets a camera publish, 403 refuses an unknown or revoked key',
      query: TokenQuery,
      async handler({ query, ctx }) {
        checkToken(query.token);
        const form = PublishForm.safeParse(await readForm(ctx));
        const ok = form.success && (await authorizePublish(deps.db, form.data.name, form.data.key ?? ''));
        if (!ok) throw new AppError('FORBIDDEN', { message: 'stream key refused' });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/media/on-publish-done',
      access: 'public',
      summary: 'nginx-rtmp on_publish_done: the camera went offline',
      query: TokenQuery,
      async handler({ query, ctx }) {
        checkToken(query.token);
        const form = PublishForm.safeParse(await readForm(ctx));
        if (form.success) await publishDone(deps.db, form.data.name);
        return { ok: true };
      },
    }),
  ];
}

/** nginx-rtmp posts application/x-www-form-urlencoded, which the JSON body parser leaves alone. */
async function readForm(ctx: { req: NodeJS.ReadableStream }): Promise<Record<string, string>> {
  let raw = '';
  for await (const chunk of ctx.req) {
    raw += String(chunk);
    if (raw.length > 10_000) break;
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
