// The escalation ladder (首违不罚, 罚教结合) as a pure function of a capture and the shop's earlier
// steps of the same kind, so that its table can be tested without a database.
import { CAPTURE_CATEGORY_LABELS, type CaptureCategory, type LadderConfig } from '@ygsa/shared';

export interface PriorStep {
  kind: 'reminder' | 'notice' | 'case';
  id: string;
  issuedAt: Date;
  /** The latest capture joined to the step (its "incident" lasts sameIncidentMinutes past it). */
  lastCaptureAt: Date | null;
  /** Reminder: not acknowledged and not escalated. Notice: not accepted. Case: not decided or dismissed. */
  open: boolean;
  /** A notice whose rectification the regulator accepted. */
  rectified?: boolean;
}

export type LadderDecision =
  { step: 'evidence'; reason: string } | { step: 'reminder' | 'notice' | 'case'; join: string | null; reason: string };

const DAY = 86_400_000;

export function decideStep(
  cfg: LadderConfig,
  capture: { category: CaptureCategory; capturedAt: Date; confidence: number },
  history: PriorStep[],
): LadderDecision {
  const label = CAPTURE_CATEGORY_LABELS[capture.category];
  if (capture.confidence < cfg.minConfidence) {
    return {
      step: 'evidence',
      reason: `置信度 ${capture.confidence.toFixed(2)} 低于 ${cfg.minConfidence}，仅作为证据留存`,
    };
  }
  const at = capture.capturedAt.getTime();
  const since = at - cfg.lookbackDays * DAY;
  // Every step since the lookback began counts, also one issued after this capture was taken (a
  // box that was offline sends its captures late).
  const prior = history
    .filter((s) => s.issuedAt.getTime() >= since)
    .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());

  // Already in hand: evidence joins the open case, else the open notice.
  const openCase = prior.find((s) => s.kind === 'case' && s.open);
  if (openCase) return { step: 'case', join: openCase.id, reason: `「${label}」再次被抓拍，并入未结案件` };
  const openNotice = prior.find((s) => s.kind === 'notice' && s.open);
  if (openNotice) {
    return { step: 'notice', join: openNotice.id, reason: `整改期间「${label}」再次被抓拍，并入整改通知` };
  }
  // One incident is not a repeat: captures close together join the step they belong to.
  const sameIncident = prior.find(
    (s) => s.lastCaptureAt && Math.abs(at - s.lastCaptureAt.getTime()) <= cfg.sameIncidentMinutes * 60_000,
  );
  if (sameIncident) {
    return {
      step: sameIncident.kind,
      join: sameIncident.id,
      reason: `${cfg.sameIncidentMinutes} 分钟内同一违规，并入同一事件`,
    };
  }
  const years = cfg.lookbackDays % 365 === 0 ? `${cfg.lookbackDays / 365} 年` : `${cfg.lookbackDays} 天`;
  if (prior.some((s) => s.kind === 'notice' && s.rectified)) {
    return { step: 'case', join: null, reason: `「${label}」整改后 ${years}内再次发生，生成非现场执法案件草稿` };
  }
  const pendingReminder = prior.find((s) => s.kind === 'reminder' && s.open);
  if (pendingReminder) {
    return { step: 'notice', join: null, reason: `提醒后「${label}」再次发生，下发整改通知` };
  }
  if (prior.length) {
    return { step: 'notice', join: null, reason: `${years}内第 ${prior.length + 1} 次「${label}」，下发整改通知` };
  }
  if (cfg.minor.includes(capture.category)) {
    return { step: 'reminder', join: null, reason: `${years}内首次轻微违规「${label}」：首违不罚，予以提醒` };
  }
  return { step: 'notice', join: null, reason: `「${label}」不属轻微违规，直接下发整改通知` };
}
