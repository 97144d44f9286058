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
import { CameraAlertSchema, CameraSchema, CommitteeSchema, LiveUrlSchema, ShopLiveSchema } from './live.js';
import { ComplaintViewSchema, FiledComplaintSchema, SimilarComplaintSchema, type ComplaintInput } from './complaint.js';
import {
  GradeReplyResultSchema,
  GradeReplyStateSchema,
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
  SelfCheckDetailSchema,
  SelfCheckRecordSchema,
  TeamMemberSchema,
  WeeklyDraftSchema,
  type DailyRecordInput,
  type MonthlyRecordInput,
  type WeeklyRecordInput,
} from './selfcheck.js';
import {
  CaseViewSchema,
  type CaseConfirmSchema,
  type CaseDecisionSchema,
  type NoticeReviewSchema,
  ConsentViewSchema,
  NoticeViewSchema,
  OpenItemsSchema,
  ReminderViewSchema,
  type CaseResponseInput,
  type NoticeReplyEditInput,
  type NoticeReplyInput,
} from './enforcement.js';
import {
  AuditEntrySchema,
  SelfCheckRatesSchema,
  RegulatorAccountSchema,
  RegulatorAccountUpdateSchema,
  RegulatorBindResponseSchema,
  RegulatorComplaintPageSchema,
  RegulatorComplaintSchema,
  RegulatorInvitationSchema,
  RegulatorInviteInputSchema,
  RegulatorShopPageSchema,
  RegulatorShopSchema,
} from './regulator.js';
import { ComplaintActionSchema } from './complaint.js';
import { ImportCheckSchema, ImportJobSchema } from './establishment.js';
import { ColleagueSchema, OnsiteInspectionSchema, type OnsiteSignSchema, type OnsiteStart } from './onsite.js';
import type { ChecklistAnswers } from './checklist.js';
import {
  PlanDetailSchema,
  PlanDrawSchema,
  PlanInputSchema,
  PlanSchema,
  PlanTaskSchema,
  type TaskCloseInput,
} from './draw.js';
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

/**
 * The request function every client shares: headers, token, timeout, and each answer checked
 * against the shared schema (BAD_RESPONSE when it is not what the contract says).
 */
/** A body sent as it is, with its own type (a CSV file), instead of as JSON. */
export class RawBody {
  constructor(
    readonly text: string,
    readonly type: string,
  ) {}
}

function createCall(options: ApiClientOptions) {
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
    if (body !== undefined) headers['Content-Type'] = body instanceof RawBody ? body.type : 'application/json';
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
        body: body === undefined ? undefined : body instanceof RawBody ? body.text : JSON.stringify(body),
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

  return call;
}
type Call = ReturnType<typeof createCall>;

/** What every app calls: health and signing in. */
function coreMethods(call: Call) {
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
  };
}

/** The public app's calls (diners, parents' committees). */
function publicMethods(call: Call) {
  return {
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
    /** The live page's view of a shop: cameras, open now or not, committee-only or not. */
    shopLive(shopId: string) {
      return call('GET', `/api/v1/public/shops/${shopId}/live`, ShopLiveSchema);
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
    honourBoard(district: string): Promise<HonourBoard> {
      return call('GET', `/api/v1/public/districts/${encodeURIComponent(district)}/board`, HonourBoardSchema);
    },
  };
}

/** The operator app's calls (owners, 总监, 安全员). */
function operatorMethods(call: Call) {
  return {
    // ---- Operator app ----
    /** A member's preview of their own shop's kitchen camera (any hour, school canteens included). */
    ownKitchenUrl(shopId: string, cameraId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/cameras/${cameraId}/url`, LiveUrlSchema);
    },
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
    /** Edits the reply under review (text and photos). */
    editNoticeReply(shopId: string, noticeId: string, input: NoticeReplyEditInput) {
      return call('PUT', `/api/v1/operator/shops/${shopId}/notices/${noticeId}/reply`, NoticeViewSchema, input);
    },
    /** Withdraws the reply under review: the notice waits for a new one. */
    withdrawNoticeReply(shopId: string, noticeId: string) {
      return call('DELETE', `/api/v1/operator/shops/${shopId}/notices/${noticeId}/reply`, NoticeViewSchema);
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
    /** The shop's reply beside its grade, and whether diners see it yet. */
    gradeReply(shopId: string) {
      return call('GET', `/api/v1/operator/establishments/${shopId}/reply`, GradeReplyStateSchema);
    },
    /** The business's public reply beside its grade (right to reply), new or edited. */
    replyToGrade(shopId: string, text: string) {
      return call('PUT', `/api/v1/operator/establishments/${shopId}/reply`, GradeReplyResultSchema, { text });
    },
    /** Takes the reply down; it stays in the shop's history. */
    withdrawGradeReply(shopId: string) {
      return call('DELETE', `/api/v1/operator/establishments/${shopId}/reply`, GradeReplyStateSchema);
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
    /** The shop's members, role and since when (owner and 总监). */
    team(shopId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/members`, zod.array(TeamMemberSchema));
    },
    /** The owner removes a staff member; answers the team as it is now. */
    removeMember(shopId: string, userId: string) {
      return call('DELETE', `/api/v1/operator/shops/${shopId}/members/${userId}`, zod.array(TeamMemberSchema));
    },
    /** One record as stored, with whether the shop's hash chain holds up to it. */
    selfCheckRecord(shopId: string, recordId: string) {
      return call('GET', `/api/v1/operator/shops/${shopId}/self-checks/${recordId}`, SelfCheckDetailSchema);
    },
  };
}

/** The regulators' app: their account, the desk's queues, the shops of their jurisdiction. */
function regulatorMethods(call: Call) {
  const qs = (q: Record<string, string | number | boolean | undefined>) => {
    const parts = Object.entries(q)
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return parts.length ? `?${parts.join('&')}` : '';
  };
  return {
    /** Binds the signed-in person with an invitation code (or the first administrator's one-time code). */
    bindRegulator(code: string) {
      return call('POST', '/api/v1/regulator/bind', RegulatorBindResponseSchema, { code });
    },
    myAccount() {
      return call('GET', '/api/v1/regulator/me', RegulatorAccountSchema);
    },
    accounts() {
      return call('GET', '/api/v1/regulator/accounts', zod.array(RegulatorAccountSchema));
    },
    updateAccount(userId: string, change: z.input<typeof RegulatorAccountUpdateSchema>) {
      return call('PATCH', `/api/v1/regulator/accounts/${userId}`, RegulatorAccountSchema, change);
    },
    regulatorInvitations() {
      return call('GET', '/api/v1/regulator/invitations', zod.array(RegulatorInvitationSchema));
    },
    inviteRegulator(input: z.input<typeof RegulatorInviteInputSchema>) {
      return call('POST', '/api/v1/regulator/invitations', RegulatorInvitationSchema, input);
    },
    shops(q: { q?: string; district?: string; page?: number; pageSize?: number } = {}) {
      return call('GET', `/api/v1/regulator/establishments${qs(q)}`, RegulatorShopPageSchema);
    },
    shop(id: string) {
      return call('GET', `/api/v1/regulator/establishments/${id}`, RegulatorShopSchema);
    },
    complaintQueue(
      q: { status?: string; office?: string; overdue?: boolean; establishmentId?: string; page?: number } = {},
    ) {
      return call('GET', `/api/v1/regulator/complaints${qs(q)}`, RegulatorComplaintPageSchema);
    },
    complaintForRegulator(id: string) {
      return call('GET', `/api/v1/regulator/complaints/${id}`, RegulatorComplaintSchema);
    },
    actOnComplaint(id: string, action: z.input<typeof ComplaintActionSchema>) {
      return call('POST', `/api/v1/regulator/complaints/${id}/actions`, RegulatorComplaintSchema, action);
    },
    noticeQueue(q: { status?: string; overdue?: boolean; establishmentId?: string; page?: number } = {}) {
      return call('GET', `/api/v1/regulator/notices${qs(q)}`, zod.array(NoticeViewSchema));
    },
    caseQueue(q: { status?: string; establishmentId?: string; page?: number } = {}) {
      return call('GET', `/api/v1/regulator/cases${qs(q)}`, zod.array(CaseViewSchema));
    },
    /** The shop owner's (主要负责人) invitation code, issued by an inspector of the shop's district. */
    ownerInvitation(shopId: string) {
      return call('POST', `/api/v1/regulator/establishments/${shopId}/invitations`, InvitationSchema, {
        role: 'owner',
        maxUses: 1,
        expiresInDays: 7,
      });
    },
    /** 双随机: plans, newest first. */
    plans() {
      return call('GET', '/api/v1/regulator/plans', zod.array(PlanSchema));
    },
    plan(id: string) {
      return call('GET', `/api/v1/regulator/plans/${id}`, PlanDetailSchema);
    },
    /** A city administrator draws a plan (idempotent on its key: a retry answers the same plan). */
    drawPlan(input: z.input<typeof PlanInputSchema>) {
      return call('POST', '/api/v1/regulator/plans', PlanDetailSchema, input);
    },
    /** A published plan's draw input and result (open data), to run the draw again. */
    openPlanDraw(id: string) {
      return call('GET', `/api/v1/open/plans/${id}/draw`, PlanDrawSchema);
    },
    myTasks(status?: 'assigned' | 'done') {
      return call('GET', `/api/v1/regulator/tasks${qs({ status })}`, zod.array(PlanTaskSchema));
    },
    closeTask(id: string, input: TaskCloseInput) {
      return call('POST', `/api/v1/regulator/tasks/${id}/close`, PlanTaskSchema, input);
    },
    /** A shop's enforcement timeline, newest first. */
    shopTimeline(id: string) {
      return call('GET', `/api/v1/regulator/establishments/${id}/timeline`, zod.array(AuditEntrySchema));
    },
    shopSelfCheckRates(id: string) {
      return call('GET', `/api/v1/regulator/establishments/${id}/self-checks/rates`, SelfCheckRatesSchema);
    },
    /** What a licence CSV would do (every row checked; a bad row answers 400 with each row's problem). */
    checkImport(csv: string) {
      return call(
        'POST',
        '/api/v1/regulator/establishments/import?mode=check',
        ImportCheckSchema,
        new RawBody(csv, 'text/csv; charset=utf-8'),
      );
    },
    /** Writes a checked file in the background: its progress comes back at once (the same file is the same import). */
    startImport(csv: string) {
      return call(
        'POST',
        '/api/v1/regulator/establishments/import',
        ImportJobSchema,
        new RawBody(csv, 'text/csv; charset=utf-8'),
        [],
        { Prefer: 'respond-async' },
      );
    },
    importJob(id: string) {
      return call('GET', `/api/v1/regulator/imports/${id}`, ImportJobSchema);
    },
    /** A rectification reply accepted, or returned with the reason (the owner is told). */
    reviewNotice(id: string, review: z.input<typeof NoticeReviewSchema>) {
      return call('POST', `/api/v1/regulator/notices/${id}/review`, NoticeViewSchema, review);
    },
    /** An AI case draft confirmed with the inspector's notes: it goes to the party. */
    confirmCase(id: string, input: z.input<typeof CaseConfirmSchema>) {
      return call('POST', `/api/v1/regulator/cases/${id}/confirm`, CaseViewSchema, input);
    },
    /** A case decided; a draft decided `no_case` is dropped. */
    decideCase(id: string, input: z.input<typeof CaseDecisionSchema>) {
      return call('POST', `/api/v1/regulator/cases/${id}/decision`, CaseViewSchema, input);
    },
    /** 现场检查: inspectors who may be the second one. */
    colleagues() {
      return call('GET', '/api/v1/regulator/colleagues', zod.array(ColleagueSchema));
    },
    startOnsite(shopId: string, input: OnsiteStart) {
      return call(
        'POST',
        `/api/v1/regulator/establishments/${shopId}/onsite-inspections`,
        OnsiteInspectionSchema,
        input,
      );
    },
    myOnsite() {
      return call('GET', '/api/v1/regulator/onsite-inspections', zod.array(OnsiteInspectionSchema));
    },
    onsite(id: string) {
      return call('GET', `/api/v1/regulator/onsite-inspections/${id}`, OnsiteInspectionSchema);
    },
    saveOnsiteAnswers(id: string, answers: ChecklistAnswers) {
      return call('PUT', `/api/v1/regulator/onsite-inspections/${id}/answers`, OnsiteInspectionSchema, { answers });
    },
    finishOnsite(id: string) {
      return call('POST', `/api/v1/regulator/onsite-inspections/${id}/finish`, OnsiteInspectionSchema);
    },
    reopenOnsite(id: string) {
      return call('POST', `/api/v1/regulator/onsite-inspections/${id}/reopen`, OnsiteInspectionSchema);
    },
    signOnsite(id: string, input: z.input<typeof OnsiteSignSchema>) {
      return call('POST', `/api/v1/regulator/onsite-inspections/${id}/signatures`, OnsiteInspectionSchema, input);
    },
    cityCameraAlerts() {
      return call('GET', '/api/v1/regulator/camera-alerts', zod.array(CameraAlertSchema.passthrough()));
    },
  };
}

/**
 * The public app's client. Each app builds only its own, so a mini-program's package carries the
 * schemas of its own calls and not the other app's.
 */
export function createPublicApi(options: ApiClientOptions) {
  const call = createCall(options);
  return { ...coreMethods(call), ...publicMethods(call) };
}
export type PublicApi = ReturnType<typeof createPublicApi>;

/** The operator app's client (see createPublicApi). */
export function createOperatorApi(options: ApiClientOptions) {
  const call = createCall(options);
  return { ...coreMethods(call), ...operatorMethods(call) };
}
export type OperatorApi = ReturnType<typeof createOperatorApi>;

/** The regulators' app's client (see createPublicApi). */
export function createRegulatorApi(options: ApiClientOptions) {
  const call = createCall(options);
  return { ...coreMethods(call), ...regulatorMethods(call) };
}
export type RegulatorApi = ReturnType<typeof createRegulatorApi>;

/** Every call of every app (tests and tools). */
export function createApiClient(options: ApiClientOptions) {
  const call = createCall(options);
  return { ...coreMethods(call), ...publicMethods(call), ...operatorMethods(call), ...regulatorMethods(call) };
}
export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * What to tell the user about a failure: the API's field sentences (each said once) when it gave
 * any, else its message.
 */
export function messageOf(e: unknown, fallback = '操作失败，请重试'): string {
  if (e instanceof ApiError && e.details?.length) return [...new Set(e.details.map((d) => d.message))].join('；');
  if (e instanceof Error && e.message) return e.message;
  return fallback;
}

/**
 * The API's field problems by the field's name as a form knows it ("body.phone" → "phone"), so a
 * form can show each under its field and clear it when the field changes.
 */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof ApiError)) return out;
  for (const d of e.details ?? []) {
    const field = d.path.replace(/^(body|query|params)\./, '').split('.')[0] ?? '';
    if (field && !out[field]) out[field] = d.message;
  }
  return out;
}
