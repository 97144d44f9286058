import type { Connection } from 'mongoose';
import { chinaDate, selfCheckDuty, type MemberRole } from '@ygsa/shared';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { openidByUser } from '../auth/user.facts';
import { shopNames } from '../establishments/establishment.facts';
import { allMemberships } from '../members/member.facts';
import { sendMessage, type MessageDeps } from '../notify/messages';
import { reminderSentModel } from './selfcheck.model';
import { shopsDoneOn } from './ledger';

/** China's hour of day at an instant (UTC+8 all year). */
const chinaHour = (at: Date) => (at.getUTCHours() + 8) % 24;

/**
 * After the configured hour, tells each 安全员/总监 of a shop whose daily record for today is
 * missing, once per person and day, through a WeChat subscribe message.
 */
export async function sendDailyReminders(
  deps: MessageDeps & { db: Connection; config: Pick<Config, 'reminders' | 'wechat'>; logger?: Logger },
  now = new Date(),
) {
  if (chinaHour(now) < deps.config.reminders.hour) return { sent: 0, refused: 0 };
  const today = chinaDate(now);
  // Today's shops with a record: one document by _id (kept by each daily record), not a search.
  const done = await shopsDoneOn(deps.db, today);
  const members = (await allMemberships(deps.db)).filter((m) => !done.has(String(m.establishmentId)));
  // Whose the record is depends on the roles each shop has: a one-person shop's owner is reminded.
  const present = new Map<string, MemberRole[]>();
  for (const m of members) {
    const shop = String(m.establishmentId);
    present.set(shop, [...(present.get(shop) ?? []), m.role as MemberRole]);
  }
  const due = members.filter((m) =>
    selfCheckDuty('daily', present.get(String(m.establishmentId)) ?? []).roles.includes(m.role as MemberRole),
  );
  if (!due.length) return { sent: 0, refused: 0 };
  const openids = await openidByUser(
    deps.db,
    due.map((m) => m.userId),
    'operator',
  );
  const shops = await shopNames(
    deps.db,
    due.map((m) => m.establishmentId),
  );
  let sent = 0;
  let refused = 0;
  for (const m of due) {
    const openid = openids.get(String(m.userId));
    if (!openid) continue;
    const id = `${String(m.userId)}:daily:${today}:${String(m.establishmentId)}`;
    if (await reminderSentModel(deps.db).exists({ _id: id })) continue;
    const errcode = await sendMessage(
      deps,
      'selfCheckReminder',
      openid,
      { shop: shops.get(String(m.establishmentId)) ?? '门店', task: '今日日管控尚未填报', due: today },
      'daily',
      { shop: String(m.establishmentId) },
      now,
    );
    // 43101: the user has not agreed to this message (or used up their consent): record, do not retry today.
    const outcome = errcode === 0 ? 'sent' : `refused:${errcode}`;
    if (errcode === 0) sent += 1;
    else refused += 1;
    if (errcode === -1) continue; // WeChat unreachable: try again on the next run
    await reminderSentModel(deps.db).updateOne(
      { _id: id },
      { $setOnInsert: { userId: String(m.userId), establishmentId: String(m.establishmentId), outcome, sentAt: now } },
      { upsert: true },
    );
  }
  deps.logger?.info({ sent, refused }, 'daily self-check reminders');
  return { sent, refused };
}
