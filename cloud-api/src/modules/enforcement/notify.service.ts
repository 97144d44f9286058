// Telling the shop: subscribe messages for new reminders, notices and cases.
import { Types } from 'mongoose';
import { type MemberRole } from '@ygsa/shared';
import { type MessageDeps, messageStaff } from '../notify/messages';
import { OPEN, caseModel, noticeModel, reminderModel } from './enforcement.models';
import { indexedDocs } from '../../data/shop-index';
import { type EnforcementDeps, shopNames, topicLabel } from './enforcement.common';

/**
 * Sends each new reminder and notice to the shop's staff, and each confirmed case to the owner,
 * once (a WeChat subscribe message opening the page in the operator app).
 */
export async function notifyParties(deps: EnforcementDeps & MessageDeps, now = new Date()) {
  const names = async (ids: Types.ObjectId[]) => shopNames(deps.db, ids);
  let told = 0;
  const tell = async (
    est: Types.ObjectId,
    shop: string,
    roles: readonly MemberRole[],
    page: 'notices' | 'notice' | 'case',
    query: Record<string, string>,
    matter: string,
    requirement: string,
  ) => messageStaff(deps, est, roles, 'enforcementNotice', { shop, matter, requirement, at: now }, page, query);
  const STAFF: MemberRole[] = ['owner', 'director', 'safety_officer'];

  // From the city's indexes of open items (three documents), not every reminder, notice and case.
  const reminders = await indexedDocs(deps.db, reminderModel(deps.db), OPEN, 'open', (r) => !r.notifiedAt);
  const notices = await indexedDocs(
    deps.db,
    noticeModel(deps.db),
    OPEN,
    'open',
    (n) => !n.notifiedAt && n.status === 'open',
  );
  const cases = await indexedDocs(
    deps.db,
    caseModel(deps.db),
    OPEN,
    'open',
    (c) => !c.notifiedAt && c.status === 'confirmed',
  );
  const shop = await names([...reminders, ...notices, ...cases].map((x) => x.establishmentId));
  const nameOf = (id: Types.ObjectId) => shop.get(String(id)) ?? '门店';

  for (const r of reminders) {
    if (
      await tell(
        r.establishmentId,
        nameOf(r.establishmentId),
        STAFF,
        'notices',
        { shop: String(r.establishmentId) },
        `AI 抓拍：${topicLabel(r.category)}`,
        '请确认并立即整改',
      )
    ) {
      await reminderModel(deps.db).updateOne({ _id: r._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  for (const n of notices) {
    if (
      await tell(
        n.establishmentId,
        nameOf(n.establishmentId),
        STAFF,
        'notice',
        { shop: String(n.establishmentId), id: String(n._id) },
        `整改通知：${topicLabel(n.topic)}`,
        `请于 ${n.deadline} 前整改回复`,
      )
    ) {
      await noticeModel(deps.db).updateOne({ _id: n._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  for (const c of cases) {
    if (
      await tell(
        c.establishmentId,
        nameOf(c.establishmentId),
        ['owner'],
        'case',
        { shop: String(c.establishmentId), id: String(c._id) },
        '非现场执法告知书',
        '请签收并确认或陈述申辩',
      )
    ) {
      await caseModel(deps.db).updateOne({ _id: c._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  return told;
}
