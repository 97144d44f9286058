import { formatChineseDate } from './dates.js';
import type { FieldIssue } from './errors.js';
import { BUSINESS_TYPE_LABELS, CANTEEN_TYPES, type BusinessType } from './establishment.js';
import { DEFAULT_GRADING_CONFIG, type GradingConfig } from './grading.js';
import { INSPECTION_AREAS, inspectionTotal, type InspectionAreaCode } from './inspection.js';
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** One line of the 检查要点表 an inspector works through on site. */
export interface InspectionItem {
  /** `<area>.<item>`, stable: answers and records refer to it. */
  readonly code: string;
  readonly area: InspectionAreaCode;
  readonly text: string;
  /** The item's share of its area's max; the items of an area that apply to a type add up to that max. */
  readonly points: number;
  /** 重点项: one of them 不符合 makes the whole inspection 不符合, whatever the score. */
  readonly key: boolean;
  /** Only for these business types; absent for every type. */
  readonly types?: readonly BusinessType[];
}

/** Collective caterers: they keep food samples (留样) and hold cooked food for hours before it is eaten. */
const COLLECTIVE: readonly BusinessType[] = [...CANTEEN_TYPES, 'central_kitchen', 'meal_distributor'];
const SHOPS: readonly BusinessType[] = ['restaurant', 'snack_bar', 'beverage_shop'];

/**
 * The table, modelled on the national 餐饮服务食品安全监督检查要点表 (SAMR Order 49), grouped by
 * area in the order of INSPECTION_AREAS. Where the rules differ by business type, an item has an
 * alternative with the same points for the other types, so every type's areas keep their max.
 */
export const CHECKLIST_ITEMS: readonly InspectionItem[] = [
  // 许可管理 10
  {
    code: 'licence.valid',
    area: 'licence',
    text: '具有合法有效的食品经营许可证（或小餐饮登记证），且在有效期内',
    points: 4,
    key: true,
  },
  {
    code: 'licence.scope',
    area: 'licence',
    text: '实际经营地址、主体业态、经营项目与许可内容一致，未超范围经营',
    points: 3,
    key: true,
  },
  {
    code: 'licence.change',
    area: 'licence',
    text: '许可事项发生变化的，依法办理变更或延续手续；未伪造、涂改、倒卖、出租、出借许可证',
    points: 3,
    key: false,
  },
  // 信息公示 5
  {
    code: 'disclosure.licence',
    area: 'disclosure',
    text: '在经营场所醒目位置公示食品经营许可证（正本或复印件）',
    points: 2,
    key: false,
  },
  {
    code: 'disclosure.result',
    area: 'disclosure',
    text: '张贴或公示最近一次监督检查结果记录表及量化分级等级，保持至下次检查',
    points: 2,
    key: false,
  },
  {
    code: 'disclosure.additives',
    area: 'disclosure',
    text: '公示所使用的食品添加剂名称',
    points: 1,
    key: false,
  },
  // 制度与人员管理 10
  {
    code: 'management.system',
    area: 'management',
    text: '建立并落实进货查验、从业人员健康管理、清洗消毒、食品安全自查等食品安全管理制度',
    points: 2,
    key: false,
  },
  {
    code: 'management.director',
    area: 'management',
    text: '按规定配备食品安全总监和食品安全员，明确岗位职责',
    points: 3,
    key: false,
    types: COLLECTIVE,
  },
  {
    code: 'management.officer',
    area: 'management',
    text: '配备专职或兼职食品安全员，明确岗位职责',
    points: 3,
    key: false,
    types: SHOPS,
  },
  {
    code: 'management.selfcheck',
    area: 'management',
    text: '落实日管控、周排查、月调度，《每日食品安全检查记录》等记录完整',
    points: 3,
    key: false,
  },
  {
    code: 'management.training',
    area: 'management',
    text: '组织从业人员开展食品安全培训考核，并有记录',
    points: 2,
    key: false,
  },
  // 从业人员健康与个人卫生 10
  {
    code: 'staff_hygiene.health_cert',
    area: 'staff_hygiene',
    text: '从事接触直接入口食品工作的从业人员持有有效健康证明',
    points: 3,
    key: true,
  },
  {
    code: 'staff_hygiene.morning_check',
    area: 'staff_hygiene',
    text: '落实晨检制度，患有发热、腹泻、皮肤伤口或感染、咽部炎症等有碍食品安全病症的人员已调离接触直接入口食品的岗位',
    points: 3,
    key: true,
  },
  {
    code: 'staff_hygiene.clothing',
    area: 'staff_hygiene',
    text: '穿戴清洁的工作衣帽，头发不外露；专间内操作人员佩戴口罩',
    points: 2,
    key: false,
  },
  {
    code: 'staff_hygiene.habits',
    area: 'staff_hygiene',
    text: '不留长指甲、不涂指甲油、不佩戴饰物，加工前洗手消毒，加工场所内不吸烟',
    points: 2,
    key: false,
  },
  // 环境卫生 10
  {
    code: 'environment.layout',
    area: 'environment',
    text: '加工经营场所布局合理，按生进熟出单一流向设置，无交叉污染',
    points: 3,
    key: false,
  },
  {
    code: 'environment.clean',
    area: 'environment',
    text: '地面、墙壁、门窗、天花板保持清洁，无积水、霉斑、破损',
    points: 3,
    key: false,
  },
  {
    code: 'environment.facilities',
    area: 'environment',
    text: '洗手、消毒、通风排烟、冷藏冷冻等设施设备齐全并正常运转',
    points: 2,
    key: false,
  },
  {
    code: 'environment.live_kitchen',
    area: 'environment',
    text: '明厨亮灶设施正常运行，加工操作区域画面清晰、无遮挡',
    points: 2,
    key: false,
  },
  // 原料进货查验与贮存 15
  {
    code: 'purchase.tickets',
    area: 'purchase',
    text: '查验供货者的许可证和产品合格证明文件，索证索票齐全',
    points: 4,
    key: true,
  },
  {
    code: 'purchase.records',
    area: 'purchase',
    text: '如实记录进货查验信息（名称、规格、数量、生产日期或批号、保质期、进货日期及供货者名称、地址、联系方式），记录和凭证保存期限符合要求',
    points: 3,
    key: false,
  },
  {
    code: 'purchase.banned',
    area: 'purchase',
    text: '未采购、贮存、使用腐败变质、超过保质期或者其他不符合食品安全标准的食品原料',
    points: 4,
    key: true,
  },
  {
    code: 'purchase.storage',
    area: 'purchase',
    text: '食品原料分类分架、离地离墙存放，生熟分开；冷藏 0～8 ℃、冷冻不高于 −12 ℃',
    points: 4,
    key: false,
  },
  // 加工制作 15
  {
    code: 'processing.inspect',
    area: 'processing',
    text: '加工前检查食品原料，未使用感官性状异常的原料',
    points: 3,
    key: false,
  },
  {
    code: 'processing.separation',
    area: 'processing',
    text: '生熟食品的加工工具、容器分开使用，并有明显区分标识',
    points: 3,
    key: false,
  },
  {
    code: 'processing.cooking',
    area: 'processing',
    text: '需要熟制的食品烧熟煮透，中心温度不低于 70 ℃',
    points: 3,
    key: true,
  },
  {
    code: 'processing.special_room',
    area: 'processing',
    text: '冷食类、生食类食品在专间内加工制作，专间温度不高于 25 ℃，空气消毒设施正常使用',
    points: 3,
    key: false,
  },
  {
    code: 'processing.holding',
    area: 'processing',
    text: '烹饪后至食用前需存放 2 小时以上的食品，在高于 60 ℃ 或低于 8 ℃ 的条件下存放，并按规定再加热',
    points: 3,
    key: false,
    types: COLLECTIVE,
  },
  {
    code: 'processing.no_reuse',
    area: 'processing',
    text: '未将回收后的食品（包括辅料）经加工后再次供应',
    points: 3,
    key: false,
    types: SHOPS,
  },
  // 餐用具清洗消毒 10
  {
    code: 'cleaning.sinks',
    area: 'cleaning',
    text: '设置餐用具专用清洗消毒水池，与食品原料清洗水池分开并有明显标识',
    points: 2,
    key: false,
  },
  {
    code: 'cleaning.disinfect',
    area: 'cleaning',
    text: '餐用具使用后洗净并按规定消毒（煮沸、蒸汽 100 ℃ 不少于 10 分钟，红外消毒柜 120 ℃ 不少于 10 分钟，或有效氯 250 mg/L 浸泡不少于 5 分钟后冲净）',
    points: 4,
    key: true,
  },
  {
    code: 'cleaning.storage',
    area: 'cleaning',
    text: '消毒后的餐用具存放在专用密闭保洁设施内，保洁设施有明显标识',
    points: 2,
    key: false,
  },
  {
    code: 'cleaning.outsourced',
    area: 'cleaning',
    text: '使用集中消毒餐饮具的，查验并留存集中消毒单位的营业执照复印件和消毒合格证明',
    points: 2,
    key: false,
  },
  // 留样与食品添加剂 5
  {
    code: 'samples_additives.samples',
    area: 'samples_additives',
    text: '每餐次的每样食品留样不少于 125 克，密封并标注名称和时间，专用冷藏设备保存 48 小时以上，专人负责并记录',
    points: 2,
    key: true,
    types: COLLECTIVE,
  },
  {
    code: 'samples_additives.banquet',
    area: 'samples_additives',
    text: '承办宴席或一次性就餐 100 人以上集体聚餐的，按规定留样并记录',
    points: 2,
    key: false,
    types: ['restaurant'],
  },
  {
    code: 'samples_additives.dosage',
    area: 'samples_additives',
    text: '按照 GB 2760 规定的品种、范围和限量使用食品添加剂，称量使用并记录',
    points: 2,
    key: false,
    types: ['snack_bar', 'beverage_shop'],
  },
  {
    code: 'samples_additives.five',
    area: 'samples_additives',
    text: '食品添加剂实行“五专”管理：专店采购、专柜存放、专人负责、专用工具、专用台账',
    points: 2,
    key: false,
  },
  {
    code: 'samples_additives.nitrite',
    area: 'samples_additives',
    text: '未采购、贮存、使用亚硝酸盐（包括亚硝酸钠、亚硝酸钾）',
    points: 1,
    key: true,
  },
  // 虫害防制与餐厨废弃物 10
  {
    code: 'pests_waste.screens',
    area: 'pests_waste',
    text: '设置纱窗、防蝇帘、挡鼠板、灭蝇灯等防虫防鼠设施，且完好有效',
    points: 3,
    key: false,
  },
  {
    code: 'pests_waste.signs',
    area: 'pests_waste',
    text: '加工经营场所内无老鼠、蟑螂、苍蝇等有害生物及其活动痕迹',
    points: 3,
    key: false,
  },
  {
    code: 'pests_waste.bins',
    area: 'pests_waste',
    text: '废弃物存放容器加盖并有明显标识，及时清理，不溢出',
    points: 2,
    key: false,
  },
  {
    code: 'pests_waste.collector',
    area: 'pests_waste',
    text: '餐厨废弃物交由具备资质的单位收运处置，建立收运台账',
    points: 2,
    key: false,
  },
];

const ITEMS_BY_CODE = new Map(CHECKLIST_ITEMS.map((i) => [i.code, i]));

export function checklistItem(code: string): InspectionItem | undefined {
  return ITEMS_BY_CODE.get(code);
}

/** The items that apply to a business type, in table order. */
export function checklistFor(type: BusinessType): readonly InspectionItem[] {
  return CHECKLIST_ITEMS.filter((i) => !i.types || i.types.includes(type));
}

export const ITEM_RESULTS = ['conform', 'basically', 'nonconform', 'not_applicable'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];
export const ITEM_RESULT_LABELS: Record<ItemResult, string> = {
  conform: '符合',
  basically: '基本符合',
  nonconform: '不符合',
  not_applicable: '合理缺项',
};

/** The overall 检查结果 of Order 49: an item result other than 合理缺项. */
export type ChecklistResult = Exclude<ItemResult, 'not_applicable'>;

// The same upload id (a photo's content hash) as the other schemas with photos in shared.
const PhotoIdSchema = z.string().regex(/^[0-9a-f]{64}$/, '照片编号格式错误');

export const ChecklistAnswerSchema = z
  .object({
    result: z.enum(ITEM_RESULTS, { error: '请选择检查结果（符合、基本符合、不符合或合理缺项）' }),
    note: z.string().trim().max(200).optional(),
    photos: z.array(PhotoIdSchema).max(9, '最多 9 张照片').optional(),
  })
  .strict();
export type ChecklistAnswer = z.infer<typeof ChecklistAnswerSchema>;

/**
 * What the app submits: item code → answer. Codes must be in the table; whether an item applies
 * to the shop's business type is checked by validateAnswers, which knows the type.
 */
export const ChecklistAnswersSchema = z.record(z.string(), ChecklistAnswerSchema).superRefine((answers, ctx) => {
  for (const [code, answer] of Object.entries(answers)) {
    const item = ITEMS_BY_CODE.get(code);
    if (!item) {
      ctx.addIssue({ code: 'custom', path: [code], message: `检查要点表中没有检查项「${code}」` });
    } else if ((answer.result === 'basically' || answer.result === 'nonconform') && !answer.note) {
      ctx.addIssue({
        code: 'custom',
        path: [code, 'note'],
        message: `「${item.text}」判为${ITEM_RESULT_LABELS[answer.result]}，请在备注中写明存在的问题`,
      });
    }
  }
});
export type ChecklistAnswers = z.infer<typeof ChecklistAnswersSchema>;

/**
 * Every problem with submitted answers for a business type, as `error.details` (path relative to
 * the answers, e.g. "licence.valid.note"); empty when they may be scored. Unanswered items are
 * not a problem here (a draft may be saved): scoreChecklist reports them as missing.
 */
export function validateAnswers(type: BusinessType, input: unknown): FieldIssue[] {
  const details: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    details.push({ path, message });
  };
  const parsed = ChecklistAnswersSchema.safeParse(input);
  if (!parsed.success) for (const issue of parsed.error.issues) add(issue.path.map(String).join('.'), issue.message);
  // Refinements may be skipped when an answer is malformed, so codes are checked here as well.
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    for (const code of Object.keys(input)) {
      const item = ITEMS_BY_CODE.get(code);
      if (!item) add(code, `检查要点表中没有检查项「${code}」`);
      else if (item.types && !item.types.includes(type))
        add(code, `「${item.text}」不适用于${BUSINESS_TYPE_LABELS[type]}`);
    }
  }
  return details;
}

export interface ChecklistScore {
  /** Every applicable item answered (合理缺项 counts as an answer). */
  complete: boolean;
  /** Applicable items without an answer, in table order. */
  missing: string[];
  areaScores: Record<InspectionAreaCode, number>;
  total: number;
  result: ChecklistResult;
  /** Items found 不符合, in table order: each becomes a rectification notice. */
  nonconformItems: string[];
}

const roundToHalf = (n: number) => Math.round(n * 2) / 2;
const roundDownToHalf = (n: number) => Math.floor(n * 2) / 2;

/**
 * Scores answers for a business type.
 * - Item: 符合 full points, 基本符合 half its points rounded down to 0.5, 不符合 0; an unanswered
 *   item scores 0 (so the score only rises as answers come in).
 * - Area: 合理缺项 items leave the area; what the rest earned is scaled back to the area's max and
 *   rounded to the nearest 0.5 (halves up). An area whose items are all 合理缺项 scores its max.
 * - Result: 不符合 when a key item (重点项) is 不符合 or the total is below the 一般 cut-off
 *   (60 by default); 符合 when every item is answered and none is 不符合 or 基本符合 (the total is
 *   then 100); otherwise 基本符合.
 * Throws on an answer validateAnswers would refuse (unknown code, item not for this type).
 */
export function scoreChecklist(
  type: BusinessType,
  answers: ChecklistAnswers,
  config: GradingConfig = DEFAULT_GRADING_CONFIG,
): ChecklistScore {
  const items = checklistFor(type);
  const applicable = new Set(items.map((i) => i.code));
  const stray = Object.keys(answers).filter((code) => !applicable.has(code));
  if (stray.length) throw new Error(`answers for items not on the ${type} checklist: ${stray.join(', ')}`);

  const missing: string[] = [];
  const nonconformItems: string[] = [];
  let keyNonconform = false;
  let anyShortfall = false;
  const areaScores = {} as Record<InspectionAreaCode, number>;
  for (const area of INSPECTION_AREAS) {
    let possible = 0;
    let earned = 0;
    for (const item of items.filter((i) => i.area === area.code)) {
      const result = answers[item.code]?.result;
      if (result === 'not_applicable') continue;
      possible += item.points;
      if (result === undefined) missing.push(item.code);
      else if (result === 'conform') earned += item.points;
      else if (result === 'basically') {
        earned += roundDownToHalf(item.points / 2);
        anyShortfall = true;
      } else {
        nonconformItems.push(item.code);
        anyShortfall = true;
        if (item.key) keyNonconform = true;
      }
    }
    areaScores[area.code] = possible === 0 ? area.max : roundToHalf((earned * area.max) / possible);
  }

  const total = inspectionTotal(areaScores);
  const complete = missing.length === 0;
  const result: ChecklistResult =
    keyNonconform || total < config.dynamicCutoffs.fair
      ? 'nonconform'
      : complete && !anyShortfall
        ? 'conform'
        : 'basically';
  return { complete, missing, areaScores, total, result, nonconformItems };
}

export interface ChecklistRecordInput {
  shopName: string;
  licenceNo: string;
  address: string;
  /** YYYY-MM-DD */
  date: string;
  /** In signing order; badge is the 执法证号. */
  inspectors: readonly { name: string; badge: string }[];
  type: BusinessType;
  answers: ChecklistAnswers;
}

// A line break inside a field would forge a line of the record.
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The canonical text of the 监督检查结果记录表 that is signed and hashed: the same input gives the
 * same text byte for byte ("\n" line ends, no trailing newline, table order, nothing from the
 * clock). The score is computed here from the answers, so the text cannot disagree with them;
 * an unanswered item is printed as 未检查. Throws like scoreChecklist.
 */
export function checklistRecordText(
  input: ChecklistRecordInput,
  config: GradingConfig = DEFAULT_GRADING_CONFIG,
): string {
  const score = scoreChecklist(input.type, input.answers, config);
  const items = checklistFor(input.type);
  const lines = [
    '餐饮服务食品安全监督检查结果记录表',
    `被检查单位：${oneLine(input.shopName)}`,
    `许可证编号：${oneLine(input.licenceNo)}`,
    `经营地址：${oneLine(input.address)}`,
    `经营业态：${BUSINESS_TYPE_LABELS[input.type]}`,
    `检查日期：${formatChineseDate(input.date)}`,
    `检查人员：${input.inspectors.map((p) => `${oneLine(p.name)}（执法证号 ${oneLine(p.badge)}）`).join('、')}`,
  ];
  INSPECTION_AREAS.forEach((area, a) => {
    lines.push(`${a + 1}. ${area.label}（满分 ${area.max} 分，得分 ${score.areaScores[area.code]} 分）`);
    items
      .filter((i) => i.area === area.code)
      .forEach((item, n) => {
        const answer = input.answers[item.code];
        const result = answer ? ITEM_RESULT_LABELS[answer.result] : '未检查';
        lines.push(
          `${a + 1}.${n + 1} [${item.code}]${item.key ? '★' : ''} ${item.text}（${item.points} 分）：${result}`,
        );
        if (answer?.note) lines.push(`    备注：${oneLine(answer.note)}`);
        if (answer?.photos?.length) lines.push(`    照片：${answer.photos.join('、')}`);
      });
  });
  lines.push(
    '★ 为重点项',
    `检查得分：${score.total} 分`,
    `检查结果：${ITEM_RESULT_LABELS[score.result]}`,
    `不符合项：${score.nonconformItems.length ? score.nonconformItems.join('、') : '无'}`,
  );
  return lines.join('\n');
}
