import { DRAW_WEIGHTS, PlanInputSchema, drawPlan, sameDraw, type DrawInput } from './draw';

const shops = (n: number, risk: 'A' | 'B' | 'C' | 'D', district = '示范区', prefix = risk) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${String(i).padStart(3, '0')}`, district, risk }));
const inspector = (id: string, districts: string[], conflicts: string[] = [], city = false) => ({
  id,
  districts,
  city,
  conflicts,
});

const base: DrawInput = {
  seed: 'seed-0001',
  count: 10,
  shops: [...shops(20, 'A'), ...shops(20, 'D')],
  inspectors: [inspector('i1', ['示范区']), inspector('i2', ['示范区']), inspector('i3', ['示范区'])],
};

describe('双随机 draw', () => {
  it('when the same input is drawn again, in any order, then the same shops and pairs come out', () => {
    const first = drawPlan(base);
    const shuffled = { ...base, shops: [...base.shops].reverse(), inspectors: [...base.inspectors].reverse() };
    expect(sameDraw(drawPlan(shuffled), first)).toBe(true);
    expect(first).toHaveLength(10);
    expect(new Set(first.map((t) => t.shopId)).size).toBe(10);
    // Another seed draws otherwise.
    expect(sameDraw(drawPlan({ ...base, seed: 'seed-0002' }), first)).toBe(false);
  });

  it('when shops of risk D and A are drawn over many seeds, then D comes about four times as often', () => {
    expect(DRAW_WEIGHTS).toEqual({ A: 1, B: 2, C: 3, D: 4 });
    let a = 0;
    let d = 0;
    for (let s = 0; s < 400; s += 1) {
      for (const t of drawPlan({ ...base, seed: `weights-${s}`, count: 1 })) {
        if (t.shopId.startsWith('A')) a += 1;
        else d += 1;
      }
    }
    expect(a + d).toBe(400);
    expect(d / a).toBeGreaterThan(3);
    expect(d / a).toBeLessThan(5.5);
  });

  it('when inspectors are paired, then two different ones of the shop’s district, none with a declared conflict', () => {
    const input: DrawInput = {
      seed: 'pairs-0001',
      count: 40,
      shops: [...shops(20, 'B', '示范区', 'S'), ...shops(20, 'B', '东城区', 'E')],
      inspectors: [
        inspector('s1', ['示范区'], ['S000', 'S001']),
        inspector('s2', ['示范区']),
        inspector('s3', ['示范区']),
        inspector('e1', ['东城区']),
        inspector('e2', ['东城区']),
        inspector('c1', [], [], true),
      ],
    };
    const tasks = drawPlan(input);
    expect(tasks).toHaveLength(40);
    for (const t of tasks) {
      expect(t.inspectors).toHaveLength(2);
      expect(t.inspectors[0]).not.toBe(t.inspectors[1]);
      const allowed = t.shopId.startsWith('S') ? ['s1', 's2', 's3', 'c1'] : ['e1', 'e2', 'c1'];
      for (const i of t.inspectors) expect(allowed).toContain(i);
      if (t.shopId === 'S000' || t.shopId === 'S001') expect(t.inspectors).not.toContain('s1');
      expect(t.unassigned).toBeNull();
    }
  });

  it('when fewer than two inspectors may go, then the task says so; a count beyond the shops draws them all', () => {
    const tasks = drawPlan({
      seed: 'short-0001',
      count: 99,
      shops: shops(3, 'C'),
      inspectors: [inspector('i1', ['示范区'], ['C000']), inspector('i2', ['示范区'])],
    });
    expect(tasks).toHaveLength(3);
    const conflicted = tasks.find((t) => t.shopId === 'C000');
    expect(conflicted).toMatchObject({ inspectors: ['i2'] });
    expect(conflicted?.unassigned).toContain('可派检查人员不足 2 名');
    expect(tasks.filter((t) => t.unassigned === null)).toHaveLength(2);
  });

  it('when a plan is asked for, then its period, title and count are checked with Chinese messages', () => {
    const ok = PlanInputSchema.safeParse({
      idempotencyKey: 'plan-key-0001',
      title: '2027 年第一季度双随机抽查',
      from: '2027-01-01',
      to: '2027-03-31',
      count: 20,
    });
    expect(ok.success && ok.data.districts).toEqual([]);
    const bad = PlanInputSchema.safeParse({
      idempotencyKey: 'plan-key-0001',
      title: '抽查',
      from: '2027-03-31',
      to: '2027-01-01',
      count: 0,
    });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual([
      '至少抽取 1 家门店',
      '结束日期不能早于开始日期',
    ]);
    const backwards = PlanInputSchema.safeParse({
      idempotencyKey: 'plan-key-0001',
      title: '抽查',
      from: '2027-03-31',
      to: '2027-01-01',
      count: 1,
    });
    expect(backwards.success ? [] : backwards.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['to', '结束日期不能早于开始日期'],
    ]);
  });
});
