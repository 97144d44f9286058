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
  publicStanding,
  liveRule,
} from '@ygsa/shared';
import type { Connection } from 'mongoose';
import { openRectificationCount } from '../enforcement/enforcement.service';
import { listedShops, shopsPage, type EstablishmentDoc } from '../establishments/establishment.facts';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { penalisedShops, publicRecords } from '../records/record.facts';
import { dailyOnTimeRate } from '../selfchecks/selfcheck.facts';

/** 一户一档: the shop's public file. */
export async function shopProfile(deps: GradingDeps, est: EstablishmentDoc, now = new Date()): Promise<ShopProfile> {
  const today = chinaDate(now);
  const since = addMonths(today, -36);
  const [grade, { inspections, penalties }, onTime] = await Promise.all([
    currentGrade(deps, est, now),
    // 双公示: administrative penalties are public.
    publicRecords(deps.db, est._id, since),
    dailyOnTimeRate(deps.db, est._id, 30, now),
  ]);
  const [live, rectifications] = await Promise.all([
    liveSummary(deps.db, est, now),
    openRectificationCount(deps.db, est._id),
  ]);
  const standing = publicStanding({ status: est.status, licenceValidTo: est.licence.validTo }, today);
  const updatedAt = [est.updatedAt?.toISOString?.() ?? '', grade.computedAt].sort().pop() as string;
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
    // Null only while the shop has never had a rectification notice (the page says so).
    openRectifications: rectifications,
    standing,
    live,
    updatedAt,
  };
}

function summary(est: EstablishmentDoc, grade: CreditGrade, distanceM: number | null, today: string): ShopSummary {
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
    standing: publicStanding({ status: est.status, licenceValidTo: est.licence.validTo }, today),
    distanceM: distanceM === null ? null : Math.round(distanceM),
  };
}

/** Nearby and keyword search among open shops; distances computed here, not by a geo index. */
export async function searchShops(
  deps: GradingDeps,
  query: ShopSearchQuery,
  now = new Date(),
): Promise<ShopSearchResult> {
  // A suspended shop is found too: its standing leads the line, so nobody mistakes it for open.
  const centre = query.lng !== undefined && query.lat !== undefined ? { lng: query.lng, lat: query.lat } : null;
  const rows = await listedShops(deps.db, {
    statuses: ['open', 'suspended'],
    district: query.district,
    text: query.q,
    box: centre ? boundingBox(centre, query.radius) : undefined,
    limit: 5000,
  });
  let ranked = rows.map((est) => ({ est, d: centre ? distanceMeters(centre, est.location) : null }));
  if (centre)
    ranked = ranked.filter((r) => (r.d as number) <= query.radius).sort((a, b) => (a.d as number) - (b.d as number));
  else ranked.sort((a, b) => a.est.name.localeCompare(b.est.name, 'zh-CN'));
  const page = ranked.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  const today = chinaDate(now);
  const items = await Promise.all(
    page.map(async ({ est, d }) => summary(est, await currentGrade(deps, est, now), d, today)),
  );
  return { items, page: query.page, pageSize: query.pageSize, total: ranked.length };
}

/** 红黑榜: green-grade shops on the red list; red-grade shops and those penalised this year on the black list. */
export async function honourBoard(deps: GradingDeps, district: string, now = new Date()): Promise<HonourBoard> {
  const rows = await listedShops(deps.db, { statuses: ['open'], district, limit: 100_000 });
  const since = addMonths(chinaDate(now), -12);
  const penalised = await penalisedShops(
    deps.db,
    rows.map((r) => r._id),
    since,
  );
  const red: HonourBoard['red'] = [];
  const black: HonourBoard['black'] = [];
  for (const est of rows) {
    const grade = await currentGrade(deps, est, now);
    const s = summary(est, grade, null, chinaDate(now));
    const basis = grade.reasons[0] ?? '';
    // The 红榜 recommends: only a shop that may operate now, with a current A grade.
    if (s.standing.gradeCurrent && grade.status === 'rated' && grade.grade === 'A' && !penalised.has(String(est._id))) {
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

/** 看后厨 of a shop: its cameras, open now or not, and who may watch (school canteens: their committee). */
export async function shopLive(db: Connection, est: EstablishmentDoc, now = new Date()) {
  const { camerasOf } = await import('../live/live.service');
  return {
    ...liveRule(est, now),
    openingHours: est.openingHours ?? null,
    cameras: await camerasOf(db, String(est._id)),
  };
}

/** The live view in one line, for the shop's page. */
async function liveSummary(db: Connection, est: EstablishmentDoc, now: Date) {
  const { cameras, ...rest } = await shopLive(db, est, now);
  return { cameras: cameras.length, ...rest };
}

/** Open data: each shop's grade and standing, as its public file shows them, paged. */
export async function openGrades(
  deps: GradingDeps,
  q: { district?: string; page: number; pageSize: number },
  now = new Date(),
) {
  const today = chinaDate(now);
  const { rows, total } = await shopsPage(deps.db, { statuses: ['open', 'suspended'], ...q });
  const items = await Promise.all(
    rows.map(async (est) => {
      const grade = await currentGrade(deps, est, now);
      const standing = publicStanding({ status: est.status, licenceValidTo: est.licence.validTo }, today);
      return {
        licenceNumber: est.licence.number,
        name: est.name,
        address: est.address,
        district: est.district,
        businessType: BUSINESS_TYPE_LABELS[est.businessType],
        standing: standing.kind,
        standingLabel: standing.label,
        grade: grade.grade,
        gradeLabel: grade.label,
        gradeCurrent: standing.gradeCurrent,
        ratedOn: grade.ratedOn,
        stale: grade.stale,
        updatedAt: [est.updatedAt.toISOString(), grade.computedAt].sort().pop() as string,
      };
    }),
  );
  return { items, page: q.page, pageSize: q.pageSize, total, generatedAt: now.toISOString() };
}
