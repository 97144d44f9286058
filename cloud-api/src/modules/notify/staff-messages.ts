import type { Connection, Types } from 'mongoose';
import type { MemberRole } from '@ygsa/shared';
import type { WeChatClient } from '../../integrations/wechat.client';
import { userModel } from '../auth/user.model';
import { memberModel } from '../establishments/establishment.model';

export type StaffMessage = { templateId: string; page: string; data: Record<string, { value: string }> };

/**
 * Sends one WeChat subscribe message to each operator-app member of a shop in the given roles.
 * Resolves whether the matter counts as told: someone answered (43101, no consent, included —
 * it shows in the app either way), or the shop has nobody to tell yet. False only when WeChat
 * was unreachable, so that the caller tries again on its next run.
 */
export async function messageStaff(
  deps: { db: Connection; wechat: WeChatClient },
  establishmentId: Types.ObjectId,
  roles: readonly MemberRole[],
  message: StaffMessage,
): Promise<boolean> {
  const members = await memberModel(deps.db)
    .find({ establishmentId, role: { $in: roles as MemberRole[] } })
    .lean();
  const users = await userModel(deps.db)
    .find({ _id: { $in: members.map((m) => m.userId) }, app: 'operator' })
    .lean();
  const openids = users.map((u) => u.openid).filter((o): o is string => !!o);
  if (!openids.length) return true;
  let reached = false;
  for (const touser of openids) {
    const result = await deps.wechat
      .sendSubscribeMessage('operator', { touser, ...message })
      .catch(() => ({ errcode: -1, errmsg: 'unreachable' }));
    if (result.errcode !== -1) reached = true;
  }
  return reached;
}
