import {
  committeeOf,
  joinCommittee,
  myCanteens,
  revokeCommitteeMember,
  setConvener,
} from '../members/committee.service';
import { z } from 'zod';
import { CameraSchema, InvitationCodeSchema, ObjectIdSchema } from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import { INSPECTORS, scopes } from '../regulators/scopes';
import { AppError } from '../../http/app-error';
import type { AppDeps } from '../../deps';
import { requireRole } from '../members/member.service';
import { CAMERA_ZONES } from './camera.model';
import { alertsOf, openAlerts } from './camera-health.service';
import { createInvitation } from '../members/member.service';
import { findEstablishment } from '../establishments/establishment.service';
import {
  addCamera,
  authorizePublish,
  camerasOf,
  ownKitchenUrl,
  playableUrl,
  publishDone,
  publishHeartbeat,
  recordingDone,
  recordingsOf,
  rotateStreamKey,
} from './live.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
/** nginx-rtmp posts form fields; only the ones we read are checked, the rest are allowed. */
const PublishForm = z
  .object({ name: z.string().max(64), key: z.string().max(128).optional(), call: z.string().max(32).optional() })
  .passthrough();
const TokenQuery = z.object({ token: z.string().max(200) }).strict();

export function liveRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const media = deps.config.media;
  const checkToken = (token: string) => {
    if (token !== media.callbackToken) throw new AppError('FORBIDDEN', { message: 'bad media callback token' });
  };
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/cameras',
      access: ['regulator'],
      scope: scope.shop(INSPECTORS),
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
      scope: scope.camera(INSPECTORS),
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
      path: '/api/v1/operator/shops/:id/cameras/:camera/url',
      access: ['operator'],
      summary: "A member's preview of their own shop's kitchen: a signed HLS address at any hour (logged)",
      params: z.object({ id: ObjectIdSchema, camera: ObjectIdSchema }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director', 'safety_officer']);
        return ownKitchenUrl(deps.db, media, params.id, params.camera, caller);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/camera-alerts',
      access: ['operator'],
      summary: "The shop's camera outages during opening hours: open ones first, then the last 30 days",
      params: IdParams,
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director', 'safety_officer']);
        return alertsOf(deps.db, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/establishments/:id/camera-alerts',
      access: ['regulator'],
      scope: scope.shop(),
      summary: "A shop's camera outages (regulators)",
      params: IdParams,
      handler: ({ params }) => alertsOf(deps.db, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/camera-alerts',
      access: ['regulator'],
      cityWide: true,
      summary: 'Every camera offline during opening hours now, longest first',
      handler: ({ caller }) => openAlerts(deps.db, caller.regulator!.jurisdiction),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/shops/:id/cameras',
      access: 'public',
      summary: "A shop's kitchen cameras by zone, online or not (no addresses)",
      params: IdParams,
      output: z.array(CameraSchema),
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
      path: '/api/v1/operator/shops/:id/committee-invitations',
      access: ['operator'],
      status: 201,
      summary: "A school canteen's owner invites parents to its committee (expiry, limited uses)",
      params: IdParams,
      body: z
        .object({
          maxUses: z.number().int().min(1).max(50).default(10),
          expiresInDays: z.number().int().min(1).max(30).default(7),
        })
        .strict(),
      async handler({ params, body, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        const est = await findEstablishment(deps.db, params.id);
        if (!['school_canteen', 'childcare_canteen'].includes(est.businessType)) {
          throw new AppError('CONFLICT', { message: '只有学校（托幼）食堂设家委会' });
        }
        return createInvitation(deps.db, params.id, { role: 'parent' as never, ...body }, caller.userId);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/committee',
      access: ['operator'],
      summary: "The school's parents' committee (names, classes, 召集人) and whether it is formed",
      params: IdParams,
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director']);
        return committeeOf(deps.db, params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/committee/:userId/convener',
      access: ['operator'],
      summary: "Name a member the committee's 召集人",
      params: z.object({ id: ObjectIdSchema, userId: ObjectIdSchema }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        return setConvener(deps.db, params.id, params.userId);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/operator/shops/:id/committee/:userId',
      access: ['operator'],
      summary: 'Remove a parent from the committee (effective on their next stream request)',
      params: z.object({ id: ObjectIdSchema, userId: ObjectIdSchema }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        await revokeCommitteeMember(deps.db, params.id, params.userId);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/committee/join',
      access: ['diner', 'parent'],
      limit: 'publicWrite',
      summary: "加入家委会: bind to a school's parents' committee with its code",
      body: z
        .object({
          code: InvitationCodeSchema,
          name: z.string().trim().min(2, '请填写家长姓名').max(20, '姓名过长'),
          grade: z.string().trim().min(2, '请填写孩子所在年级班级，如 三年级二班').max(20, '年级班级过长'),
        })
        .strict(),
      handler: ({ body, caller }) => joinCommittee(deps, body, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/committee/mine',
      access: ['diner', 'parent'],
      summary: 'My canteens (the schools whose committee I am on)',
      handler: ({ caller }) => myCanteens(deps.db, caller.userId),
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
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/cameras/:id/recordings',
      access: ['regulator'],
      scope: scope.camera(),
      summary: "A camera's recordings (ten-minute FLV files, kept at least 7 days) on signed addresses",
      params: IdParams,
      handler: ({ params }) => recordingsOf(deps.db, media, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/media/on-record-done',
      access: 'public',
      summary: 'nginx-rtmp on_record_done: index a closed recording file',
      query: TokenQuery,
      async handler({ query, ctx }) {
        checkToken(query.token);
        const form = z
          .object({ path: z.string().max(500) })
          .passthrough()
          .safeParse(await readForm(ctx));
        return { ok: form.success && (await recordingDone(deps.db, form.data.path)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/media/on-update',
      access: 'public',
      summary: 'nginx-rtmp on_update: a publishing camera is alive (403 drops a stream whose key was rotated)',
      query: TokenQuery,
      async handler({ query, ctx }) {
        checkToken(query.token);
        const form = PublishForm.safeParse(await readForm(ctx));
        if (!form.success || form.data.call !== 'update_publish') return { ok: true };
        const ok = await publishHeartbeat(deps.db, form.data.name, form.data.key ?? '');
        if (!ok) throw new AppError('FORBIDDEN', { message: 'stream key refused' });
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
