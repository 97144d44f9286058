import type { Connection } from 'mongoose';
import { INSPECTION_AREAS, addDays, addMonths, chinaDate, publicStanding, type EstablishmentInput } from '@ygsa/shared';
import type { Config } from '../config';
import { AppError } from '../http/app-error';
import { shopByLicence, shopsByLicences, type EstablishmentDoc } from '../modules/establishments/establishment.facts';
import { cameraKeysByNames, cameraNamed } from '../modules/live/camera.facts';
import { createEstablishment } from '../modules/establishments/establishment.service';
import { addRecord } from '../modules/records/records.service';
import { qrContent, currentPayload } from '../modules/qr/qr.service';

export const DEMO_DISTRICT = '示范区';

interface DemoShop {
  name: string;
  licence: string;
  type: EstablishmentInput['businessType'];
  /** Metres east and north of the district centre. */
  at: [number, number];
  licensedMonthsAgo: number;
  inspections: [monthsAgo: number, score: number, findings?: string[]][];
  penalty?: { monthsAgo: number; violation: string; penalty: string };
  incidentMonthsAgo?: number;
  /** A licence that ran out this many days ago (its file must not present it as a good place). */
  licenceExpiredDaysAgo?: number;
  diners?: number;
  area?: number;
}

const CENTRE = { lng: 120.1551, lat: 30.2741 }; // GCJ-02

// A district of thirteen shops across every grade and standing: one school canteen, one new shop,
// one under an incident investigation and one whose licence has run out.
const SHOPS: DemoShop[] = [
  {
    name: '阳光小厨',
    licence: 'JY13301020260001',
    type: 'restaurant',
    at: [120, 80],
    licensedMonthsAgo: 40,
    inspections: [
      [8, 92],
      [2, 95, ['后厨整洁，留样规范']],
    ],
  },
  {
    name: '老街面馆',
    licence: 'JY13301020260002',
    type: 'snack_bar',
    at: [-260, 150],
    licensedMonthsAgo: 30,
    inspections: [[4, 91]],
    area: 60,
  },
  {
    name: '湖畔茶饮',
    licence: 'JY13301020260003',
    type: 'beverage_shop',
    at: [480, -120],
    licensedMonthsAgo: 20,
    inspections: [[3, 96]],
    area: 40,
  },
  {
    name: '示范区实验小学食堂',
    licence: 'JY13301020260004',
    type: 'school_canteen',
    at: [900, 600],
    licensedMonthsAgo: 56,
    inspections: [
      [9, 94],
      [1, 97, ['陪餐记录完整']],
    ],
    diners: 820,
    area: 600,
  },
  {
    name: '金穗饺子馆',
    licence: 'JY13301020260005',
    type: 'restaurant',
    at: [-700, -300],
    licensedMonthsAgo: 36,
    inspections: [
      [7, 84],
      [2, 80, ['冷藏柜温度记录不全']],
    ],
  },
  {
    name: '川味小炒',
    licence: 'JY13301020260006',
    type: 'restaurant',
    at: [300, 700],
    licensedMonthsAgo: 26,
    inspections: [[5, 78, ['生熟工具未分开存放']]],
  },
  {
    name: '社区长者食堂',
    licence: 'JY13301020260007',
    type: 'elderly_canteen',
    at: [-1200, 400],
    licensedMonthsAgo: 24,
    inspections: [[6, 86]],
    diners: 150,
    area: 200,
  },
  {
    name: '夜市烧烤',
    licence: 'JY13301020260008',
    type: 'snack_bar',
    at: [1500, -800],
    licensedMonthsAgo: 18,
    inspections: [[3, 68, ['垃圾桶未加盖', '从业人员未戴口罩']]],
    penalty: {
      monthsAgo: 3,
      violation: '从业人员未取得健康证明从事接触直接入口食品的工作',
      penalty: '警告，罚款 3000 元',
    },
  },
  {
    name: '好味快餐',
    licence: 'JY13301020260009',
    type: 'restaurant',
    at: [-400, -1100],
    licensedMonthsAgo: 22,
    inspections: [
      [5, 76],
      [1, 57, ['使用超过保质期的食品原料', '未按规定留样']],
    ],
  },
  {
    name: '云朵甜品（新开业）',
    licence: 'JY13301020260010',
    type: 'snack_bar',
    at: [200, -400],
    licensedMonthsAgo: 1,
    inspections: [],
    area: 50,
  },
  {
    name: '城东中央厨房',
    licence: 'JY13301020260011',
    type: 'central_kitchen',
    at: [2600, 300],
    licensedMonthsAgo: 50,
    inspections: [[14, 83]],
    diners: 3000,
    area: 1800,
  },
  {
    name: '鲜味海鲜酒楼',
    licence: 'JY13301020260012',
    type: 'restaurant',
    at: [-2000, 900],
    licensedMonthsAgo: 44,
    inspections: [[6, 90]],
    incidentMonthsAgo: 2,
    area: 900,
    diners: 400,
  },
  {
    name: '桂香小馆（许可证过期）',
    licence: 'JY13301020260013',
    type: 'restaurant',
    at: [300, -260],
    licensedMonthsAgo: 61,
    inspections: [
      [7, 93],
      [2, 95],
    ],
    licenceExpiredDaysAgo: 3,
  },
];

/** Full marks scaled to a total (areas in 0.5 steps), so demo inspections look like real score sheets. */
function scoresFor(total: number) {
  let left = total;
  return Object.fromEntries(
    INSPECTION_AREAS.map((a, i) => {
      const v = i === INSPECTION_AREAS.length - 1 ? left : Math.min(a.max, Math.round(((a.max * total) / 100) * 2) / 2);
      left -= v;
      return [a.code, v];
    }),
  ) as Record<(typeof INSPECTION_AREAS)[number]['code'], number>;
}

const offset = ([east, north]: [number, number]) => ({
  lng: Number((CENTRE.lng + east / (111_320 * Math.cos((CENTRE.lat * Math.PI) / 180))).toFixed(6)),
  lat: Number((CENTRE.lat + north / 111_320).toFixed(6)),
});

/** A five-year licence from the shop's licensing, or one that ran out days ago. */
function licenceOf(s: DemoShop, today: string): EstablishmentInput['licence'] {
  const validFrom = addMonths(today, -s.licensedMonthsAgo);
  if (s.licenceExpiredDaysAgo === undefined)
    return { number: s.licence, type: 'food_business', validFrom, validTo: addMonths(validFrom, 60) };
  const validTo = addDays(today, -s.licenceExpiredDaysAgo);
  return { number: s.licence, type: 'food_business', validFrom: addMonths(validTo, -60), validTo };
}

/** Creates the demo district; every write is keyed (licence number, record keys), so a rerun adds nothing twice. */
export async function seedDemoDistrict(db: Connection, config: Config, now = new Date()): Promise<void> {
  const deps = { db, grading: config.grading, risk: config.risk };
  const today = chinaDate(now);
  const ago = (m: number) => addMonths(today, -m);
  for (const s of SHOPS) {
    let id: string;
    try {
      const est = await createEstablishment(
        deps,
        {
          name: s.name,
          licence: licenceOf(s, today),
          address: `杭州市示范区阳光路${SHOPS.indexOf(s) + 1}号`,
          district: DEMO_DISTRICT,
          location: { ...offset(s.at), crs: 'GCJ02' },
          businessType: s.type,
          floorAreaM2: s.area ?? 150,
          dinersPerMeal: s.diners ?? 80,
          status: 'open',
          licensedAt: ago(s.licensedMonthsAgo),
          openingHours: s.type === 'school_canteen' ? '06:30-08:30,11:00-13:00,16:30-18:30' : '10:00-14:00,16:30-22:00',
        },
        now,
      );
      id = String(est._id);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      id = String((await shopByLicence(db, s.licence))?._id);
    }
    for (const [i, [m, score, findings]] of s.inspections.entries()) {
      await addRecord(
        deps,
        'Inspection',
        id,
        {
          idempotencyKey: `demo-${s.licence}-i${i}`,
          date: ago(m),
          inspector: '示范区市场监管所 王明',
          scores: scoresFor(score),
          findings: findings ?? [],
        },
        'demo-seed',
        now,
      );
    }
    if (s.penalty) {
      await addRecord(
        deps,
        'Penalty',
        id,
        {
          idempotencyKey: `demo-${s.licence}-p`,
          decisionNumber: `示市监罚〔${today.slice(0, 4)}〕${SHOPS.indexOf(s) + 10}号`,
          date: ago(s.penalty.monthsAgo),
          violation: s.penalty.violation,
          penalty: s.penalty.penalty,
        },
        'demo-seed',
        now,
      );
    }
    if (s.incidentMonthsAgo !== undefined) {
      await addRecord(
        deps,
        'Incident',
        id,
        {
          idempotencyKey: `demo-${s.licence}-x`,
          date: ago(s.incidentMonthsAgo),
          description: '顾客食用海鲜后 3 人出现腹泻，已送医，正在调查',
        },
        'demo-seed',
        now,
      );
    }
  }
}

/**
 * One line per demo shop: its name, grade, the payload its 小程序码 carries as `scene`, and what its
 * printed code encodes (the address WeChat maps to the shop page as `q`).
 */
/** The grade as the shop's file shows it: with the standing when the grade is not current. */
function gradeLine(r: Pick<EstablishmentDoc, 'grade' | 'status' | 'licence'>, today: string): string {
  const standing = publicStanding({ status: r.status, licenceValidTo: r.licence.validTo }, today);
  const grade = r.grade.grade ?? r.grade.label;
  return standing.gradeCurrent ? grade : `${grade}（${standing.label}，等级无效）`;
}

export async function demoShopLinks(db: Connection, config: Config) {
  const rows = await shopsByLicences(
    db,
    SHOPS.map((s) => s.licence),
  );
  const today = chinaDate(new Date());
  const order = new Map(SHOPS.map((s, i) => [s.licence, i]));
  return rows
    .sort((a, b) => (order.get(a.licence.number) ?? 0) - (order.get(b.licence.number) ?? 0))
    .map((r) => ({
      name: r.name,
      grade: gradeLine(r, today),
      scene: currentPayload(config.qr.secret, r),
      printed: qrContent(config.qr, r),
    }));
}

/**
 * Demo kitchen cameras: one ordinary shop, the school canteen (its stream is committee-only), and
 * the restaurant whose AI box reports violations (demo-enforcement.ts).
 */
export const DEMO_CAMERAS = [
  { licence: 'JY13301020260001', name: '阳光小厨 烹饪区', zone: 'cooking' as const },
  { licence: 'JY13301020260001', name: '阳光小厨 切配区', zone: 'prep' as const },
  { licence: 'JY13301020260004', name: '实验小学 烹饪区', zone: 'cooking' as const },
  { licence: 'JY13301020260012', name: '海鲜酒楼 烹饪区', zone: 'cooking' as const },
];

export async function seedDemoCameras(db: Connection): Promise<void> {
  const { addCamera } = await import('../modules/live/live.service');
  for (const c of DEMO_CAMERAS) {
    const est = await shopByLicence(db, c.licence);
    if (!est) continue;
    if (await cameraNamed(db, est._id, c.name)) continue;
    await addCamera(db, String(est._id), { name: c.name, zone: c.zone });
  }
}

/** The demo cameras with their keys, for the simulated cameras `npm start` runs (development only). */
export async function demoCameraKeys(db: Connection) {
  return cameraKeysByNames(
    db,
    DEMO_CAMERAS.map((c) => c.name),
  );
}
