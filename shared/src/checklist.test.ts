import {
  CHECKLIST_ITEMS,
  ChecklistAnswersSchema,
  checklistFor,
  checklistRecordText,
  scoreChecklist,
  validateAnswers,
  type ChecklistAnswers,
  type ChecklistRecordInput,
  type ItemResult,
} from './checklist';
import { BUSINESS_TYPES, type BusinessType } from './establishment';
import { DEFAULT_GRADING_CONFIG } from './grading';
import { INSPECTION_AREAS, InspectionInputSchema, inspectionTotal } from './inspection';

const PHOTO = 'a'.repeat(64);

/** Every item that applies to the type answered with one result, then some overridden. */
const answersFor = (
  type: BusinessType,
  result: ItemResult = 'conform',
  over: ChecklistAnswers = {},
): ChecklistAnswers => ({
  ...Object.fromEntries(checklistFor(type).map((i) => [i.code, { result }])),
  ...over,
});

const FULL_MARKS = Object.fromEntries(INSPECTION_AREAS.map((a) => [a.code, a.max]));

describe('the 检查要点表', () => {
  it.each(BUSINESS_TYPES)('when the type is %s, then its items in each area add up to the area max', (type) => {
    const items = checklistFor(type);
    for (const area of INSPECTION_AREAS) {
      const inArea = items.filter((i) => i.area === area.code);
      expect(inArea.length).toBeGreaterThanOrEqual(3);
      expect([area.code, inArea.reduce((s, i) => s + i.points, 0)]).toEqual([area.code, area.max]);
    }
  });

  it('when the table is read, then codes are unique, prefixed by their area, and grouped in area order', () => {
    const codes = CHECKLIST_ITEMS.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const item of CHECKLIST_ITEMS) {
      expect(item.code.startsWith(`${item.area}.`)).toBe(true);
      expect(item.points % 0.5).toBe(0);
      expect(item.text).toMatch(/[\u4e00-\u9fa5]/);
    }
    const areaOrder = INSPECTION_AREAS.map((a) => a.code);
    const seen = CHECKLIST_ITEMS.map((i) => areaOrder.indexOf(i.area));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('when the type is a canteen, then 留样 applies and the shops-only items do not', () => {
    const codes = checklistFor('school_canteen').map((i) => i.code);
    expect(codes).toContain('samples_additives.samples');
    expect(codes).toContain('management.director');
    expect(codes).toContain('processing.holding');
    expect(codes).not.toContain('samples_additives.banquet');
    expect(codes).not.toContain('management.officer');
    expect(codes).not.toContain('processing.no_reuse');
  });

  it('when the type is a restaurant, then banquet samples apply instead of daily 留样', () => {
    const codes = checklistFor('restaurant').map((i) => i.code);
    expect(codes).toContain('samples_additives.banquet');
    expect(codes).not.toContain('samples_additives.samples');
    expect(codes).not.toContain('samples_additives.dosage');
    expect(checklistFor('beverage_shop').map((i) => i.code)).toContain('samples_additives.dosage');
    expect(checklistFor('meal_distributor').map((i) => i.code)).toContain('samples_additives.samples');
  });

  it('when items are filtered for a type, then they keep table order', () => {
    const all = CHECKLIST_ITEMS.map((i) => i.code);
    const idx = checklistFor('central_kitchen').map((i) => all.indexOf(i.code));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });
});

describe('answers as submitted (ChecklistAnswersSchema, validateAnswers)', () => {
  it('when every answer is valid, then no details and notes come back trimmed', () => {
    const input = { 'licence.valid': { result: 'basically', note: '  许可证将于下月到期  ', photos: [PHOTO] } };
    expect(validateAnswers('restaurant', input)).toEqual([]);
    expect(ChecklistAnswersSchema.parse(input)['licence.valid']?.note).toBe('许可证将于下月到期');
  });

  it('when an item is 基本符合 without a note, then a detail at its note naming the item', () => {
    expect(validateAnswers('restaurant', { 'environment.clean': { result: 'basically' } })).toEqual([
      {
        path: 'environment.clean.note',
        message: '「地面、墙壁、门窗、天花板保持清洁，无积水、霉斑、破损」判为基本符合，请在备注中写明存在的问题',
      },
    ]);
  });

  it('when an item is 不符合 with a blank note, then it is refused too', () => {
    const details = validateAnswers('restaurant', { 'purchase.banned': { result: 'nonconform', note: '   ' } });
    expect(details).toHaveLength(1);
    expect(details[0]?.path).toBe('purchase.banned.note');
    expect(details[0]?.message).toContain('判为不符合');
  });

  it('when a code is not in the table, then it is refused at that code', () => {
    expect(validateAnswers('restaurant', { 'licence.bogus': { result: 'conform' } })).toEqual([
      { path: 'licence.bogus', message: '检查要点表中没有检查项「licence.bogus」' },
    ]);
    expect(ChecklistAnswersSchema.safeParse({ 'licence.bogus': { result: 'conform' } }).success).toBe(false);
  });

  it('when an item does not apply to the type, then it is refused naming the type', () => {
    expect(validateAnswers('restaurant', { 'samples_additives.samples': { result: 'conform' } })).toEqual([
      {
        path: 'samples_additives.samples',
        message:
          '「每餐次的每样食品留样不少于 125 克，密封并标注名称和时间，专用冷藏设备保存 48 小时以上，专人负责并记录」不适用于餐馆',
      },
    ]);
  });

  it('when an answer is malformed, then each problem is reported at its field', () => {
    const details = validateAnswers('restaurant', {
      'licence.valid': { result: 'ok' },
      'licence.scope': { result: 'conform', photos: Array(10).fill(PHOTO) },
      'licence.change': { result: 'conform', extra: 1 },
      'disclosure.licence': { result: 'conform', note: '长'.repeat(201) },
      'disclosure.result': { result: 'conform', photos: ['not-an-id'] },
      'nope.nope': { result: 'ok' },
    });
    const paths = details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'licence.valid.result',
        'licence.scope.photos',
        'licence.change',
        'disclosure.licence.note',
        'disclosure.result.photos.0',
        'nope.nope',
      ]),
    );
    expect(details.find((d) => d.path === 'licence.valid.result')?.message).toContain('请选择检查结果');
    expect(details.find((d) => d.path === 'licence.scope.photos')?.message).toBe('最多 9 张照片');
    expect(details.find((d) => d.path === 'nope.nope')?.message).toBe('检查要点表中没有检查项「nope.nope」');
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('when the answers are not an object, then a detail comes back', () => {
    expect(validateAnswers('restaurant', null).length).toBeGreaterThan(0);
  });
});

describe('scoring (scoreChecklist)', () => {
  it.each(BUSINESS_TYPES)('when every item of a %s is 符合, then 100 and 符合', (type) => {
    const s = scoreChecklist(type, answersFor(type));
    expect(s).toEqual({
      complete: true,
      missing: [],
      areaScores: FULL_MARKS,
      total: 100,
      result: 'conform',
      nonconformItems: [],
    });
  });

  it('when one item is 基本符合, then it earns half its points and the result is 基本符合', () => {
    const s = scoreChecklist(
      'restaurant',
      answersFor('restaurant', 'conform', { 'licence.scope': { result: 'basically', note: '增设外卖未变更' } }),
    );
    expect(s.areaScores.licence).toBe(8.5);
    expect(s.total).toBe(98.5);
    expect(s.result).toBe('basically');
    expect(s.nonconformItems).toEqual([]);
  });

  it('when a 1-point item is 基本符合, then it earns 0.5', () => {
    const s = scoreChecklist(
      'restaurant',
      answersFor('restaurant', 'conform', { 'disclosure.additives': { result: 'basically', note: '缺两种' } }),
    );
    expect(s.areaScores.disclosure).toBe(4.5);
  });

  it('when a key item is 不符合, then 不符合 even with a high total', () => {
    const s = scoreChecklist(
      'restaurant',
      answersFor('restaurant', 'conform', { 'licence.valid': { result: 'nonconform', note: '许可证已过期' } }),
    );
    expect(s.total).toBe(96);
    expect(s.result).toBe('nonconform');
    expect(s.nonconformItems).toEqual(['licence.valid']);
  });

  it('when a non-key item is 不符合 and the total stays ≥ 60, then 基本符合 and the item is listed', () => {
    const s = scoreChecklist(
      'snack_bar',
      answersFor('snack_bar', 'conform', {
        'pests_waste.signs': { result: 'nonconform', note: '后厨发现蟑螂' },
        'environment.clean': { result: 'nonconform', note: '地面积水' },
      }),
    );
    expect(s.areaScores).toMatchObject({ pests_waste: 7, environment: 7 });
    expect(s.total).toBe(94);
    expect(s.result).toBe('basically');
    expect(s.nonconformItems).toEqual(['environment.clean', 'pests_waste.signs']);
  });

  it('when the total is below 60 with no key item failed, then 不符合', () => {
    const nonKey = Object.fromEntries(
      checklistFor('restaurant')
        .filter((i) => !i.key)
        .map((i) => [i.code, { result: 'nonconform' as const, note: '不符合要求' }]),
    );
    const s = scoreChecklist('restaurant', answersFor('restaurant', 'conform', nonKey));
    expect(s.total).toBeLessThan(60);
    expect(s.result).toBe('nonconform');
  });

  it('when items are 合理缺项, then the rest of their area is scaled back to the area max', () => {
    const s = scoreChecklist(
      'restaurant',
      answersFor('restaurant', 'conform', {
        'environment.live_kitchen': { result: 'not_applicable' },
        'environment.clean': { result: 'basically', note: '墙面有油污' },
      }),
    );
    // Earned 3 + 1.5 + 2 of the 8 left: 6.5 / 8 × 10 = 8.125 → 8.
    expect(s.areaScores.environment).toBe(8);
    expect(s.total).toBe(98);
    expect(s.complete).toBe(true);
  });

  it('when only 合理缺项 items are not 符合, then every area keeps its max and the result is 符合', () => {
    const s = scoreChecklist(
      'beverage_shop',
      answersFor('beverage_shop', 'conform', {
        'processing.cooking': { result: 'not_applicable' },
        'processing.special_room': { result: 'not_applicable' },
      }),
    );
    expect(s.areaScores.processing).toBe(15);
    expect(s).toMatchObject({ total: 100, result: 'conform' });
  });

  it('when every item of an area is 合理缺项, then the area scores its max', () => {
    const s = scoreChecklist(
      'central_kitchen',
      answersFor('central_kitchen', 'conform', {
        'disclosure.licence': { result: 'not_applicable' },
        'disclosure.result': { result: 'not_applicable' },
        'disclosure.additives': { result: 'not_applicable' },
        'cleaning.outsourced': { result: 'basically', note: '证明过期' },
      }),
    );
    expect(s.areaScores.disclosure).toBe(5);
    expect(s.areaScores.cleaning).toBe(9);
  });

  it('when scaling gives a fraction, then the area is rounded to the nearest 0.5 and the total adds up', () => {
    const s = scoreChecklist(
      'school_canteen',
      answersFor('school_canteen', 'conform', {
        'purchase.records': { result: 'not_applicable' },
        'purchase.storage': { result: 'basically', note: '部分原料未离地' },
      }),
    );
    // Earned 4 + 4 + 2 of the 12 left: 10 / 12 × 15 = 12.5.
    expect(s.areaScores.purchase).toBe(12.5);
    expect(s.total).toBe(inspectionTotal(s.areaScores));
    expect(InspectionInputSchema.shape.scores.safeParse(s.areaScores).success).toBe(true);

    const up = scoreChecklist(
      'restaurant',
      answersFor('restaurant', 'conform', {
        'purchase.tickets': { result: 'not_applicable' },
        'purchase.records': { result: 'basically', note: '台账缺供货者地址' },
      }),
    );
    // Earned 1.5 + 4 + 4 of the 11 left: 9.5 / 11 × 15 = 12.95 → 13 (nearest, not down).
    expect(up.areaScores.purchase).toBe(13);
    expect(up.total).toBe(98);
  });

  it('when answers are missing, then incomplete with their codes, scored 0, and never 符合', () => {
    const answers = answersFor('restaurant');
    delete answers['licence.change'];
    delete answers['pests_waste.bins'];
    const s = scoreChecklist('restaurant', answers);
    expect(s.complete).toBe(false);
    expect(s.missing).toEqual(['licence.change', 'pests_waste.bins']);
    expect(s.areaScores).toMatchObject({ licence: 7, pests_waste: 8 });
    expect(s.result).toBe('basically');
  });

  it('when nothing is answered, then every applicable code is missing and the result is 不符合', () => {
    const s = scoreChecklist('meal_distributor', {});
    expect(s.missing).toEqual(checklistFor('meal_distributor').map((i) => i.code));
    expect(s.total).toBe(0);
    expect(s.result).toBe('nonconform');
  });

  it('when an answer is for an unknown or inapplicable item, then scoring refuses it', () => {
    expect(() =>
      scoreChecklist('restaurant', answersFor('restaurant', 'conform', { x: { result: 'conform' } })),
    ).toThrow(/x/);
    expect(() => scoreChecklist('restaurant', { 'samples_additives.samples': { result: 'conform' } })).toThrow(
      /samples_additives\.samples/,
    );
  });

  it('when the 一般 cut-off is configured higher, then a lower total is 不符合', () => {
    const answers = answersFor('restaurant', 'conform', {
      'environment.clean': { result: 'nonconform', note: '地面积水' },
    });
    expect(scoreChecklist('restaurant', answers).result).toBe('basically');
    const strict = {
      ...DEFAULT_GRADING_CONFIG,
      dynamicCutoffs: { ...DEFAULT_GRADING_CONFIG.dynamicCutoffs, fair: 98 },
    };
    expect(scoreChecklist('restaurant', answers, strict).result).toBe('nonconform');
  });
});

describe('the record text (checklistRecordText)', () => {
  const input: ChecklistRecordInput = {
    shopName: '老王家常菜馆',
    licenceNo: 'JY11101050000001',
    address: '北京市怀柔区青春路 1 号',
    date: '2026-11-22',
    inspectors: [
      { name: '张明', badge: '11010001' },
      { name: '李华', badge: '11010002' },
    ],
    type: 'restaurant',
    answers: answersFor('restaurant', 'conform', {
      'environment.clean': { result: 'basically', note: '墙面有油污', photos: [PHOTO] },
      'licence.valid': { result: 'nonconform', note: '许可证已过期' },
      'environment.live_kitchen': { result: 'not_applicable' },
    }),
  };

  it('when built, then it carries the header, each item with its result and note, the scores and the result', () => {
    const text = checklistRecordText(input);
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '餐饮服务食品安全监督检查结果记录表',
      '被检查单位：老王家常菜馆',
      '许可证编号：JY11101050000001',
      '经营地址：北京市怀柔区青春路 1 号',
      '经营业态：餐馆',
      '检查日期：2026年11月22日',
      '检查人员：张明（执法证号 11010001）、李华（执法证号 11010002）',
    ]);
    expect(lines).toContain('1. 许可管理（满分 10 分，得分 6 分）');
    expect(lines).toContain(
      '1.1 [licence.valid]★ 具有合法有效的食品经营许可证（或小餐饮登记证），且在有效期内（4 分）：不符合',
    );
    expect(lines).toContain('    备注：许可证已过期');
    expect(lines).toContain('5. 环境卫生（满分 10 分，得分 8 分）');
    expect(lines).toContain(
      '5.4 [environment.live_kitchen] 明厨亮灶设施正常运行，加工操作区域画面清晰、无遮挡（2 分）：合理缺项',
    );
    expect(lines).toContain(`    照片：${PHOTO}`);
    expect(lines.slice(-3)).toEqual(['检查得分：94 分', '检查结果：不符合', '不符合项：licence.valid']);
    expect(text).not.toContain('samples_additives.samples');
    expect(text.endsWith('\n')).toBe(false);
  });

  it('when built twice from equal inputs (answers in another key order), then the text is byte for byte the same', () => {
    const reordered = { ...input, answers: Object.fromEntries(Object.entries(input.answers).reverse()) };
    expect(checklistRecordText(reordered)).toBe(checklistRecordText(input));
  });

  it('when one answer changes, then the text changes', () => {
    const changed = {
      ...input,
      answers: { ...input.answers, 'pests_waste.bins': { result: 'basically' as const, note: '垃圾桶未加盖' } },
    };
    const a = checklistRecordText(input);
    const b = checklistRecordText(changed);
    expect(b).not.toBe(a);
    expect(b).toContain('：基本符合\n    备注：垃圾桶未加盖');
    expect(b).toContain('检查得分：93 分');
  });

  it('when a note holds a line break, then it stays on one line and cannot forge a line', () => {
    const text = checklistRecordText({
      ...input,
      answers: { ...input.answers, 'licence.valid': { result: 'nonconform', note: '已过期\n检查结果：符合' } },
    });
    expect(text.split('\n')).not.toContain('检查结果：符合');
    expect(text).toContain('    备注：已过期 检查结果：符合');
  });

  it('when an item is unanswered, then it is printed as 未检查', () => {
    const answers = { ...input.answers };
    delete answers['pests_waste.collector'];
    expect(checklistRecordText({ ...input, answers })).toMatch(/\[pests_waste\.collector\].*：未检查$/m);
  });
});
