import type { Connection } from 'mongoose';
import { DEFAULT_DAILY_CHECKLIST, type ChecklistItem } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import { isDuplicateKey } from '../../data/create-once';
import { parseObjectId } from '../establishments/establishment.service';
import { checklistItemModel, type ChecklistItemDoc } from './selfcheck.model';
import { shopChanged } from '../../events/shop-events';

const toItem = (d: ChecklistItemDoc): ChecklistItem & { id: string } => ({
  id: String(d._id),
  code: d.code,
  text: d.text,
  method: d.method,
  basis: d.basis,
  photoRequired: d.photoRequired,
  source: d.source,
});

/** The shop's 风险管控清单 for today: the default list, its own additions, and open regulator-targeted items. */
export async function dailyChecklist(db: Connection, establishmentId: string): Promise<ChecklistItem[]> {
  const extra = await checklistItemModel(db)
    .find({ establishmentId: parseObjectId(establishmentId), active: true })
    .sort({ source: -1, code: 1 })
    .lean();
  return [...DEFAULT_DAILY_CHECKLIST, ...extra.map(toItem)];
}

async function nextCode(db: Connection, establishmentId: string, prefix: 'S' | 'R'): Promise<string> {
  const n = await checklistItemModel(db).countDocuments({
    establishmentId: parseObjectId(establishmentId),
    code: new RegExp(`^${prefix}`),
  });
  return `${prefix}${String(n + 1).padStart(2, '0')}`;
}

/** Adds an item to the shop's list (owner or 总监), or a regulator's targeted item (e.g. after a complaint). */
export async function addChecklistItem(
  db: Connection,
  establishmentId: string,
  input: { text: string; method: string; basis: string; photoRequired: boolean },
  source: 'shop' | 'regulator',
  createdBy: string,
) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const doc = await checklistItemModel(db).create({
        ...input,
        establishmentId: parseObjectId(establishmentId),
        code: await nextCode(db, establishmentId, source === 'shop' ? 'S' : 'R'),
        source,
        active: true,
        createdBy,
        createdAt: new Date(),
        resolvedAt: null,
      });
      await shopChanged(db, establishmentId, 'checklist');
      return toItem(doc.toObject());
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
    }
  }
}

/** Retires a shop item, or resolves a regulator's targeted item (it leaves the next daily lists). */
export async function retireChecklistItem(
  db: Connection,
  establishmentId: string,
  code: string,
  source: 'shop' | 'regulator',
) {
  const res = await checklistItemModel(db).updateOne(
    { establishmentId: parseObjectId(establishmentId), code, source, active: true },
    { $set: { active: false, resolvedAt: new Date() } },
  );
  if (!res.matchedCount) throw new AppError('NOT_FOUND', { message: '检查项不存在或已停用' });
}
