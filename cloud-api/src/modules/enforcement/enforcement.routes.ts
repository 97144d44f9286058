import getRawBody from 'raw-body';
import { z } from 'zod';
import {
  CASE_STATUSES,
  CaseConfirmSchema,
  CaseCreateSchema,
  CaseDecisionSchema,
  CaseResponseSchema,
  CaseSignSchema,
  ConsentSchema,
  NOTICE_STATUSES,
  NoticeCreateSchema,
  NoticeReplyEditSchema,
  NoticeReplySchema,
  NoticeReviewSchema,
  ObjectIdSchema,
  type MemberRole,
  CaseViewSchema,
  ConsentViewSchema,
  NoticeViewSchema,
  OpenItemsSchema,
  ReminderViewSchema,
} from '@ygsa/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { defineRoute } from '../../http/route';
import { INSPECTORS, scopes } from '../regulators/scopes';
import { requireRole } from '../members/member.service';
import { parseObjectId } from '../establishments/establishment.service';
import { captureModel } from './enforcement.models';
import { recordingsAt } from '../live/live.service';
import {
  acknowledgeReminder,
  confirmCase,
  consentStatus,
  decideCase,
  editNoticeReply,
  enforcementOf,
  getCaseForRegulator,
  getNotice,
  giveConsent,
  listCases,
  listNotices,
  openCase,
  openCaseAsOperator,
  regulatorNotice,
  replyToNotice,
  respondToCase,
  reviewNotice,
  signCase,
  timelineOf,
  withdrawNoticeReply,
} from './enforcement.service';
import { devicesOf, receiveCapture, registerDevice, rotateDeviceKey } from './webhook.service';

/** A page of a desk's list: 20 by default, newest first. */
const PAGE = {
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

const IdParams = z.object({ id: ObjectIdSchema }).strict();
const ReminderParams = z.object({ id: ObjectIdSchema, reminder: ObjectIdSchema }).strict();
const NoticeParams = z.object({ id: ObjectIdSchema, notice: ObjectIdSchema }).strict();
const CaseParams = z.object({ id: ObjectIdSchema, case: ObjectIdSchema }).strict();
const STAFF: readonly MemberRole[] = ['owner', 'director', 'safety_officer'];
/** 主要负责人 (and the 总监 for reading) act for the party in an enforcement case. */
const PARTY_READERS: readonly MemberRole[] = ['owner', 'director'];
const PARTY: readonly MemberRole[] = ['owner'];

export function enforcementRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const e = { db: deps.db, config: deps.config };
  const member = async (shop: string, caller: Caller, roles: readonly MemberRole[]) => ({
    id: caller.userId,
    role: await requireRole(deps.db, shop, caller.userId, roles),
  });
  return [
    // ------------------------------------------------------------ AI boxes
    defineRoute({
      method: 'POST',
      path: '/api/v1/ai/captures',
      access: 'public',
      status: 201,
      summary:
        'A camera AI box reports a capture (multipart, HMAC-signed by the device; replay window; once per event id)',
      async handler({ ctx }) {
        let raw: Buffer;
        try {
          raw = await getRawBody(ctx.req, { limit: '6mb' });
        } catch {
          throw new AppError('PAYLOAD_TOO_LARGE', { message: '抓拍请求超过 6 MB' });
        }
        const r = await receiveCapture(
          { ...e, uploadDir: deps.config.uploadDir, replayWindowSeconds: deps.config.ai.replayWindowSeconds },
          ctx.req.headers,
          raw,
        );
        ctx.status = r.status;
        return { id: r.id, duplicate: r.duplicate, outcome: r.outcome };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/ai-devices',
      access: ['regulator'],
      scope: scope.shop(INSPECTORS),
      status: 201,
      summary: "Register a shop's camera AI box; the answer holds its signing key",
      params: IdParams,
      body: z.object({ name: z.string().trim().min(2).max(40) }).strict(),
      handler: ({ params, body, caller }) => registerDevice(deps.db, params.id, body.name, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/establishments/:id/ai-devices',
      access: ['regulator'],
      scope: scope.shop(),
      summary: "A shop's AI boxes (without keys)",
      params: IdParams,
      handler: ({ params }) => devicesOf(deps.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/ai-devices/:id/rotate-key',
      access: ['regulator'],
      scope: scope.enforcement('device', INSPECTORS),
      summary: 'Give an AI box a new signing key (the old one stops working at once)',
      params: IdParams,
      handler: ({ params, caller }) => rotateDeviceKey(deps.db, params.id, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/establishments/:id/captures',
      access: ['regulator'],
      scope: scope.shop(),
      summary:
        "A shop's AI captures, newest first: where the ladder put each and why, and the recording of that moment",
      params: IdParams,
      async handler({ params }) {
        const rows = await captureModel(deps.db)
          .find({ establishmentId: parseObjectId(params.id) })
          .sort({ capturedAt: -1 })
          .limit(500)
          .lean();
        // The clip behind each snapshot: the camera's recording of that moment, while it is kept.
        const clips = await recordingsAt(
          deps.db,
          deps.config.media,
          rows.map((c) => ({ cameraId: c.cameraId, at: c.capturedAt })),
        );
        return rows.map((c) => ({
          id: String(c._id),
          deviceId: String(c.deviceId),
          cameraId: String(c.cameraId),
          category: c.category,
          capturedAt: c.capturedAt.toISOString(),
          confidence: c.confidence,
          snapshot: c.snapshot,
          recording: clips.get(`${String(c.cameraId)}@${c.capturedAt.toISOString()}`) ?? null,
          outcome: c.outcome,
        }));
      },
    }),

    // ------------------------------------------------------------ regulators: notices and cases
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/notices',
      access: ['regulator'],
      scope: scope.shop(INSPECTORS),
      status: 201,
      summary: '整改通知 after an inspection (idempotent on idempotencyKey)',
      params: IdParams,
      body: NoticeCreateSchema,
      handler: ({ params, body, caller }) => regulatorNotice(e, params.id, body, caller),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/notices',
      access: ['regulator'],
      cityWide: true,
      summary: 'Rectification notices by status, shop, overdue (newest first, a page of them)',
      query: z
        .object({
          status: z.enum(NOTICE_STATUSES).optional(),
          establishmentId: ObjectIdSchema.optional(),
          overdue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          ...PAGE,
        })
        .strict(),
      handler: ({ query, caller }) => listNotices(deps.db, { ...query, within: caller.regulator!.jurisdiction }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/notices/:id',
      access: ['regulator'],
      scope: scope.enforcement('notice'),
      summary: 'One rectification notice with its evidence, replies and reviews',
      params: IdParams,
      handler: ({ params }) => getNotice(deps.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/notices/:id/review',
      access: ['regulator'],
      scope: scope.enforcement('notice', INSPECTORS),
      summary: 'Accept a rectification reply, or return it with a reason',
      params: IdParams,
      body: NoticeReviewSchema,
      handler: ({ params, body, caller }) => reviewNotice(e, params.id, body, caller),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/cases',
      access: ['regulator'],
      scope: scope.shop(INSPECTORS),
      status: 201,
      summary: 'Open a non-contact case directly, with its evidence (confirmed at once)',
      params: IdParams,
      body: CaseCreateSchema,
      handler: ({ params, body, caller }) => openCase(e, params.id, body, caller),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/cases',
      access: ['regulator'],
      cityWide: true,
      summary: 'Non-contact cases (drafts included) by status and shop (newest first, a page of them)',
      query: z
        .object({ status: z.enum(CASE_STATUSES).optional(), establishmentId: ObjectIdSchema.optional(), ...PAGE })
        .strict(),
      handler: ({ query, caller }) => listCases(deps.db, { ...query, within: caller.regulator!.jurisdiction }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/cases/:id',
      access: ['regulator'],
      scope: scope.enforcement('case'),
      summary: 'One case: evidence, delivery, the party’s response and signature, the decision',
      params: IdParams,
      handler: ({ params }) => getCaseForRegulator(deps.db, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/cases/:id/confirm',
      access: ['regulator'],
      scope: scope.enforcement('case', INSPECTORS),
      summary: 'Confirm a draft with inspection notes: the notice goes to the party (15 working days to decide)',
      params: IdParams,
      body: CaseConfirmSchema,
      handler: ({ params, body, caller }) => confirmCase(e, params.id, body, caller),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/cases/:id/decision',
      access: ['regulator'],
      scope: scope.enforcement('case', INSPECTORS),
      summary: 'Decide: no case, correction order, or penalty (a penalty enters the public file)',
      params: IdParams,
      body: CaseDecisionSchema,
      handler: ({ params, body, caller }) => decideCase(e, params.id, body, caller),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/establishments/:id/timeline',
      access: ['regulator'],
      scope: scope.shop(),
      summary: "A shop's enforcement timeline: every capture, step and action (who, role, when)",
      params: IdParams,
      handler: ({ params }) => timelineOf(deps.db, params.id),
    }),

    // ------------------------------------------------------------ operators
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/enforcement',
      output: OpenItemsSchema,
      access: ['operator'],
      summary: "The shop's reminders, rectification notices and cases",
      params: IdParams,
      async handler({ params, caller }) {
        const m = await member(params.id, caller, STAFF);
        const all = await enforcementOf(deps.db, params.id, { userId: caller.userId, role: m.role });
        // Cases are the party's business: the owner and the 总监 see them.
        return PARTY_READERS.includes(m.role) ? all : { ...all, cases: [] };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/reminders/:reminder/acknowledge',
      output: ReminderViewSchema,
      access: ['operator'],
      summary: 'Acknowledge an AI reminder (and put it right) before it becomes a notice',
      params: ReminderParams,
      async handler({ params, caller }) {
        const actor = await member(params.id, caller, STAFF);
        return acknowledgeReminder(e, params.id, params.reminder, actor);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/notices/:notice',
      output: NoticeViewSchema,
      access: ['operator'],
      summary: 'One rectification notice of the shop',
      params: NoticeParams,
      async handler({ params, caller }) {
        await member(params.id, caller, STAFF);
        return getNotice(deps.db, params.notice, params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/notices/:notice/replies',
      output: NoticeViewSchema,
      access: ['operator'],
      summary: '整改回复 with photos (idempotent on idempotencyKey)',
      params: NoticeParams,
      body: NoticeReplySchema,
      async handler({ params, body, caller }) {
        const actor = await member(params.id, caller, STAFF);
        return replyToNotice(e, params.id, params.notice, body, actor);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/operator/shops/:id/notices/:notice/reply',
      output: NoticeViewSchema,
      access: ['operator'],
      summary: 'Edit the 整改回复 under review (text and photos); only while no regulator has reviewed it',
      params: NoticeParams,
      body: NoticeReplyEditSchema,
      async handler({ params, body, caller }) {
        const actor = await member(params.id, caller, STAFF);
        return editNoticeReply(e, params.id, params.notice, body, actor);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/operator/shops/:id/notices/:notice/reply',
      output: NoticeViewSchema,
      access: ['operator'],
      summary: 'Withdraw the 整改回复 under review (kept, marked); the notice waits for a new reply',
      params: NoticeParams,
      async handler({ params, caller }) {
        const actor = await member(params.id, caller, STAFF);
        return withdrawNoticeReply(e, params.id, params.notice, actor);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/e-delivery-consent',
      output: ConsentViewSchema,
      access: ['operator'],
      summary: '送达地址确认书: its text and whether I gave it',
      params: IdParams,
      async handler({ params, caller }) {
        await member(params.id, caller, PARTY);
        return consentStatus(deps.db, params.id, caller.userId);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/e-delivery-consent',
      output: ConsentViewSchema,
      access: ['operator'],
      summary: 'Consent to electronic delivery (once; recorded with the text, time and identity)',
      params: IdParams,
      body: ConsentSchema,
      async handler({ params, body, caller }) {
        const actor = await member(params.id, caller, PARTY);
        return giveConsent(deps.db, params.id, body, actor);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/cases/:case',
      output: CaseViewSchema,
      access: ['operator'],
      summary: 'Open a case: after consent, the first open is the delivery (recorded)',
      params: CaseParams,
      async handler({ params, caller }) {
        const actor = await member(params.id, caller, PARTY_READERS);
        // Only the party's representative's open is a delivery; the 总监 reads what was delivered.
        if (actor.role !== 'owner') {
          const view = await getCaseForRegulator(deps.db, params.case);
          if (view.establishmentId !== params.id || view.status === 'draft' || view.status === 'dismissed') {
            throw new AppError('NOT_FOUND', { message: '案件不存在' });
          }
          const shown = view.deliveredAt !== null;
          return {
            ...view,
            consented: false,
            evidence: shown ? view.evidence : null,
            document: shown ? view.document : null,
            toSign: null,
          };
        }
        return openCaseAsOperator(deps.db, params.id, params.case, actor);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/cases/:case/response',
      output: CaseViewSchema,
      access: ['operator'],
      summary: 'The party confirms the facts and evidence, or objects with a statement and photos',
      params: CaseParams,
      body: CaseResponseSchema,
      async handler({ params, body, caller }) {
        const actor = await member(params.id, caller, PARTY);
        return respondToCase(e, params.id, params.case, body, actor);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/cases/:case/signature',
      output: CaseViewSchema,
      access: ['operator'],
      summary: 'The party signs on the phone: the signature image and the SHA-256 of the exact text shown',
      params: CaseParams,
      body: CaseSignSchema,
      async handler({ params, body, caller }) {
        const actor = await member(params.id, caller, PARTY);
        return signCase(e, params.id, params.case, body, actor);
      },
    }),
  ];
}
