// The escalation ladder: a capture's step (reminder → notice → case) and the clock that moves it.
import { type Connection, Types } from 'mongoose';
import { type CaptureCategory, chinaDate } from '@ygsa/shared';
import { createOnce } from '../../data/create-once';
import { indexedDocs, shopIndexOf } from '../../data/shop-index';
import {
  type CaptureDoc,
  type LadderOutcome,
  audit,
  captureModel,
  caseModel,
  OPEN,
  ladderPendingModel,
  noticeModel,
  reminderModel,
} from './enforcement.models';
import { type PriorStep, decideStep } from './ladder';
import { type Actor, type EnforcementDeps, SYSTEM, regrade, topicLabel } from './enforcement.common';
import { issueNotice } from './notices.service';
import { draftCase } from './cases.service';

async function historyOf(db: Connection, establishmentId: Types.ObjectId, category: string, since: Date) {
  // The shop's own indexes (one _id read each), not the city's collections.
  const recent = <T extends { id: string }>(rows: T[], kind: (r: T) => string, at: (r: T) => Date) =>
    rows.filter((r) => kind(r) === category && at(r) >= since);
  const [reminders, notices, cases] = await Promise.all([
    shopIndexOf(db, reminderModel(db), establishmentId).then((rows) =>
      recent(
        rows,
        (r) => r.category,
        (r) => r.issuedAt,
      ).map((r) => ({ ...r, _id: r.id })),
    ),
    shopIndexOf(db, noticeModel(db), establishmentId).then((rows) =>
      recent(
        rows,
        (r) => r.topic,
        (r) => r.issuedAt,
      ).map((r) => ({ ...r, _id: r.id })),
    ),
    shopIndexOf(db, caseModel(db), establishmentId).then((rows) =>
      recent(
        rows,
        (r) => r.category,
        (r) => r.createdAt,
      ).map((r) => ({ ...r, _id: r.id })),
    ),
  ]);
  const steps: PriorStep[] = [
    ...reminders.map((r) => ({
      kind: 'reminder' as const,
      id: String(r._id),
      issuedAt: r.issuedAt,
      lastCaptureAt: r.lastCaptureAt,
      open: !r.acknowledgedAt && !r.escalatedAt,
    })),
    ...notices.map((n) => ({
      kind: 'notice' as const,
      id: String(n._id),
      issuedAt: n.issuedAt,
      lastCaptureAt: n.lastCaptureAt,
      open: n.status !== 'accepted',
      rectified: n.status === 'accepted',
    })),
    ...cases.map((c) => ({
      kind: 'case' as const,
      id: String(c._id),
      issuedAt: c.createdAt,
      lastCaptureAt: c.lastCaptureAt,
      open: c.status !== 'decided' && c.status !== 'dismissed',
    })),
  ];
  return steps;
}

/** Runs the ladder for one stored capture and records where it went and why. */
export async function applyLadder(
  deps: EnforcementDeps,
  capture: CaptureDoc,
  now = new Date(),
): Promise<LadderOutcome> {
  const cfg = deps.config.ladder;
  const since = new Date(capture.capturedAt.getTime() - cfg.lookbackDays * 86_400_000);
  const history = await historyOf(deps.db, capture.establishmentId, capture.category, since);
  const decision = decideStep(
    cfg,
    { category: capture.category as CaptureCategory, capturedAt: capture.capturedAt, confidence: capture.confidence },
    history,
  );
  const device: Actor = { id: `device:${String(capture.deviceId)}`, role: 'ai_device' };
  let outcome: LadderOutcome;
  const joinUpdate = {
    $addToSet: { captureIds: capture._id },
    $max: { lastCaptureAt: capture.capturedAt },
  };
  if (decision.step === 'evidence') {
    outcome = { step: 'evidence', refId: null, created: false, reason: decision.reason };
  } else if (decision.join) {
    const Model = { reminder: reminderModel, notice: noticeModel, case: caseModel }[decision.step](deps.db);
    await (Model as ReturnType<typeof noticeModel>).updateOne({ _id: new Types.ObjectId(decision.join) }, joinUpdate);
    outcome = { step: decision.step, refId: decision.join, created: false, reason: decision.reason };
  } else if (decision.step === 'reminder') {
    // Keyed by the capture that caused it: a re-run of this step (a retry after a crash) finds it.
    const { doc: r, created } = await createOnce(
      reminderModel(deps.db),
      { key: `capture:${String(capture._id)}` },
      {
        key: `capture:${String(capture._id)}`,
        establishmentId: capture.establishmentId,
        category: capture.category,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
        reason: decision.reason,
        issuedAt: now,
        answerBy: new Date(now.getTime() + cfg.reminderAnswerHours * 3600_000),
        acknowledgedAt: null,
        acknowledgedBy: null,
        escalatedAt: null,
        escalatedTo: null,
      },
    );
    outcome = { step: 'reminder', refId: String(r._id), created, reason: decision.reason };
  } else if (decision.step === 'notice') {
    const { notice, created } = await issueNotice(
      deps,
      capture.establishmentId,
      {
        key: `capture:${String(capture._id)}`,
        topic: capture.category,
        source: 'ladder',
        reason: decision.reason,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
      },
      device,
      now,
    );
    outcome = { step: 'notice', refId: String(notice._id), created, reason: decision.reason };
  } else {
    const { kase, created } = await draftCase(
      deps,
      capture.establishmentId,
      {
        key: `capture:${String(capture._id)}`,
        category: capture.category,
        reason: decision.reason,
        captureIds: [capture._id],
        lastCaptureAt: capture.capturedAt,
      },
      device,
      now,
    );
    outcome = { step: 'case', refId: String(kase._id), created, reason: decision.reason };
  }
  await captureModel(deps.db).updateOne({ _id: capture._id }, { $set: { outcome } });
  await ladderPendingModel(deps.db).deleteOne({ _id: capture._id });
  await audit(deps.db, {
    establishmentId: capture.establishmentId,
    at: now,
    actor: device.id,
    role: device.role,
    action: `capture.${outcome.step}`,
    subject: { kind: 'capture', id: String(capture._id) },
    summary: `AI 抓拍「${topicLabel(capture.category)}」（置信度 ${capture.confidence}）：${outcome.reason}`,
  });
  // The grade counts violations (captures that started a step, now recorded), so only those move it.
  if (outcome.created) await regrade(deps, capture.establishmentId, 'ai capture', now);
  return outcome;
}

/**
 * The ladder's clock: an unanswered reminder becomes a notice; a notice past its deadline
 * without a reply (or with a returned one) becomes a case draft. Each step happens once.
 */
export async function runLadderClock(deps: EnforcementDeps, now = new Date()) {
  let notices = 0;
  let cases = 0;
  // The city's open reminders and notices (two index documents), not every reminder and notice.
  const late = await indexedDocs(deps.db, reminderModel(deps.db), OPEN, 'open', (r) => r.answerBy < now);
  for (const r of late) {
    const { notice } = await issueNotice(
      deps,
      r.establishmentId,
      {
        key: `reminder:${String(r._id)}`,
        topic: r.category,
        source: 'ladder',
        reason: `「${topicLabel(r.category)}」提醒 ${deps.config.ladder.reminderAnswerHours} 小时内未确认整改，转为整改通知`,
        captureIds: r.captureIds,
        lastCaptureAt: r.lastCaptureAt,
      },
      SYSTEM,
      now,
    );
    await reminderModel(deps.db).updateOne(
      { _id: r._id, escalatedAt: null },
      { $set: { escalatedAt: now, escalatedTo: String(notice._id) } },
    );
    notices += 1;
  }
  const today = chinaDate(now);
  const overdue = await indexedDocs(
    deps.db,
    noticeModel(deps.db),
    OPEN,
    'open',
    (n) => (n.status === 'open' || n.status === 'returned') && n.deadline < today && !n.escalatedAt,
  );
  for (const n of overdue) {
    await draftCase(
      deps,
      n.establishmentId,
      {
        key: `notice:${String(n._id)}`,
        category: n.topic,
        reason: `整改通知 ${n.number} 已过期限（${n.deadline}）仍未完成整改`,
        captureIds: n.captureIds,
        lastCaptureAt: n.lastCaptureAt,
      },
      SYSTEM,
      now,
    );
    await noticeModel(deps.db).updateOne({ _id: n._id, escalatedAt: null }, { $set: { escalatedAt: now } });
    cases += 1;
  }
  return { notices, cases };
}

/**
 * Rectification notices of a shop not yet accepted by the office (the public file shows the
 * count); null while the shop has never had one, which the page says in words.
 */
export async function openRectificationCount(db: Connection, establishmentId: Types.ObjectId): Promise<number | null> {
  const statuses = await shopIndexOf(db, noticeModel(db), establishmentId);
  if (!statuses.length) return null;
  return statuses.filter((n) => n.status !== 'accepted').length;
}
