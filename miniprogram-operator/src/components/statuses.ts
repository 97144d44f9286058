import type { CameraAlert, CaseView, Invitation, NoticeView, ReplyState } from '@ygsa/shared';
import type { Tone } from '@ygsa/kit';

// Each of the operator app's statuses as one of the kit's four tones (StatusTag) and its words.

/** A rectification notice: 待整改 needs the shop (red when late), 待审核 waits for the regulator. */
export function noticeStatus(n: Pick<NoticeView, 'status' | 'statusLabel' | 'overdue'>): [Tone, string] {
  if (n.overdue) return ['overdue', '已逾期'];
  if (n.status === 'accepted') return ['done', n.statusLabel];
  if (n.status === 'replied') return ['waiting', n.statusLabel];
  if (n.status === 'returned') return ['refused', n.statusLabel];
  return ['overdue', n.statusLabel];
}

/** A 整改回复: waiting for review, returned, accepted, or withdrawn by the shop. */
export function replyStatus(r: { state: ReplyState; stateLabel: string }): [Tone, string] {
  const tone: Record<ReplyState, Tone> = {
    in_review: 'waiting',
    returned: 'refused',
    accepted: 'done',
    withdrawn: 'refused',
  };
  return [tone[r.state], r.stateLabel];
}

/** An enforcement case from the party's side: its turn (red), the regulator's (amber), or over. */
export function caseStatus(c: Pick<CaseView, 'status' | 'statusLabel' | 'deliveredAt'>): [Tone, string] {
  if (!c.deliveredAt) return ['overdue', '待签收'];
  if (c.status === 'confirmed' || c.status === 'responded') return ['overdue', c.statusLabel];
  if (c.status === 'signed') return ['waiting', c.statusLabel];
  if (c.status === 'dismissed') return ['refused', c.statusLabel];
  return ['done', c.statusLabel];
}

/** An invitation code as the owner sees it at a moment. */
export function invitationStatus(
  c: Pick<Invitation, 'revoked' | 'remaining' | 'maxUses' | 'expiresAt'> & { usedByMe?: boolean },
  at: number,
  when: (iso: string) => string,
): [Tone, string] {
  if (c.usedByMe) return ['done', '已使用（本人加入）'];
  if (c.revoked) return ['refused', '已撤销'];
  if (c.remaining === 0) return ['done', '已使用'];
  if (Date.parse(c.expiresAt) <= at) return ['refused', '已过期'];
  const used = c.maxUses - c.remaining;
  return ['waiting', `${used ? `已使用 ${used}/${c.maxUses} 次，` : ''}有效至 ${when(c.expiresAt)}`];
}

export function cameraStatus(online: boolean): [Tone, string] {
  return online ? ['done', '在线'] : ['overdue', '离线'];
}

export function cameraAlertStatus(level: CameraAlert['level']): [Tone, string] {
  if (level === 'resolved') return ['done', '已恢复'];
  return ['overdue', level === 'rectify' ? '长时间离线，请立即整改' : '营业时间离线'];
}
