import {
  BUSINESS_TYPE_LABELS,
  DYNAMIC_GRADE_LABELS,
  ESTABLISHMENT_STATUS_LABELS,
  LICENCE_TYPE_LABELS,
  addMonths,
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
import { shopsPage, type EstablishmentDoc } from '../establishments/establishment.facts';
import { directoryOf, type ShopDirectory } from '../establishments/shop-directory';
import { currentGrade, type GradingDeps } from '../grading/grading.service';
import { publicRecords } from '../records/record.facts';
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

/**
 * Nearby and keyword search among listed shops, from the in-memory directory (directory.ts): no
 * collection is read; only the page's shops whose stored grade has outdated are graded for the answer.
 */
export async function searchShops(
  deps: GradingDeps,
  query: ShopSearchQuery,
  now = new Date(),
): Promise<ShopSearchResult> {
  const dir = await directoryOf(deps.db, now);
  const centre = query.lng !== undefined && query.lat !== undefined ? { lng: query.lng, lat: query.lat } : null;
  // A suspended shop is found too: its standing leads the line, so nobody mistakes it for open.
  let found = centre
    ? dir.near(centre.lng, centre.lat, query.radius)
    : query.q
      ? dir.byName(dir.matching(query.q))
      : dir.byName([...dir.all()]);
  if (centre && query.q) {
    const text = new Set(dir.matching(query.q));
    found = found.filter((e) => text.has(e));
  }
  if (query.district) found = found.filter((e) => e.est.district === query.district);
  const page = found.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  const today = chinaDate(now);
  const items = await Promise.all(
    page.map(async ({ est }) =>
      summary(est, await currentGrade(deps, est, now), centre ? distanceMeters(centre, est.location) : null, today),
    ),
  );
  return { items, page: query.page, pageSize: query.pageSize, total: found.length };
}

/** Each district's board as last built: rebuilt when the directory changed or the day turned. */
const boards = new WeakMap<ShopDirectory, Map<string, { version: number; today: string; board: HonourBoard }>>();

/**
 * 红黑榜: green-grade shops on the red list; red-grade shops and those penalised this year on the
 * black list. Maintained: built from the directory once per change of the district (or per day), not per request.
 */
export async function honourBoard(deps: GradingDeps, district: string, now = new Date()): Promise<HonourBoard> {
  const dir = await directoryOf(deps.db, now);
  const today = chinaDate(now);
  let built = boards.get(dir);
  if (!built) boards.set(dir, (built = new Map()));
  const kept = built.get(district);
  if (kept && kept.version === dir.versionOf(district) && kept.today === today) return kept.board;
  const version = dir.versionOf(district);
  const since = addMonths(today, -12);
  const red: HonourBoard['red'] = [];
  const black: HonourBoard['black'] = [];
  for (const { est, penalisedOn } of dir.all()) {
    if (est.district !== district || est.status !== 'open') continue;
    const penalised = penalisedOn !== null && penalisedOn > since;
    // The stored grade (kept current by the writers and the daily refresh): a board is built from
    // memory. One whose validity has just ended waits for the refresh instead of being computed here.
    const grade = est.grade;
    if (!grade || (grade.validUntil !== null && now >= new Date(grade.validUntil))) continue;
    const s = summary(est, grade, null, today);
    const basis = grade.reasons[0] ?? '';
    // The 红榜 recommends: only a shop that may operate now, with a current A grade.
    if (s.standing.gradeCurrent && grade.status === 'rated' && grade.grade === 'A' && !penalised) {
      red.push({ ...s, why: `信用等级 A（优秀）：${basis}` });
    } else if (grade.grade === 'C' && !grade.stale) {
      black.push({
        ...s,
        why: `信用等级 C（一般）：${grade.reasons.filter((r) => /不合格|扣/.test(r)).join('；') || basis}`,
      });
    } else if (penalised) {
      black.push({ ...s, why: '近12个月受到行政处罚' });
    }
  }
  const byName = (a: ShopSummary, b: ShopSummary) => a.name.localeCompare(b.name, 'zh-CN');
  const board = { district, generatedAt: now.toISOString(), red: red.sort(byName), black: black.sort(byName) };
  built.set(district, { version, today, board });
  return board;
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
