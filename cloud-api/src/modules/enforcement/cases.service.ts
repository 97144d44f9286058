// 非现场执法 cases: the case document, drafts, confirmation and the regulator's reading.
import { type Connection, Types } from 'mongoose';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  type CaseCreateInput,
  type EvidenceCapture,
  addWorkingDays,
  chinaDate,
  chinaDateTime,
  formatChineseDate,
  type CaseView,
  type Jurisdiction,
} from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { type Caller } from '../../http/context';
import { findEstablishment, parseObjectId } from '../establishments/establishment.service';
import { assertUploadsExist, grantUploads } from '../uploads/upload.service';
import { createOnce } from '../../data/create-once';
import { OPEN, type CaseDoc, audit, captureModel, caseModel } from './enforcement.models';
import {
  type Actor,
  type EnforcementDeps,
  type Evidence,
  actorOf,
  evidenceOf,
  loadEvidence,
  pastDay,
  pick,
  serial,
  sha256,
  shopNames,
  topicLabel,
  listScope,
} from './enforcement.common';
import { findByIdWhere, findByIds } from '../../data/by-ids';
import { shopDocs } from '../../data/shop-index';

export const CONSENT_TEXT = (shopName: string, name: string) =>
  `送达地址确认书\n受送达人：${shopName}\n签收人：${name}\n` +
  '本人同意市场监督管理部门通过"阳光食安·经营端"小程序向本单位以电子方式送达非现场执法相关文书。' +
  '文书到达本小程序账户之日（本人首次打开之时）视为送达。本人已知悉上述送达方式及其法律后果。';

/** The shop as the establishments module hands it over. */
type Shop = Awaited<ReturnType<typeof findEstablishment>>;

function caseDocument(c: CaseDoc, est: Shop, captures: EvidenceCapture[], office: string, now: Date) {
  const when = captures.map((x) => chinaDateTime(new Date(x.capturedAt)));
  const places = [...new Set(captures.map((x) => `${x.zoneLabel}（${x.cameraName}）`))];
  const facts = captures.length
    ? `经智能抓拍系统记录，你单位于 ${when.join('、')} 在 ${places.join('、')} 发生「${topicLabel(c.category)}」行为，共 ${captures.length} 次（抓拍照片 ${captures.length} 张附后）。`
    : `经查，你单位存在「${topicLabel(c.category)}」问题。`;
  const text = [
    '非现场执法告知书',
    `编号：${c.number}`,
    `当事人：${est.name}（许可证号 ${est.licence.number}）`,
    `地址：${est.address}`,
    facts,
    `检查情况：${c.notes}`,
    `上述行为涉嫌违反《中华人民共和国食品安全法》及《餐饮服务食品安全操作规范》的有关规定。`,
    `你单位可对上述事实及证据予以确认，或在本小程序中提出陈述、申辩意见并提交证据。`,
    `告知机关：${office}`,
    `告知日期：${formatChineseDate(chinaDate(now))}`,
  ].join('\n');
  return { title: '非现场执法告知书', text, sha256: sha256(text) };
}

/** What the party signs: the notice as delivered, their response, their name and the date. */
export function toSignText(c: CaseDoc): string | null {
  if (!c.document || !c.response) return null;
  const opinion =
    c.response.decision === 'confirm'
      ? '对上述违法事实及证据无异议。'
      : `有异议。陈述申辩意见：${c.response.statement}（附证据照片 ${c.response.photos.length} 张）`;
  return [
    c.document.text,
    '',
    `当事人意见：${opinion}`,
    `签收人：${c.response.name}`,
    `日期：${formatChineseDate(chinaDate(c.response.at))}`,
  ].join('\n');
}

export function caseView(
  c: CaseDoc,
  shopName: string,
  viewer: { operator: boolean; consented: boolean },
  ev: Evidence,
): CaseView {
  const delivered = !viewer.operator || c.deliveredAt !== null;
  const sign = toSignText(c);
  return {
    id: String(c._id),
    number: c.number,
    establishmentId: String(c.establishmentId),
    shopName,
    category: c.category,
    categoryLabel: topicLabel(c.category),
    status: c.status,
    statusLabel: CASE_STATUS_LABELS[c.status],
    reason: c.reason,
    createdAt: c.createdAt.toISOString(),
    confirmedAt: c.confirmedAt?.toISOString() ?? null,
    decideBy: c.decideBy,
    decisionOverdue: !!c.decideBy && !['decided', 'dismissed'].includes(c.status) && pastDay(c.decideBy, new Date()),
    consented: viewer.consented,
    deliveredAt: c.deliveredAt?.toISOString() ?? null,
    evidence: delivered ? { notes: c.notes, photos: c.photos, captures: pick(ev, c.captureIds) } : null,
    document: delivered ? c.document : null,
    response: c.response
      ? {
          decision: c.response.decision,
          statement: c.response.statement,
          photos: c.response.photos,
          at: c.response.at.toISOString(),
        }
      : null,
    toSign: delivered && sign ? { text: sign, sha256: sha256(sign) } : null,
    signature: c.signature
      ? { at: c.signature.at.toISOString(), image: c.signature.image, documentSha256: c.signature.documentSha256 }
      : null,
    decision: c.decision
      ? {
          outcome: c.decision.outcome,
          outcomeLabel: CASE_OUTCOME_LABELS[c.decision.outcome],
          reason: c.decision.reason,
          at: c.decision.at.toISOString(),
        }
      : null,
  };
}

export async function draftCase(
  deps: EnforcementDeps,
  establishmentId: Types.ObjectId,
  input: {
    key: string;
    category: string;
    reason: string;
    captureIds?: Types.ObjectId[];
    lastCaptureAt?: Date | null;
    notes?: string;
  },
  actor: Actor,
  now = new Date(),
): Promise<{ kase: CaseDoc; created: boolean }> {
  const { created, doc: kase } = await createOnce(
    caseModel(deps.db),
    { establishmentId, key: input.key },
    async (): Promise<Partial<CaseDoc>> => ({
      number: await serial(deps.db, 'FXC', now),
      establishmentId,
      category: input.category,
      key: input.key,
      status: 'draft',
      reason: input.reason,
      createdBy: actor.id,
      createdAt: now,
      captureIds: input.captureIds ?? [],
      lastCaptureAt: input.lastCaptureAt ?? null,
      notes: input.notes ?? '',
      photos: [],
    }),
  );
  if (!created) return { kase, created: false };
  await audit(deps.db, {
    establishmentId,
    at: now,
    actor: actor.id,
    role: actor.role,
    action: 'case.drafted',
    subject: { kind: 'case', id: String(kase._id) },
    summary: `生成非现场执法案件草稿 ${kase.number}（${topicLabel(input.category)}）：${input.reason}`,
  });
  return { kase, created: true };
}

export async function findCase(db: Connection, id: string, establishmentId?: string) {
  const c = await findByIdWhere(
    caseModel(db),
    parseObjectId(id),
    establishmentId ? { establishmentId: parseObjectId(establishmentId) } : {},
  );
  if (!c) throw new AppError('NOT_FOUND', { message: '案件不存在' });
  return c;
}

async function confirmWith(
  deps: EnforcementDeps,
  c: CaseDoc,
  evidence: { notes: string; photos: string[] },
  actor: Actor,
  now: Date,
) {
  const est = await findEstablishment(deps.db, String(c.establishmentId));
  const document = caseDocument(
    { ...c, notes: evidence.notes },
    est,
    await evidenceOf(deps.db, c.captureIds),
    deps.config.enforcementOffice,
    now,
  );
  const decideBy = addWorkingDays(chinaDate(now), deps.config.ladder.decideWorkingDays).date;
  const res = await caseModel(deps.db).updateOne(
    { _id: c._id, status: 'draft' },
    {
      $set: {
        status: 'confirmed',
        notes: evidence.notes,
        photos: evidence.photos,
        confirmedAt: now,
        confirmedBy: actor.id,
        decideBy,
        document,
      },
    },
  );
  if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '该案件已确认' });
  // The party sees the evidence photos once the confirmed case reaches them.
  await grantUploads(deps.db, evidence.photos, c.establishmentId);
  await audit(deps.db, {
    establishmentId: c.establishmentId,
    at: now,
    actor: actor.id,
    role: actor.role,
    action: 'case.confirmed',
    subject: { kind: 'case', id: String(c._id) },
    summary: `确认案件 ${c.number}，应于 ${decideBy} 前作出是否立案的决定`,
  });
}

/** A regulator confirms a draft with its evidence: the case goes to the party. */
export async function confirmCase(
  deps: EnforcementDeps,
  id: string,
  input: { notes: string; photos: string[] },
  caller: Caller,
  now = new Date(),
) {
  const c = await findCase(deps.db, id);
  if (c.status !== 'draft') throw new AppError('CONFLICT', { message: '只有草稿可以确认' });
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  await confirmWith(deps, c, input, actorOf(caller), now);
  return getCaseForRegulator(deps.db, id);
}

/** A regulator opens a case directly (confirmed at once), with its evidence. */
export async function openCase(
  deps: EnforcementDeps,
  establishmentId: string,
  input: CaseCreateInput,
  caller: Caller,
  now = new Date(),
) {
  const est = await findEstablishment(deps.db, establishmentId);
  await assertUploadsExist(deps.db, input.photos, 'body.photos');
  const ids = input.captureIds.map((x) => new Types.ObjectId(x));
  const found = (await findByIds(captureModel(deps.db), ids, { establishmentId: 1 })).filter((c) =>
    est._id.equals(c.establishmentId),
  ).length;
  if (found !== ids.length) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.captureIds', message: '抓拍记录不存在或不属于该门店' }],
    });
  }
  const { kase, created } = await draftCase(
    deps,
    est._id,
    { key: `regulator:${input.idempotencyKey}`, category: input.category, reason: '监管人员立案', captureIds: ids },
    actorOf(caller),
    now,
  );
  if (created) await confirmWith(deps, kase, { notes: input.notes, photos: input.photos }, actorOf(caller), now);
  return getCaseForRegulator(deps.db, String(kase._id));
}

export async function getCaseForRegulator(db: Connection, id: string) {
  const c = await findCase(db, id);
  const names = await shopNames(db, [c.establishmentId]);
  return caseView(
    c,
    names.get(String(c.establishmentId)) ?? '',
    { operator: false, consented: false },
    await loadEvidence(db, c.captureIds),
  );
}

export async function listCases(
  db: Connection,
  filter: {
    establishmentId?: string;
    status?: string;
    page?: number;
    pageSize?: number;
    /** A regulator's jurisdiction: only its shops' cases. */
    within?: Jurisdiction;
  },
) {
  const mine = await listScope(db, filter.within, filter.establishmentId);
  const q: Record<string, unknown> = {};
  if (filter.establishmentId) q.establishmentId = parseObjectId(filter.establishmentId);
  else if (mine) q.establishmentId = { $in: [...mine].map((id) => new Types.ObjectId(id)) };
  if (filter.status) q.status = filter.status;
  // One shop's: its index (an _id read), then its cases by _id, filtered here. The city's in a state
  // still open (the desk's queue): the index of open cases. Every case of the city: a search.
  const size = filter.pageSize ?? 20;
  const skip = ((filter.page ?? 1) - 1) * size;
  const wanted = (c: Pick<CaseDoc, 'status' | 'establishmentId'>) =>
    (!mine || mine.has(String(c.establishmentId))) && (!filter.status || c.status === filter.status);
  const rows = filter.establishmentId
    ? (await shopDocs(db, caseModel(db), parseObjectId(filter.establishmentId), { by: 'createdAt', limit: 500 }))
        .filter(wanted)
        .slice(skip, skip + size)
    : filter.status && filter.status !== 'decided' && filter.status !== 'dismissed'
      ? await shopDocs(db, caseModel(db), OPEN, { by: 'createdAt', skip, limit: size, name: 'open', where: wanted })
      : await caseModel(db).find(q).sort({ createdAt: -1 }).skip(skip).limit(size).lean();
  const names = await shopNames(
    db,
    rows.map((r) => r.establishmentId),
  );
  const ev = await loadEvidence(
    db,
    rows.flatMap((c) => c.captureIds),
  );
  return rows.map((c) =>
    caseView(c, names.get(String(c.establishmentId)) ?? '', { operator: false, consented: false }, ev),
  );
}
