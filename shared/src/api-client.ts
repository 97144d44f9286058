import {
  LoginResponseSchema,
  UserSchema,
  VerifiedPhoneSchema,
  type LoginResponse,
  type MiniApp,
  type User,
  type VerifiedPhone,
} from './auth.js';
import { ERROR_MESSAGES, ErrorBodySchema, type ErrorCode, type FieldIssue } from './errors.js';
import { HealthSchema, type Health } from './health.js';
import { CameraAlertSchema, CameraSchema, CommitteeSchema, LiveUrlSchema } from './live.js';
import { ComplaintViewSchema, FiledComplaintSchema, SimilarComplaintSchema, type ComplaintInput } from './complaint.js';
import {
  GradeReplyResultSchema,
  HonourBoardSchema,
  ShopProfileSchema,
  ShopSearchResultSchema,
  type HonourBoard,
  type ShopProfile,
  type ShopSearchResult,
} from './shop.js';
import {
  BindResultSchema,
  InvitationSchema,
  ChecklistItemSchema,
  DashboardSchema,
  OperatorShopSchema,
  SelfCheckRecordSchema,
  WeeklyDraftSchema,
  type DailyRecordInput,
  type MonthlyRecordInput,
  type WeeklyRecordInput,
} from './selfcheck.js';
import {
  CaseViewSchema,
  ConsentViewSchema,
  NoticeViewSchema,
  OpenItemsSchema,
  ReminderViewSchema,
  type CaseResponseInput,
  type NoticeReplyInput,
} from './enforcement.js';
import type { HttpRequest, Transport } from './transport.js';
import { z as zod } from 'zod';
import type { z } from 'zod';

/** Codes the client raises itself when no valid API answer arrived. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Base URL of the API, without a trailing slash; '' for same-origin H5 builds. */
  baseUrl: string;
  transport: Transport;
  /** Returns the current bearer token, if signed in. */
  getToken?: () => string | undefined;
  /** This install's id (X-Client-Id): the API's abuse limits count per install too. */
  clientId?: () => string | undefined;
  timeoutMs?: number;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The typed client both mini-programs use; every response is checked against the shared schema. */
export function createApiClient(options: ApiClientOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<S extends z.ZodType>(
    method: HttpRequest['method'],
    path: string,
    schema: S,
    body?: unknown,
    /** Non-2xx statuses whose body is still a `schema` document (a 503 health report). */
    alsoOk: readonly number[] = [],
    extraHeaders: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = options.getToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    const clientId = options.clientId?.();
    if (clientId) headers['X-Client-Id'] = clientId;

    let res;
    try {
      res = await options.transport({
        method,
        url: options.baseUrl + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
      });
    } catch {
      throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0);
    }

    if ((res.status >= 200 && res.status < 300) || alsoOk.includes(res.status)) {
      const parsed = schema.safeParse(res.body);
      if (!parsed.success) throw new ApiError('BAD_RESPONSE', '服务返回的数据有误', res.status);
      return parsed.data;
    }
    const err = ErrorBodySchema.safeParse(res.body);
    if (err.success) {
      const { code, message, details } = err.data.error;
      throw new ApiError(code, message || ERROR_MESSAGES[code], res.status, details);
    }
    throw new ApiError('BAD_RESPONSE', `服务异常（${res.status}）`, res.status);
  }

  return {
    /** API and database health; resolves with the report also when the database is down (503). */
    health(): Promise<Health> {
      return call('GET', '/healthz', HealthSchema, undefined, [503]);
    },
    loginWithWeChat(code: string, app: MiniApp): Promise<LoginResponse> {
      return call('POST', '/api/v1/auth/wechat', LoginResponseSchema, { code, app });
    },
    me(): Promise<User> {
      return call('GET', '/api/v1/me', UserSchema);
    },
    /** The shop a scanned code stands for; refuses forged (QR_INVALID) and replaced or revoked (QR_REVOKED) codes. */
    shopByCode(payload: string): Promise<ShopProfile> {
      return call('GET', `/api/v1/public/shops/by-code/${encodeURIComponent(payload)}`, ShopProfileSchema);
    },
    shop(id: string): Promise<ShopProfile> {
      return call('GET', `/api/v1/public/shops/${encodeURIComponent(id)}`, ShopProfileSchema);
    },
    searchShops(query: {
      q?: string;
      lng?: number;
      lat?: number;
      radius?: number;
      page?: number;
      pageSize?: number;
    }): Promise<ShopSearchResult> {
      const qs = Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&');
      return call('GET', `/api/v1/public/shops?${qs}`, ShopSearchResultSchema);
    },
    // ---- Live kitchens (public app) ----
    shopCameras(shopId: string) {
      return call('GET', `/api/v1/public/shops/${shopId}/cameras`, zod.array(CameraSchema));
    },
    liveUrl(cameraId: string) {
      return call('GET', `/api/v1/live/cameras/${cameraId}/url`, LiveUrlSchema);
    },
    joinCommittee(input: { code: string; name: string; grade: string }) {
      return call(
        'POST',
        '/api/v1/committee/join',
        zod.object({ establishmentId: zod.string(), name: zod.string() }),
        input,
      );
    },
    myCanteens() {
      return call(
        'GET',
        '/api/v1/committee/mine',
        zod.array(zod.object({ id: zod.string(), name: zod.string(), address: zod.string() })),
      );
    },
    // ---- Complaints (public app) ----
    fileComplaint(input: ComplaintInput) {
      return call('POST', '/api/v1/complaints', FiledComplaintSchema, input);
    },
    similarComplaints(establishmentId: string, at: { lng: number; lat: number }) {
      return call(
        'GET',
        `/api/v1/complaints/similar?establishmentId=${establishmentId}&lng=${at.lng}&lat=${at.lat}`,
        zod.array(SimilarComplaintSchema),
      );
    },
    /** 我也遇到: files the user's own 投诉 or 举报 as a party to an open one (same shop). */
    joinComplaint(id: string, input: ComplaintInput) {
      return call('POST', `/api/v1/complaints/${id}/join`, FiledComplaintSchema, input);
    },
    /** The phone number WeChat verified for this user (the getPhoneNumber button's code). */
    verifyPhone(code: string): Promise<VerifiedPhone> {
      return call('POST', '/api/v1/me/phone-number', VerifiedPhoneSchema, { code });
    },
    myComplaints(deviceKeys: string[]) {
      return call('GET', '/api/v1/complaints/mine', zod.array(ComplaintViewSchema), undefined, [], {
        'X-Device-Keys': deviceKeys.join(','),
      });
    },
    // ---- Operator app ----
    operatorCameras(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/cameras`, zod.array(CameraSchema));
    },
    enforcement(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/enforcement`, OpenItemsSchema);
    },
    acknowledgeReminder(shopId: string, reminderId: string) {
      return call('POST', `/api/v1/operator/shops/${shopId}/reminders/${reminderId}/acknowledge`, ReminderViewSchema);
    },
    notice(shopId: string, noticeId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/notices/${noticeId}`, NoticeViewSchema);
    },
    replyToNotice(shopId: string, noticeId: string, input: NoticeReplyInput) {
      return call('POST', `/api/v1/operator/shops/${shopId}/notices/${noticeId}/replies`, NoticeViewSchema, input);
    },
    deliveryConsent(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/e-delivery-consent`, ConsentViewSchema);
    },
    giveDeliveryConsent(shopId: string, name: string) {
      return call('POST', `/api/v1/operator/shops/${shopId}/e-delivery-consent`, ConsentViewSchema, {
        name,
        agree: true,
      });
    },
    enforcementCase(shopId: string, caseId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/cases/${caseId}`, CaseViewSchema);
    },
    respondToCase(shopId: string, caseId: string, input: CaseResponseInput) {
      return call('POST', `/api/v1/operator/shops/${shopId}/cases/${caseId}/response`, CaseViewSchema, input);
    },
    signCase(shopId: string, caseId: string, input: { documentSha256: string; signature: string }) {
      return call('POST', `/api/v1/operator/shops/${shopId}/cases/${caseId}/signature`, CaseViewSchema, input);
    },
    committee(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/committee`, CommitteeSchema);
    },
    inviteParents(shopId: string, input: { maxUses: number; expiresInDays: number }) {
      return call('POST', `/api/v1/operator/shops/${shopId}/committee-invitations`, InvitationSchema, input);
    },
    setConvener(shopId: string, userId: string) {
      return call('POST', `/api/v1/operator/shops/${shopId}/committee/${userId}/convener`, CommitteeSchema);
    },
    async removeParent(shopId: string, userId: string) {
      await call('DELETE', `/api/v1/operator/shops/${shopId}/committee/${userId}`, zod.unknown());
    },
    cameraAlerts(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/camera-alerts`, zod.array(CameraAlertSchema));
    },
    bindShop(code: string) {
      return call('POST', '/api/v1/operator/bind', BindResultSchema, { code });
    },
    myShops() {
      return call('GET', '/api/v1/operator/shops', zod.array(OperatorShopSchema));
    },
    dashboard(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/dashboard`, DashboardSchema);
    },
    checklist(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/checklist`, zod.array(ChecklistItemSchema));
    },
    submitDaily(
      shopId: string,
      input: Omit<DailyRecordInput, 'zeroRisk' | 'items'> & Partial<Pick<DailyRecordInput, 'zeroRisk' | 'items'>>,
    ) {
      return call('POST', `/api/v1/operator/shops/${shopId}/self-checks/daily`, SelfCheckRecordSchema, input);
    },
    submitWeekly(shopId: string, input: WeeklyRecordInput) {
      return call('POST', `/api/v1/operator/shops/${shopId}/self-checks/weekly`, SelfCheckRecordSchema, input);
    },
    submitMonthly(shopId: string, input: MonthlyRecordInput) {
      return call('POST', `/api/v1/operator/shops/${shopId}/self-checks/monthly`, SelfCheckRecordSchema, input);
    },
    weeklyDraft(shopId: string, weekStart: string) {
      return call(
        'GET',
        `/api/v1/operator/shops/${shopId}/self-checks/weekly-draft?weekStart=${weekStart}`,
        WeeklyDraftSchema,
      );
    },
    addChecklistItem(shopId: string, input: { text: string; method: string; basis: string; photoRequired: boolean }) {
      return call('POST', `/api/v1/operator/shops/${shopId}/checklist`, ChecklistItemSchema, input);
    },
    async retireChecklistItem(shopId: string, code: string) {
      await call('DELETE', `/api/v1/operator/shops/${shopId}/checklist/${code}`, zod.unknown());
    },
    /** The business's public reply beside its grade (right to reply). */
    replyToGrade(shopId: string, text: string) {
      return call('PUT', `/api/v1/operator/establishments/${shopId}/reply`, GradeReplyResultSchema, { text });
    },
    invitations(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/invitations`, zod.array(InvitationSchema));
    },
    createInvitation(
      shopId: string,
      input: { role: 'director' | 'safety_officer'; maxUses: number; expiresInDays: number },
    ) {
      return call('POST', `/api/v1/operator/shops/${shopId}/invitations`, InvitationSchema, input);
    },
    async revokeInvitation(shopId: string, code: string) {
      await call('DELETE', `/api/v1/operator/shops/${shopId}/invitations/${code}`, zod.unknown());
    },
    selfCheckHistory(shopId: string, kind?: 'daily' | 'weekly' | 'monthly') {
      return call(
        'GET',
        `/api/v1/operator/shops/${shopId}/self-checks${kind ? `?kind=${kind}` : ''}`,
        zod.array(SelfCheckRecordSchema),
      );
    },
    honourBoard(district: string): Promise<HonourBoard> {
      return call('GET', `/api/v1/public/districts/${encodeURIComponent(district)}/board`, HonourBoardSchema);
    },
  };
}
