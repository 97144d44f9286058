import {
  BUSINESS_TYPE_LABELS,
  DYNAMIC_GRADE_LABELS,
  ESTABLISHMENT_STATUS_LABELS,
  LICENCE_TYPE_LABELS,
  addMonths,
  boundingBox,
  chinaDate,
  distanceMeters,
  dynamicGrade,
  type CreditGrade,
  type HonourBoard,
  type ShopProfile,
  type ShopSearchQuery,
  type ShopSearchResult,
  type ShopSummary,
} from '@ygsa/shared';
import { establishmentModel, type EstablishmentDoc } from '../establishments/establishment.model';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { recordModel } from '../records/record.models';
import { dailyOnTimeRate } from '../selfchecks/selfcheck.service';

/** 一户一档: the shop's public file. */
export async function shopProfile(deps: GradingDeps, est: EstablishmentDoc, now = new Date()): Promise<ShopProfile> {
  const today = chinaDate(now);
  const since = addMonths(today, -36);
  const by = { establishmentId: est._id };
  const [grade, inspections, penalties, onTime] = await Promise.all([
    currentGrade(deps, est, now),
    recordModel(deps.db, 'Inspection')
      .find({ ...by, date: { $gte: since } }, { date: 1, total: 1, findings: 1 })
      .sort({ date: -1 })
      .lean(),
    // 双公示: administrative penalties are public.
    recordModel(deps.db, 'Penalty')
      .find({ ...by, date: { $gte: since } }, { decisionNumber: 1, date: 1, violation: 1, penalty: 1 })
      .sort({ date: -1 })
      .lean(),
    dailyOnTimeRate(deps.db, est._id, 30, now),
  ]);
  const { cameraModel } = await import('../live/camera.model');
  const liveStreamAvailable = !!(await cameraModel(deps.db).exists({ establishmentId: est._id }));
  return {
    id: String(est._id),
    code: est.code,
    name: est.name,
    address: est.address,
    district: est.district,
    businessType: est.businessType,
    businessTypeLabel: BUSINESS_TYPE_LABELS[est.businessType],
    status: est.status,
    statusLabel: ESTABLISHMENT_STATUS_LABELS[est.status],
    location: est.location,
    licence: {
      number: est.licence.number,
      type: est.licence.type,
      typeLabel: LICENCE_TYPE_LABELS[est.licence.type],
      validFrom: est.licence.validFrom,
      validTo: est.licence.validTo,
      expired: est.licence.validTo < today,
    },
    grade,
    // Published only once WeChat's content check passed it.
    reply:
      est.reply && (est.reply.check ?? 'pass') === 'pass'
        ? { text: est.reply.text, updatedAt: new Date(est.reply.updatedAt).toISOString() }
        : null,
    inspections: inspections.map((i) => {
      const g = dynamicGrade(i.total, deps.grading);
      return {
        date: i.date,
        score: i.total,
        dynamicGrade: g,
        dynamicGradeLabel: DYNAMIC_GRADE_LABELS[g],
        keyFindings: i.findings.slice(0, 3),
      };
    }),
    penalties: penalties.map((p) => ({
      decisionNumber: p.decisionNumber,
      date: p.date,
      violation: p.violation,
      penalty: p.penalty,
    })),
    selfCheckOnTimeRate30d: onTime,
    // Filled in by the rectification module; until a shop has such records there is nothing to
    // show, and the page says so.
    openRectifications: null,
    liveStreamAvailable,
  };
}

function summary(est: EstablishmentDoc, grade: CreditGrade, distanceM: number | null): ShopSummary {
  return {
    id: String(est._id),
    code: est.code,
    name: est.name,
    address: est.address,
    district: est.district,
    businessTypeLabel: BUSINESS_TYPE_LABELS[est.businessType],
    grade: {
      status: grade.status,
      grade: grade.grade,
      colour: grade.colour,
      label: grade.label,
      stale: grade.stale,
      ratedOn: grade.ratedOn,
    },
    distanceM: distanceM === null ? null : Math.round(distanceM),
  };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LIST_FIELDS = {
  code: 1,
  name: 1,
  address: 1,
  district: 1,
  businessType: 1,
  location: 1,
  grade: 1,
  licensedAt: 1,
};

/** Nearby and keyword search among open shops; distances computed here, not by a geo index. */
export async function searchShops(
  deps: GradingDeps,
  query: ShopSearchQuery,
  now = new Date(),
): Promise<ShopSearchResult> {
  const filter: Record<string, unknown> = { status: 'open' };
  if (query.district) filter.district = query.district;
  if (query.q) {
    const rx = new RegExp(escapeRegex(query.q));
    filter.$or = [{ name: rx }, { address: rx }];
  }
  const centre = query.lng !== undefined && query.lat !== undefined ? { lng: query.lng, lat: query.lat } : null;
  if (centre) {
    const box = boundingBox(centre, query.radius);
    filter['location.lat'] = { $gte: box.minLat, $lte: box.maxLat };
    filter['location.lng'] = { $gte: box.minLng, $lte: box.maxLng };
  }
  const rows = (await establishmentModel(deps.db).find(filter, LIST_FIELDS).limit(5000).lean()) as EstablishmentDoc[];
  let ranked = rows.map((est) => ({ est, d: centre ? distanceMeters(centre, est.location) : null }));
  if (centre)
    ranked = ranked.filter((r) => (r.d as number) <= query.radius).sort((a, b) => (a.d as number) - (b.d as number));
  else ranked.sort((a, b) => a.est.name.localeCompare(b.est.name, 'zh-CN'));
  const page = ranked.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  const items = await Promise.all(page.map(async ({ est, d }) => summary(est, await currentGrade(deps, est, now), d)));
  return { items, page: query.page, pageSize: query.pageSize, total: ranked.length };
}

/** 红黑榜: green-grade shops on the red list; red-grade shops and those penalised this year on the black list. */
export async function honourBoard(deps: GradingDeps, district: string, now = new Date()): Promise<HonourBoard> {
  const rows = (await establishmentModel(deps.db)
    .find({ district, status: 'open' }, LIST_FIELDS)
    .lean()) as EstablishmentDoc[];
  const since = addMonths(chinaDate(now), -12);
  const penalised = new Set(
    (
      await recordModel(deps.db, 'Penalty')
        .find({ establishmentId: { $in: rows.map((r) => r._id) }, date: { $gt: since } }, { establishmentId: 1 })
        .lean()
    ).map((p) => String(p.establishmentId)),
  );
  const red: HonourBoard['red'] = [];
  const black: HonourBoard['black'] = [];
  for (const est of rows) {
    const grade = await currentGrade(deps, est, now);
    const s = summary(est, grade, null);
    const basis = grade.reasons[0] ?? '';
    if (grade.status === 'rated' && grade.grade === 'A' && !penalised.has(String(est._id))) {
      red.push({ ...s, why: `信用等级 A（优秀）：${basis}` });
    } else if (grade.grade === 'C' && !grade.stale) {
      black.push({
        ...s,
        why: `信用等级 C（一般）：${grade.reasons.filter((r) => /不合格|扣/.test(r)).join('；') || basis}`,
      });
    } else if (penalised.has(String(est._id))) {
      black.push({ ...s, why: '近12个月受到行政处罚' });
    }
  }
  const byName = (a: ShopSummary, b: ShopSummary) => a.name.localeCompare(b.name, 'zh-CN');
  return { district, generatedAt: now.toISOString(), red: red.sort(byName), black: black.sort(byName) };
}
