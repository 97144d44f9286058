import { computeCreditGrade, dynamicGrade, type GradeInputs } from './grading';
import { computeRiskLevel, sizePoints } from './risk';

const NOW = new Date('2026-11-22T04:00:00Z'); // 2026-11-22 12:00 in China

const base: GradeInputs = {
  licensedAt: '2020-01-01',
  inspections: [],
  incidents: [],
  penalties: [],
  selfCheckOnTimeRate: null,
  aiCaptures: null,
  openRectifications: null,
  upheldComplaints: null,
};
const grade = (over: Partial<GradeInputs>, now = NOW) => computeCreditGrade({ ...base, ...over }, now);

describe('dynamic grade of one inspection', () => {
  it.each([
    [100, 'excellent'],
    [90, 'excellent'],
    [89.5, 'good'],
    [75, 'good'],
    [74.5, 'fair'],
    [60, 'fair'],
    [59.5, 'failed'],
    [0, 'failed'],
  ])('score %s → %s', (score, expected) => expect(dynamicGrade(score)).toBe(expected));
});

describe('credit grade (三色码)', () => {
  it('when there are no inspections, then 暂未评级 (grey), with the reason', () => {
    const g = grade({});
    expect(g).toMatchObject({ status: 'unrated', grade: null, colour: 'grey', label: '暂未评级', ratedOn: null });
    expect(g.reasons).toEqual(['尚无监督检查记录，暂未评级']);
  });

  it('when the shop was licensed less than 3 months ago, then 待评级 until the day it turns 3 months', () => {
    const g = grade({ licensedAt: '2026-09-01', inspections: [{ date: '2026-10-01', score: 95 }] });
    expect(g).toMatchObject({ status: 'pending_new', grade: null, label: '新开业待评级' });
    expect(g.reasons[0]).toBe('新开业：2026年9月1日取得许可，满3个月后评级（2026年12月1日起）');
    expect(g.validUntil).toBe('2026-11-30T16:00:00.000Z'); // midnight of 1 Dec in China
  });

  it('when the shop turns 3 months old today, then it is rated', () => {
    const g = grade({ licensedAt: '2026-08-22', inspections: [{ date: '2026-10-01', score: 95 }] });
    expect(g.status).toBe('rated');
  });

  it('when an incident happened within 6 months, then 待评级 whatever the inspections', () => {
    const g = grade({ inspections: [{ date: '2026-10-01', score: 98 }], incidents: [{ date: '2026-06-10' }] });
    // Not the same words as a new shop's: a diner must see why there is no grade.
    expect(g).toMatchObject({ status: 'pending_incident', grade: null, label: '事故调查期间暂停评级' });
    expect(g.reasons[0]).toContain('2026年12月10日起恢复');
  });

  it('when the incident is more than 6 months ago, then the grade is back', () => {
    expect(
      grade({ inspections: [{ date: '2026-10-01', score: 98 }], incidents: [{ date: '2026-05-21' }] }).status,
    ).toBe('rated');
  });

  it('when two inspections are both 良好, then B (yellow, smile) with plain reasons', () => {
    const g = grade({
      inspections: [
        { date: '2026-03-10', score: 86 },
        { date: '2026-09-15', score: 83 },
      ],
    });
    expect(g).toMatchObject({ status: 'rated', grade: 'B', colour: 'yellow', label: '良好', smiley: 'smile' });
    expect(g.ratedOn).toBe('2026-09-15');
    expect(g.reasons).toEqual([
      '近12个月检查2次，均为良好',
      '检查平均得分 84.5 分',
      '综合得分 84.5 分，评为 B 级（良好）',
    ]);
    // It changes when the March inspection leaves the window.
    expect(g.validUntil).toBe('2027-03-09T16:00:00.000Z');
  });

  it('when inspections are excellent, then A (green, laugh)', () => {
    const g = grade({ inspections: [{ date: '2026-05-01', score: 95 }] });
    expect(g).toMatchObject({ grade: 'A', colour: 'green', smiley: 'laugh' });
    expect(g.reasons[0]).toBe('近12个月检查1次，结果为优秀');
  });

  it('when an inspection is older than 12 months, then it no longer counts', () => {
    const g = grade({
      inspections: [
        { date: '2025-11-22', score: 40 },
        { date: '2026-06-01', score: 92 },
      ],
    });
    expect(g.grade).toBe('A');
    expect(g.reasons[0]).toBe('近12个月检查1次，结果为优秀');
  });

  it('when an inspection failed within the window, then the grade is at most C', () => {
    const g = grade({
      inspections: [
        { date: '2026-02-01', score: 100 },
        { date: '2026-03-01', score: 100 },
        { date: '2026-04-01', score: 55 },
      ],
    });
    expect(g.score).toBe(85);
    expect(g.grade).toBe('C');
    expect(g.reasons).toContain('期内有检查结果为不合格，等级不高于 C');
    expect(g.reasons[0]).toBe('近12个月检查3次：优秀2次、不合格1次');
  });

  it('when adjustments apply, then each one is explained and capped', () => {
    const g = grade({
      inspections: [{ date: '2026-06-01', score: 92 }],
      selfCheckOnTimeRate: 0.7,
      aiCaptures: 9,
      openRectifications: 1,
      upheldComplaints: 1,
      penalties: [{ date: '2026-07-01' }, { date: '2024-01-01' }],
    });
    expect(g.reasons).toEqual([
      '近12个月检查1次，结果为优秀',
      '检查平均得分 92 分',
      '自查按时率 70%，低于 80%，扣 5 分',
      'AI 抓拍违规 9 次，扣 5 分',
      '未完成整改 1 项，扣 3 分',
      '查实投诉 1 件，扣 2 分',
      '近12个月行政处罚 1 次，扣 5 分',
      '综合得分 72 分，评为 C 级（一般）',
    ]);
  });

  it('when self-checks are nearly always on time, then a bonus lifts a borderline B to A', () => {
    const g = grade({ inspections: [{ date: '2026-06-01', score: 88 }], selfCheckOnTimeRate: 0.96 });
    expect(g.score).toBe(90);
    expect(g.grade).toBe('A');
    expect(g.reasons).toContain('自查按时率 96%，加 2 分');
  });

  it('when the last inspection is more than 12 months old, then the last grade is kept and flagged stale', () => {
    const g = grade({
      inspections: [
        { date: '2025-03-01', score: 80 },
        { date: '2025-10-01', score: 90 },
      ],
    });
    expect(g).toMatchObject({ status: 'stale', stale: true, grade: 'B', ratedOn: '2025-10-01', validUntil: null });
    expect(g.reasons[0]).toBe('评级期内检查2次：优秀1次、良好1次');
    expect(g.reasons[g.reasons.length - 1]).toBe('最近一次检查在2025年10月1日，已超过12个月，等级仅供参考');
  });

  it('when an inspection is dated in the future, then it is ignored', () => {
    expect(grade({ inspections: [{ date: '2026-12-01', score: 99 }] }).status).toBe('unrated');
  });

  it('is deterministic', () => {
    const inputs = { inspections: [{ date: '2026-06-01', score: 81 }] };
    expect(grade(inputs)).toEqual(grade(inputs));
  });
});

describe('risk level (风险分级)', () => {
  const shop = {
    businessType: 'restaurant' as const,
    floorAreaM2: 120,
    dinersPerMeal: 60,
    latestInspectionScore: 95,
    failedSamplings12m: 0,
    upheldComplaints12m: 0,
    penalties12m: 0,
    incidents12m: 0,
  };

  it.each([
    ['restaurant', 150, 0, 2],
    ['restaurant', 151, 0, 4],
    ['restaurant', 1000, 0, 6],
    ['restaurant', 3001, 0, 10],
    ['school_canteen', 10_000, 50, 2],
    ['school_canteen', 10, 301, 7],
    ['school_canteen', 10, 501, 10],
  ] as const)('size points of a %s of %s m² and %s diners → %s', (type, area, diners, pts) => {
    expect(sizePoints(type, area, diners)).toBe(pts);
  });

  it('when a small restaurant inspects well, then A, one inspection a year', () => {
    const r = computeRiskLevel(shop);
    expect(r).toMatchObject({
      level: 'A',
      score: 18,
      staticScore: 18,
      dynamicScore: 0,
      inspectionsPerYear: { min: 1, max: 1 },
    });
  });

  it('when it fails an inspection and a sampling, then the dynamic score raises it', () => {
    const r = computeRiskLevel({ ...shop, latestInspectionScore: 55, failedSamplings12m: 1, penalties12m: 1 });
    expect(r.dynamicScore).toBe(35);
    expect(r.score).toBe(53);
    expect(r.level).toBe('C');
    expect(r.inspectionsPerYear).toEqual({ min: 2, max: 3 });
  });

  it('when it is a school canteen, then it is D whatever its score', () => {
    const r = computeRiskLevel({ ...shop, businessType: 'school_canteen' });
    expect(r.level).toBe('D');
    expect(r.inspectionsPerYear).toEqual({ min: 3, max: 4 });
  });

  it.each([
    [{ b: 26, c: 45, d: 60 }, 'B'],
    [{ b: 27, c: 45, d: 60 }, 'A'],
    [{ b: 10, c: 26, d: 60 }, 'C'],
    [{ b: 10, c: 20, d: 26 }, 'D'],
  ] as const)(
    'cut-offs %o on a score of exactly 26 give %s (a cut-off belongs to the higher level)',
    (cutoffs, level) => {
      const r = computeRiskLevel({ ...shop, latestInspectionScore: 88 }, { cutoffs, alwaysD: [] });
      expect(r.score).toBe(26);
      expect(r.level).toBe(level);
    },
  );
});
