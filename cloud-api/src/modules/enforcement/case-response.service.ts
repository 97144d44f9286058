// The party's side of a case (opened = delivered, confirm or object, sign) and the decision.
import { type Connection } from 'mongoose';
import { CASE_OUTCOME_LABELS, type CaseDecisionInput, type CaseResponseInput, chinaDate } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { type Caller } from '../../http/context';
import { addRecord } from '../records/records.service';
import { useUploads } from '../uploads/upload.service';
import { type CaseDoc, audit, caseModel } from './enforcement.models';
import { withLock } from '../../data/lock';
import {
  type Actor,
  type EnforcementDeps,
  gradingDeps,
  loadEvidence,
  sha256,
  shopNames,
  topicLabel,
} from './enforcement.common';
import { caseView, findCase, getCaseForRegulator, toSignText } from './cases.service';
import { consentOf } from './consent.service';

/**
 * The party opens a case. Drafts stay with regulators. With consent given, the first open is the
 * delivery (recorded once); without it the case shows only that a notice waits for consent.
 */
export async function openCaseAsOperator(
  db: Connection,
  establishmentId: string,
  id: string,
  actor: Actor,
  now = new Date(),
) {
  let c = await findCase(db, id, establishmentId);
  if (c.status === 'draft' || c.status === 'dismissed') throw new AppError('NOT_FOUND', { message: '案件不存在' });
  const consent = await consentOf(db, establishmentId, actor.id);
  if (consent && !c.deliveredAt) {
    const res = await caseModel(db).updateOne(
      { _id: c._id, deliveredAt: null },
      { $set: { deliveredAt: now, deliveredTo: actor.id } },
    );
    if (res.modifiedCount) {
      await audit(db, {
        establishmentId: c.establishmentId,
        at: now,
        actor: actor.id,
        role: actor.role,
        action: 'case.delivered',
        subject: { kind: 'case', id },
        summary: `${c.document?.title ?? '执法文书'} ${c.number} 电子送达（当事人首次打开）`,
      });
    }
    c = await findCase(db, id, establishmentId);
  }
  const names = await shopNames(db, [c.establishmentId]);
  return caseView(
    c,
    names.get(String(c.establishmentId)) ?? '',
    { operator: true, consented: !!consent },
    await loadEvidence(db, c.captureIds),
  );
}

export async function respondToCase(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: CaseResponseInput,
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id, establishmentId);
    const consent = await consentOf(deps.db, establishmentId, actor.id);
    if (!consent || !c.deliveredAt) throw new AppError('CONFLICT', { message: '请先签署送达地址确认书并查看告知书' });
    const photos = input.decision === 'object' ? input.photos : [];
    const statement = input.decision === 'object' ? input.statement : '';
    // The same response sent again (a lost answer, a double tap) is answered as the first was.
    const sameAsRecorded = (k: Pick<CaseDoc, 'response'> | null) =>
      !!k?.response &&
      k.response.decision === input.decision &&
      k.response.statement === statement &&
      JSON.stringify(k.response.photos) === JSON.stringify(photos);
    if (c.status !== 'confirmed') {
      if (sameAsRecorded(c)) return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该案件已提交意见' });
    }
    await useUploads(deps.db, photos, 'body.photos', c.establishmentId);
    const response = {
      decision: input.decision,
      statement,
      photos,
      at: now,
      by: actor.id,
      name: consent.name,
    };
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: 'confirmed' },
      { $set: { status: 'responded', response } },
    );
    if (!res.modifiedCount) {
      if (sameAsRecorded(await caseModel(deps.db).findById(c._id, { response: 1 }).lean()))
        return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该案件已提交意见' });
    }
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: input.decision === 'confirm' ? 'case.confirmed_by_party' : 'case.objected',
      subject: { kind: 'case', id },
      summary:
        input.decision === 'confirm'
          ? '当事人确认违法事实及证据'
          : `当事人提出异议：${response.statement.slice(0, 60)}`,
    });
    return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
  });
}

/** Signs what the phone showed: the hash sent must be the hash of the text the server holds. */
export async function signCase(
  deps: EnforcementDeps,
  establishmentId: string,
  id: string,
  input: { documentSha256: string; signature: string },
  actor: Actor,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id, establishmentId);
    if (c.status === 'signed' && c.signature?.documentSha256 === input.documentSha256) {
      return openCaseAsOperator(deps.db, establishmentId, id, actor, now); // a retry
    }
    if (c.status !== 'responded') throw new AppError('CONFLICT', { message: '请先确认或提出异议，再签名' });
    const text = toSignText(c) as string;
    if (sha256(text) !== input.documentSha256) {
      throw new AppError('CONFLICT', { message: '文书内容与您看到的不一致，请刷新后重新签名' });
    }
    await useUploads(deps.db, [input.signature], 'body.signature', c.establishmentId);
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: 'responded' },
      {
        $set: {
          status: 'signed',
          signature: {
            at: now,
            by: actor.id,
            image: input.signature,
            documentSha256: input.documentSha256,
            documentText: text,
          },
        },
      },
    );
    if (!res.modifiedCount) {
      // Another copy of this signature got there first: the same answer for both.
      const now2 = await caseModel(deps.db).findById(c._id, { signature: 1 }).lean();
      if (now2?.signature?.documentSha256 === input.documentSha256)
        return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
      throw new AppError('CONFLICT', { message: '该文书已签名' });
    }
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'case.signed',
      subject: { kind: 'case', id },
      summary: `当事人在手机上签名，文书 SHA-256 ${input.documentSha256.slice(0, 16)}…`,
    });
    return openCaseAsOperator(deps.db, establishmentId, id, actor, now);
  });
}

/** The regulator's decision; a penalty goes to the shop's public file (双公示) and its grade. */
export async function decideCase(
  deps: EnforcementDeps,
  id: string,
  input: CaseDecisionInput,
  caller: Caller,
  now = new Date(),
) {
  return withLock(deps.db, `case:${id}`, async () => {
    const c = await findCase(deps.db, id);
    if (c.status === 'decided' || c.status === 'dismissed')
      throw new AppError('CONFLICT', { message: '该案件已有决定' });
    if (c.status === 'draft' && input.outcome !== 'no_case') {
      throw new AppError('CONFLICT', { message: '草稿须先确认并送达当事人，才能作出处理决定' });
    }
    if (input.outcome === 'penalty' && c.status !== 'signed') {
      throw new AppError('CONFLICT', { message: '当事人签署意见后才能作出处罚决定' });
    }
    if (input.outcome === 'penalty') {
      await addRecord(
        gradingDeps(deps),
        'Penalty',
        String(c.establishmentId),
        {
          idempotencyKey: `case-${String(c._id)}`,
          decisionNumber: input.decisionNumber,
          date: chinaDate(now),
          violation: `${topicLabel(c.category)}（非现场执法案件 ${c.number}）`,
          penalty: input.penalty,
          ...(input.fineFen !== undefined ? { fineFen: input.fineFen } : {}),
        },
        caller.userId,
        now,
      );
    }
    const status = c.status === 'draft' ? 'dismissed' : 'decided';
    const res = await caseModel(deps.db).updateOne(
      { _id: c._id, status: c.status },
      { $set: { status, decision: { outcome: input.outcome, reason: input.reason, at: now, by: caller.userId } } },
    );
    if (!res.modifiedCount) throw new AppError('CONFLICT', { message: '该案件刚被他人处理，请刷新' });
    await audit(deps.db, {
      establishmentId: c.establishmentId,
      at: now,
      actor: caller.userId,
      role: 'regulator',
      action: 'case.decided',
      subject: { kind: 'case', id },
      summary: `案件 ${c.number} 决定：${CASE_OUTCOME_LABELS[input.outcome]}。${input.reason}`,
    });
    return getCaseForRegulator(deps.db, id);
  });
}
