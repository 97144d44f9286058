import type { Connection, Types } from 'mongoose';
import {
  SUBSCRIBE_MESSAGES,
  buildMessage,
  type MemberRole,
  type MessageKind,
  type MessagePage,
  type MessageValues,
  type PageQuery,
} from '@ygsa/shared';
import type { Config } from '../../config';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Logger } from '../../logger';
import { openidsOf } from '../auth/user.facts';
import { memberUserIds } from '../members/member.facts';

export type MessageDeps = {
  wechat: WeChatClient;
  config: { wechat: Pick<Config['wechat'], 'templates'> };
  logger?: Logger;
};

/** WeChat's answer to one message: 0 sent; 43101 no consent left; -1 WeChat unreachable; else a refusal. */
export type SendOutcome = number;

/** 43101: the user has not agreed to (or has used up) this message. Normal: the app shows the matter anyway. */
export const NO_CONSENT = 43101;

/**
 * Sends one subscribe message of a kind from the registry (shared/src/subscribe.ts): its app,
 * template id, page and keywords, values shaped to WeChat's rules. 43101 is quiet; any other
 * refusal is logged with WeChat's code, since it means our wiring is wrong.
 */
export async function sendMessage<K extends MessageKind>(
  deps: MessageDeps,
  kind: K,
  touser: string,
  values: MessageValues<K>,
  page: MessagePage<K>,
  query?: PageQuery,
  now = new Date(),
): Promise<SendOutcome> {
  const message = buildMessage(kind, values, page, query, now);
  const templateId = deps.config.wechat.templates[kind];
  const result = await deps.wechat
    .sendSubscribeMessage(SUBSCRIBE_MESSAGES[kind].app, { touser, templateId, page: message.page, data: message.data })
    .catch((err: unknown) => ({ errcode: -1, errmsg: err instanceof Error ? err.message : String(err) }));
  if (result.errcode === NO_CONSENT) deps.logger?.debug({ kind }, 'subscribe message: no consent');
  else if (result.errcode === -1)
    deps.logger?.warn({ kind, err: result.errmsg }, 'subscribe message: WeChat unreachable');
  else if (result.errcode !== 0)
    deps.logger?.warn({ kind, errcode: result.errcode, errmsg: result.errmsg }, 'subscribe message refused by WeChat');
  return result.errcode;
}

/**
 * Sends a message to each operator-app member of a shop in the given roles. Resolves whether the
 * matter counts as told: WeChat answered for someone (43101 included — it shows in the app either
 * way), or the shop has nobody to tell yet. False only when WeChat was unreachable, so that the
 * caller tries again on its next run.
 */
export async function messageStaff<K extends MessageKind>(
  deps: MessageDeps & { db: Connection },
  establishmentId: Types.ObjectId,
  roles: readonly MemberRole[],
  kind: K,
  values: MessageValues<K>,
  page: MessagePage<K>,
  query?: PageQuery,
): Promise<boolean> {
  const openids = await openidsOf(deps.db, await memberUserIds(deps.db, establishmentId, roles), 'operator');
  if (!openids.length) return true;
  let reached = false;
  for (const touser of openids) {
    if ((await sendMessage(deps, kind, touser, values, page, query)) !== -1) reached = true;
  }
  return reached;
}
