import { z } from 'zod';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_STATUS_LABELS,
  COMPLAINT_STATUSES,
  ComplaintActionSchema,
  ComplaintInputSchema,
  ObjectIdSchema,
  RegulatorComplaintPageSchema,
  RegulatorComplaintSchema,
} from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import { HANDLERS, scopes } from '../regulators/scopes';
import { AppError } from '../../http/app-error';
import type { AppDeps } from '../../deps';
import { userContact } from '../auth/user.facts';
import { sendMessage } from '../notify/messages';
import { complaintModel, type ComplaintDoc } from './complaint.model';
import { requireRole } from '../members/member.service';
import {
  actOnComplaint,
  complaintsForShop,
  fileComplaint,
  filerViewOf,
  joinComplaint,
  listForRegulators,
  myComplaints,
  open311Requests,
  regulatorViewOf,
  similarOpen,
} from './complaint.service';

const PUBLIC_USERS = ['diner', 'parent'] as const;
const IdParams = z.object({ id: ObjectIdSchema }).strict();

export function complaintRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const c = {
    db: deps.db,
    grading: deps.config.grading,
    risk: deps.config.risk,
    config: deps.config,
    wechat: deps.wechat,
    logger: deps.logger,
  };

  /** Tells the filer (not an anonymous reporter) that the status changed, through a subscribe message. */
  async function notify(doc: ComplaintDoc) {
    const userId = doc.complainant?.userId;
    if (!userId || !/^[0-9a-f]{24}$/.test(userId)) return;
    const user = await userContact(deps.db, userId);
    if (!user?.openid || user.app !== 'public') return;
    const latest = doc.timeline.at(-1);
    await sendMessage(
      deps,
      'complaintStatus',
      user.openid,
      {
        number: doc.number,
        status: COMPLAINT_STATUS_LABELS[doc.status],
        shop: doc.shopName,
        at: latest?.at ?? new Date(),
        note: latest?.note || '详情请在小程序中查看',
      },
      'complaints',
    );
  }

  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/complaints',
      access: PUBLIC_USERS,
      status: 201,
      summary: 'File a 投诉 or 举报 (idempotent on its key); routed to an office by location',
      limit: 'publicWrite',
      body: ComplaintInputSchema,
      async handler({ body, caller, ctx }) {
        const r = await fileComplaint(c, body, caller.userId);
        ctx.status = r.created ? 201 : 200;
        // An anonymous reporter's device keeps this key to follow the report; it is not stored.
        return { complaint: await filerViewOf(deps.db, r.complaint), deviceKey: r.deviceKey };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/complaints/similar',
      access: PUBLIC_USERS,
      summary: 'Open complaints about the same shop within 50 m in the last 30 days',
      query: z
        .object({
          establishmentId: ObjectIdSchema,
          lng: z.coerce.number().min(73).max(136),
          lat: z.coerce.number().min(3).max(54),
        })
        .strict(),
      handler: ({ query }) => similarOpen(deps.db, query.establishmentId, query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/complaints/:id/join',
      access: PUBLIC_USERS,
      status: 201,
      summary: "我也遇到: the user's own 投诉 or 举报 as a party to an open one about the same shop (idempotent)",
      limit: 'publicWrite',
      params: IdParams,
      body: ComplaintInputSchema,
      async handler({ params, body, caller, ctx }) {
        const r = await joinComplaint(c, params.id, body, caller.userId);
        ctx.status = r.created ? 201 : 200;
        return { complaint: await filerViewOf(deps.db, r.complaint), deviceKey: r.deviceKey };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/complaints/mine',
      access: PUBLIC_USERS,
      summary: '我的投诉举报 (device keys of anonymous reports in X-Device-Keys)',
      handler({ caller, ctx }) {
        const keys = ctx
          .get('x-device-keys')
          .split(',')
          .map((k) => k.trim())
          .filter((k) => /^[A-Za-z0-9_-]{32}$/.test(k))
          .slice(0, 50);
        return myComplaints(deps.db, caller.userId, keys);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/complaints',
      access: ['operator'],
      summary:
        "Accepted 投诉 about the shop, for its owner and 总监: the office's steps, never who complained or their words",
      params: IdParams,
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director']);
        return complaintsForShop(deps.db, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/complaints',
      access: ['regulator'],
      cityWide: true,
      summary: "Complaints of the caller's offices and districts by status, office, overdue, shop, category",
      output: RegulatorComplaintPageSchema,
      query: z
        .object({
          status: z.enum(COMPLAINT_STATUSES).optional(),
          office: z.string().trim().max(60).optional(),
          overdue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          establishmentId: ObjectIdSchema.optional(),
          category: z.enum(COMPLAINT_CATEGORIES).optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        })
        .strict(),
      handler: ({ query, caller }) => listForRegulators(deps.db, query, caller.regulator!.jurisdiction),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/complaints/:id',
      access: ['regulator'],
      scope: scope.complaint(),
      summary: 'One complaint, identity included',
      params: IdParams,
      output: RegulatorComplaintSchema,
      async handler({ params }) {
        const doc = await complaintModel(deps.db).findById(params.id).lean();
        if (!doc) throw new AppError('NOT_FOUND', { message: '投诉举报不存在' });
        return regulatorViewOf(deps.db, doc);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/complaints/:id/actions',
      access: ['regulator'],
      scope: scope.complaint(HANDLERS),
      summary: 'Accept, reject, start, resolve (upheld or not) or end mediation',
      params: IdParams,
      output: RegulatorComplaintSchema,
      body: ComplaintActionSchema,
      async handler({ params, body, caller }) {
        const doc = await actOnComplaint(c, params.id, body, caller.userId);
        void notify(doc).catch((err: unknown) => deps.logger.warn({ err }, 'complaint status message failed'));
        return regulatorViewOf(deps.db, doc);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open311/services.json',
      access: 'public',
      summary: 'Open311 GeoReport v2 services',
      handler: () =>
        COMPLAINT_CATEGORIES.map((code) => ({
          service_code: code,
          service_name: COMPLAINT_CATEGORY_LABELS[code],
          description: `食品安全投诉举报：${COMPLAINT_CATEGORY_LABELS[code]}`,
          metadata: false,
          type: 'realtime',
          keywords: '食品安全,餐饮',
          group: '食品安全',
        })),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/open311/requests.json',
      access: 'public',
      summary: 'Open311 GeoReport v2 requests, without personal data',
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
      handler: ({ query }) => open311Requests(deps.db, query.limit),
    }),
  ];
}
