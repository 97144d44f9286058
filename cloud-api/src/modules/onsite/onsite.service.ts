import { Types, type Connection } from 'mongoose';
import {
  AREA_LABELS,
  DYNAMIC_GRADE_LABELS,
  ITEM_RESULT_LABELS,
  ONSITE_STATE_LABELS,
  checklistFor,
  checklistItem,
  checklistRecordText,
  chinaDate,
  dynamicGrade,
  scoreChecklist,
  validateAnswers,
  type ChecklistAnswers,
  type OnsiteInspection,
  type OnsiteSign,
  type OnsiteStart,
} from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import type { RegulatorScope } from '../../http/context';
import { createOnce } from '../../data/create-once';
import { findByIds } from '../../data/by-ids';
import { shopIndexOf } from '../../data/shop-index';
import { withLock } from '../../data/lock';
import { findEstablishment } from '../establishments/establishment.service';
import { inspectorCard } from '../regulators/regulator.service';
import { addRecord } from '../records/records.service';
import { issueNotice } from '../enforcement/notices.service';
import { sha256 } from '../enforcement/enforcement.common';
import { useUploads } from '../uploads/upload.service';
import { completeByInspection } from '../plans/plan.service';
import { onsiteModel, type OnsiteDoc } from './onsite.models';

export interface OnsiteDeps {
  db: Connection;
  config: Pick<Config, 'grading' | 'risk' | 'ladder' | 'enforcementOffice'>;
}

const answersOf = (doc: OnsiteDoc): ChecklistAnswers =>
  Object.fromEntries(
    doc.answers.map((a) => [
      a.code,
      { result: a.result, ...(a.note ? { note: a.note } : {}), ...(a.photos.length ? { photos: a.photos } : {}) },
    ]),
  );
const recordTextOf = (doc: OnsiteDoc, config: OnsiteDeps['config']) =>
  checklistRecordText(
    {
      shopName: doc.shopName,
      licenceNo: doc.licenceNo,
      address: doc.address,
      date: doc.date,
      inspectors: doc.inspectors.map((i) => ({ name: i.name, badge: i.certificateNo })),
      type: doc.businessType,
      answers: answersOf(doc),
    },
    config.grading,
  );

function view(doc: OnsiteDoc, config: OnsiteDeps['config']): OnsiteInspection {
  const answers = answersOf(doc);
  const score = scoreChecklist(doc.businessType, answers, config.grading);
  const representative = doc.signatures.find((s) => s.role === 'representative');
  return {
    id: String(doc._id),
    shopId: String(doc.establishmentId),
    shopName: doc.shopName,
    district: doc.district,
    businessType: doc.businessType,
    date: doc.date,
    state: doc.state,
    stateLabel: ONSITE_STATE_LABELS[doc.state],
    inspectors: doc.inspectors.map((i) => ({
      ...i,
      signed: doc.signatures.some((s) => s.role === 'inspector' && s.userId === i.userId),
    })),
    representative: representative ? { name: representative.name, title: representative.title } : null,
    items: checklistFor(doc.businessType).map((item) => {
      const a = doc.answers.find((x) => x.code === item.code);
      return {
        code: item.code,
        area: item.area,
        areaLabel: AREA_LABELS[item.area],
        text: item.text,
        points: item.points,
        key: item.key,
        answer: a
          ? { result: a.result, resultLabel: ITEM_RESULT_LABELS[a.result], note: a.note, photos: a.photos }
          : null,
      };
    }),
    score: {
      complete: score.complete,
      missing: score.missing.length,
      areaScores: score.areaScores,
      total: score.total,
      result: score.result,
      resultLabel: ITEM_RESULT_LABELS[score.result],
      dynamicGrade: DYNAMIC_GRADE_LABELS[dynamicGrade(score.total, config.grading)],
      nonconformItems: score.nonconformItems,
    },
    text: doc.text,
    documentSha256: doc.documentSha256,
    recordId: doc.recordId,
    noticeIds: doc.noticeIds,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** The district of an inspection (the routes' jurisdiction check), or null when there is none. */
export async function districtOfOnsite(db: Connection, id: string): Promise<string | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return (await onsiteModel(db).findById(id, { district: 1 }).lean())?.district ?? null;
}

/** Starts (or, on a retry, answers) an inspection of a shop by the caller and a second inspector. */
export async function startOnsite(
  deps: OnsiteDeps,
  caller: RegulatorScope,
  shopId: string,
  input: OnsiteStart,
  now = new Date(),
): Promise<{ created: boolean; inspection: OnsiteInspection }> {
  const est = await findEstablishment(deps.db, shopId);
  const me = await inspectorCard(deps.db, caller.userId);
  const co = input.coInspectorId === caller.userId ? null : await inspectorCard(deps.db, input.coInspectorId);
  if (!co || !(co.city || co.districts.includes(est.district)))
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.coInspectorId', message: '请选择另一名负责该辖区的检查人员' }],
    });
  if (!me?.certificateNo || !co.certificateNo)
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'body.coInspectorId', message: '两名检查人员均须有执法证号，请联系管理员补充' }],
    });
  const { created, doc } = await createOnce(
    onsiteModel(deps.db),
    { idempotencyKey: input.idempotencyKey },
    {
      idempotencyKey: input.idempotencyKey,
      establishmentId: est._id,
      district: est.district,
      shopName: est.name,
      licenceNo: est.licence.number,
      address: est.address,
      businessType: est.businessType,
      date: chinaDate(now),
      state: 'draft',
      inspectors: [me, co].map((p) => ({ userId: p.userId, name: p.name, certificateNo: p.certificateNo })),
      answers: [],
      text: null,
      documentSha256: null,
      signatures: [],
      recordId: null,
      noticeIds: [],
      createdBy: caller.userId,
      createdAt: now,
      updatedAt: now,
    },
  );
  return { created, inspection: view(doc, deps.config) };
}

async function findOnsite(db: Connection, scope: RegulatorScope, id: string): Promise<OnsiteDoc> {
  const doc = Types.ObjectId.isValid(id) ? await onsiteModel(db).findById(id).lean() : null;
  if (!doc) throw new AppError('NOT_FOUND', { message: '检查记录不存在' });
  if (!doc.inspectors.some((i) => i.userId === scope.userId) && !scope.jurisdiction.city)
    throw new AppError('FORBIDDEN', { message: '您不是本次检查的执法人员' });
  return doc;
}

export async function getOnsite(deps: OnsiteDeps, scope: RegulatorScope, id: string): Promise<OnsiteInspection> {
  return view(await findOnsite(deps.db, scope, id), deps.config);
}

/** The caller's inspections: drafts and those awaiting signatures first, then the newest recorded. */
export async function myOnsite(deps: OnsiteDeps, userId: string): Promise<OnsiteInspection[]> {
  const Onsite = onsiteModel(deps.db);
  const entries = [
    ...(await shopIndexOf(deps.db, Onsite, userId, 'first')),
    ...(await shopIndexOf(deps.db, Onsite, userId, 'second')),
  ];
  const docs = await findByIds(
    Onsite,
    entries.map((e) => e.id),
  );
  const open = (d: OnsiteDoc) => (d.state === 'recorded' ? 1 : 0);
  return docs
    .sort((a, b) => open(a) - open(b) || b.updatedAt.getTime() - a.updatedAt.getTime())
    .slice(0, 50)
    .map((d) => view(d, deps.config));
}

/** Answers as they come in (each save merges into the draft; a lost connection loses only the unsaved). */
export async function saveAnswers(
  deps: OnsiteDeps,
  scope: RegulatorScope,
  id: string,
  answers: ChecklistAnswers,
  now = new Date(),
): Promise<OnsiteInspection> {
  return withLock(deps.db, `onsite:${id}`, async () => {
    const doc = await findOnsite(deps.db, scope, id);
    if (doc.state !== 'draft') throw new AppError('CONFLICT', { message: '检查记录已提交签名，如需修改请先退回修改' });
    const details = validateAnswers(doc.businessType, answers).map((d) => ({ ...d, path: `body.answers.${d.path}` }));
    if (details.length) throw new AppError('VALIDATION_FAILED', { details });
    for (const [code, a] of Object.entries(answers))
      if (a.photos?.length) await useUploads(deps.db, a.photos, `body.answers.${code}.photos`, doc.establishmentId);
    const merged = new Map(doc.answers.map((a) => [a.code, a]));
    for (const [code, a] of Object.entries(answers))
      merged.set(code, { code, result: a.result, note: a.note ?? null, photos: a.photos ?? [] });
    const next = { answers: [...merged.values()], updatedAt: now };
    await onsiteModel(deps.db).updateOne({ _id: doc._id }, { $set: next });
    return view({ ...doc, ...next }, deps.config);
  });
}

/** Moves an inspection under its lock: `change` answers the fields to set, or null to leave it as it is. */
async function transition(
  deps: OnsiteDeps,
  scope: RegulatorScope,
  id: string,
  change: (doc: OnsiteDoc) => Partial<OnsiteDoc> | null,
): Promise<OnsiteInspection> {
  return withLock(deps.db, `onsite:${id}`, async () => {
    const doc = await findOnsite(deps.db, scope, id);
    const next = change(doc);
    if (next) await onsiteModel(deps.db).updateOne({ _id: doc._id }, { $set: next });
    return view({ ...doc, ...next }, deps.config);
  });
}

/** Every item answered: the record's text is fixed and hashed, and the signing begins. */
export function finishOnsite(deps: OnsiteDeps, scope: RegulatorScope, id: string, now = new Date()) {
  return transition(deps, scope, id, (doc) => {
    if (doc.state !== 'draft') return null; // a retry
    const score = scoreChecklist(doc.businessType, answersOf(doc), deps.config.grading);
    if (!score.complete)
      throw new AppError('VALIDATION_FAILED', {
        details: [{ path: 'body', message: `还有 ${score.missing.length} 项未检查，请逐项作出判定` }],
      });
    const text = recordTextOf(doc, deps.config);
    return { state: 'signing', text, documentSha256: sha256(text), signatures: [], updatedAt: now };
  });
}

/** Back to the answers before the record is made: every signature given is void. */
export function reopenOnsite(deps: OnsiteDeps, scope: RegulatorScope, id: string, now = new Date()) {
  return transition(deps, scope, id, (doc) => {
    if (doc.state === 'recorded') throw new AppError('CONFLICT', { message: '检查记录已归档，不能修改' });
    return { state: 'draft', text: null, documentSha256: null, signatures: [], updatedAt: now };
  });
}

const allSigned = (doc: OnsiteDoc) =>
  doc.inspectors.every((i) => doc.signatures.some((s) => s.role === 'inspector' && s.userId === i.userId)) &&
  doc.signatures.some((s) => s.role === 'representative');

/**
 * A signature of the record's text (the hash the phone shows must be the server's): each of the
 * two inspectors as themselves, the shop's representative on an inspector's phone. The last one
 * records the inspection. A retry of a signature answers the same.
 */
export async function signOnsite(
  deps: OnsiteDeps,
  scope: RegulatorScope,
  id: string,
  input: OnsiteSign,
  now = new Date(),
): Promise<OnsiteInspection> {
  const signed = await withLock(deps.db, `onsite:${id}`, async () => {
    const doc = await findOnsite(deps.db, scope, id);
    if (doc.state === 'draft') throw new AppError('CONFLICT', { message: '请先完成检查，再签名' });
    if (doc.documentSha256 !== input.documentSha256)
      throw new AppError('CONFLICT', { message: '记录内容与您看到的不一致，请刷新后重新核对签名' });
    const mine = doc.inspectors.find((i) => i.userId === scope.userId);
    if (input.role === 'inspector' && !mine)
      throw new AppError('FORBIDDEN', { message: '只有本次检查的执法人员本人可以签名' });
    const already = doc.signatures.find((s) =>
      input.role === 'inspector' ? s.role === 'inspector' && s.userId === scope.userId : s.role === 'representative',
    );
    if (already) {
      if (already.image === input.signature) return doc; // a retry
      throw new AppError('CONFLICT', { message: input.role === 'inspector' ? '您已签名' : '被检查单位负责人已签名' });
    }
    if (doc.state === 'recorded') throw new AppError('CONFLICT', { message: '检查记录已归档' });
    await useUploads(deps.db, [input.signature], 'body.signature', doc.establishmentId);
    const signature = {
      role: input.role,
      userId: input.role === 'inspector' ? scope.userId : null,
      name: input.role === 'inspector' ? (mine?.name ?? '') : (input.name as string),
      title: input.role === 'representative' ? (input.title ?? null) : null,
      image: input.signature,
      documentSha256: input.documentSha256,
      at: now,
    };
    const next = { signatures: [...doc.signatures, signature], updatedAt: now };
    await onsiteModel(deps.db).updateOne({ _id: doc._id }, { $set: next });
    return { ...doc, ...next };
  });
  // The last signature records it (again on a retry, if the first attempt stopped before).
  const doc = allSigned(signed) && signed.state !== 'recorded' ? await recordOnsite(deps, signed, now) : signed;
  return view(doc, deps.config);
}

/**
 * Records a fully signed inspection: a rectification notice for each 不符合 item (in the operator
 * app), then the inspection itself (the public file, the grade and the risk level follow), and a
 * 双随机 task of either inspector for the shop is completed. Each step is idempotent on its key.
 */
async function recordOnsite(deps: OnsiteDeps, doc: OnsiteDoc, now: Date): Promise<OnsiteDoc> {
  const answers = answersOf(doc);
  const score = scoreChecklist(doc.businessType, answers, deps.config.grading);
  const noticeIds: string[] = [];
  for (const code of score.nonconformItems) {
    const item = checklistItem(code);
    const { notice } = await issueNotice(
      { db: deps.db, config: deps.config },
      doc.establishmentId,
      {
        key: `onsite-${String(doc._id)}-${code}`,
        topic: 'inspection',
        source: 'regulator',
        reason: `现场监督检查不符合：${item?.text ?? code}`,
        requirement: `${answers[code]?.note ?? ''}。请按要求整改，并拍照回复整改情况。`,
      },
      { id: doc.createdBy, role: 'regulator' },
      now,
    );
    noticeIds.push(String(notice._id));
  }
  const findings = score.nonconformItems
    .concat(doc.answers.filter((a) => a.result === 'basically').map((a) => a.code))
    .map((code) => `${checklistItem(code)?.text ?? code}：${answers[code]?.note ?? ''}`.slice(0, 200))
    .slice(0, 30);
  const { record } = await addRecord(
    { db: deps.db, grading: deps.config.grading, risk: deps.config.risk },
    'Inspection',
    String(doc.establishmentId),
    {
      idempotencyKey: `onsite-${String(doc._id)}`,
      date: doc.date,
      inspector: doc.inspectors
        .map((i) => i.name)
        .join('、')
        .slice(0, 40),
      scores: score.areaScores,
      findings,
    },
    doc.createdBy,
    now,
  );
  const recordId = String((record as { id: string }).id);
  for (const i of doc.inspectors)
    await completeByInspection(deps.db, doc.establishmentId, i.userId, {
      id: recordId,
      date: doc.date,
      total: score.total,
    });
  const next = { state: 'recorded' as const, recordId, noticeIds, updatedAt: now };
  await onsiteModel(deps.db).updateOne({ _id: doc._id }, { $set: next });
  return { ...doc, ...next };
}
